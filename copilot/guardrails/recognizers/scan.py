"""One pass of the recognizers over one text: which characters are taken, what was found.

A character belongs to at most one atom: recognizers run in a fixed precedence (URLs and IDs
first, plain numbers last) and each only takes characters no earlier one took.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from copilot.guardrails.atom import Atom

if TYPE_CHECKING:
    from copilot.guardrails.recognizers.people_matcher import PeopleMatcher

__all__ = ["NUM", "NUM_TAIL", "Scan", "decimals", "to_float"]

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
"""A number as written: ``1,240``, ``92.3``, ``480000``."""
NUM_TAIL = r"(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?)"
"""The rest of a number after its first digit (patterns start with a character class so the
regex engine can skip to candidate positions quickly)."""


def decimals(num: str) -> int:
    """Digits after the point as written (``92.30`` -> 2)."""
    return len(num.split(".", 1)[1]) if "." in num else 0


def to_float(num: str) -> float:
    return float(num.replace(",", ""))


@dataclass
class Scan:
    """The text being read, the atoms found so far and the characters they took."""

    text: str
    people: PeopleMatcher | None = None
    known_ids: Iterable[str] = ()
    default_year: int | None = None
    out: list[Atom] = field(default_factory=list)
    lower: str = field(init=False)
    has_digit: bool = field(init=False)
    taken: bytearray = field(init=False)

    def __post_init__(self) -> None:
        self.lower = self.text.lower()
        self.has_digit = any(ch.isdigit() for ch in self.text)
        self.taken = bytearray(len(self.text))

    def free(self, a: int, b: int) -> bool:
        return self.taken.find(1, a, b) < 0

    def take(self, a: int, b: int) -> None:
        self.taken[a:b] = b"\x01" * (b - a)

    def add(self, kind: str, a: int, b: int, value: Any, **extra: Any) -> None:
        """Take ``[a, b)`` and record an atom of ``kind`` for it."""
        self.take(a, b)
        self.out.append(Atom(kind, self.text[a:b], a, b, value, **extra))

    def claim(self, kind: str, a: int, b: int, value: Any, **extra: Any) -> bool:
        """``add`` when ``[a, b)`` is still free; whether it was."""
        if a < 0 or not self.free(a, b):
            return False
        self.add(kind, a, b, value, **extra)
        return True

    def simple(
        self,
        pattern: re.Pattern[str],
        kind: str,
        value: Callable[[re.Match[str]], Any] = lambda m: m.group(0),
        group: int | str = 0,
    ) -> None:
        """Every free match of ``pattern`` becomes an atom (``value`` None skips a match)."""
        for match in pattern.finditer(self.text):
            a, b = match.span(group)
            if a < 0 or not self.free(a, b):
                continue
            v = value(match)
            if v is not None:
                self.add(kind, a, b, v)
