"""What a recognizer is: a named pattern for one kind of sensitive text, mostly data.

Each module in this package declares ``RECOGNIZERS`` (a tuple of ``Recognizer``); the package
collects them in a fixed order (credentials first, so a character belongs to the most
sensitive hit).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["CATEGORIES", "Recognizer"]

CATEGORIES = ("credential", "internal_host", "contact")
"""``credential``: never in any draft, never sent to an LLM, never stored in the index.
``internal_host``: internal host names and IP addresses: never to a customer.
``contact``: personal e-mail addresses and phone numbers: internal briefs only."""


@dataclass(frozen=True, slots=True)
class Recognizer:
    """One pattern for one kind of sensitive text.

    Attributes:
        kind: what the hit is (``api_key``, ``token``, ``password`` …), named in findings.
        category: one of ``CATEGORIES``.
        regex: the pattern; ``group`` names the part of the match that is sensitive.
        valid: an extra test on the sensitive part (a checksum, an allow-list), or None.
        hints: lower-case substrings one of which must occur in the text (a fast pre-filter).
        prefilter: a cheap pattern that must match somewhere first.
    """

    kind: str
    category: str
    regex: re.Pattern[str]
    valid: Callable[[str], bool] | None = None
    group: str | int = 0
    hints: tuple[str, ...] = ()
    prefilter: re.Pattern[str] | None = None

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"recognizer {self.kind}: unknown category {self.category!r}")
