"""``PeopleMatcher``: finds the known people of a portfolio (and likely wrong names) in a text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

__all__ = ["NAME_STOP", "PeopleMatcher"]

NAME_STOP = frozenset(
    "The And From On At In To With UTC For Team Engineering Support Is Was Will Has Had Said Confirmed "
    "Reported Asked Of Or As".split()
)
"""Words that follow a first name without making a full name (``Dana said``, ``Dana From``)."""
_PATTERNS_KEPT = 4096


@dataclass
class PeopleMatcher:
    """Finds person names in a text.

    Only the names (and first names) that occur in a text as substrings are compiled into the
    pattern for it (memoised on this matcher), so a portfolio with thousands of people stays fast.
    """

    names: frozenset[str]
    first_names: frozenset[str] = frozenset()
    _full: list[str] = field(default_factory=list, init=False, repr=False)
    _firsts: list[str] = field(default_factory=list, init=False, repr=False)
    _patterns: dict[tuple[str, tuple[str, ...]], re.Pattern[str]] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        self._full = sorted((n for n in self.names if len(n) >= 4 and " " in n.strip()), key=len, reverse=True)
        firsts = {n.split()[0] for n in self._full} | set(self.first_names)
        self._firsts = sorted((f for f in firsts if len(f) >= 3 and f[0].isupper()), key=len, reverse=True)

    @classmethod
    def from_names(cls, names: Iterable[str]) -> "PeopleMatcher":
        return cls(frozenset(n.strip() for n in names if n and n.strip()))

    def _pattern(self, kind: str, names: tuple[str, ...]) -> re.Pattern[str]:
        key = (kind, names)
        hit = self._patterns.get(key)
        if hit is None:
            alternatives = "|".join(re.escape(n.strip()) for n in names)
            if kind == "full":
                hit = re.compile(r"(?<![\w])(?:" + alternatives + r")(?![\w])")
            else:
                hit = re.compile(
                    r"(?<![\w])(?P<first>" + alternatives + r")\s(?P<last>[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?)(?![\w])"
                )
            if len(self._patterns) >= _PATTERNS_KEPT:
                self._patterns.clear()
            self._patterns[key] = hit
        return hit

    def find(self, text: str) -> Iterator[tuple[int, int, str, bool]]:
        """``(start, end, name, known)`` for every name in ``text``."""
        full = tuple(n for n in self._full if n in text)
        if full:
            for match in self._pattern("full", full).finditer(text):
                yield match.start(), match.end(), match.group(0), True
        firsts = tuple(f + " " for f in self._firsts if f + " " in text)
        if firsts:
            for match in self._pattern("first", firsts).finditer(text):
                if match.group("last") in NAME_STOP or match.group(0) in self.names:
                    continue
                yield match.start(), match.end(), match.group(0), False

