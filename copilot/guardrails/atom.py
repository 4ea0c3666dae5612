"""What a fact atom is: one value a draft states (an id, an instant, an amount…) with its exact span."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ATOM_KINDS", "Atom"]

ATOM_KINDS = (
    "url",
    "email",
    "id",
    "datetime",
    "date",
    "monthday",
    "time",
    "quarter",
    "ip",
    "version",
    "region",
    "hostname",
    "money",
    "percent",
    "points",
    "duration",
    "month",
    "person",
    "year",
    "number",
)
"""Every atom kind, in extraction precedence."""


@dataclass(frozen=True, slots=True)
class Atom:
    """One fact atom found in text.

    ``value`` is normalised per kind: ``datetime`` a minute-precision UTC datetime; ``date`` a
    date; ``monthday`` ``(month, day)``; ``time`` ``(hour, minute)`` in UTC when the zone is
    known; ``duration`` minutes (float); ``percent``/``money``/``number``/``year`` a float;
    ``id`` upper-case; ``email``/``hostname``/``url`` lower-case; ``person`` the name;
    ``points`` (percentage points) a float; ``month`` ``(year, month)``.
    """

    kind: str
    text: str
    start: int
    end: int
    value: Any
    decimals: int = 0  # digits after the point as written (numbers, money, percent)
    scale: float = 1.0  # money written as $1.2M has scale 1e6
    tolerance: float = 0.0  # durations: half the smallest unit written, in minutes
    tz_explicit: bool = True  # times: whether a zone was written
    unit: str = ""  # money: the currency code written (``$`` is USD, ``€`` EUR, ``£`` GBP)
    hedge: tuple[float, float] | None = None  # "about"/"nearly"…: the range (factors of value) it allows (hedge.py)

    @property
    def key(self) -> tuple[str, Any]:
        return (self.kind, self.value)
