"""Seeded draws shared by the generator's modules (each takes the caller's ``random.Random``)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["hex_digits", "weighted_choice"]


def hex_digits(rng: random.Random, n: int) -> str:
    """``n`` random lowercase hex digits."""
    return format(rng.getrandbits(4 * n), f"0{n}x")


def weighted_choice(rng: random.Random, items: Sequence[Any], weights: Iterable[float]) -> Any:
    return rng.choices(items, weights=list(weights), k=1)[0]
