"""Weekday and quarter labels written next to a date: ``Tuesday 2026-11-13``, ``Fri, Nov 13``,
``2026-11-13 (Q3)``, ``in Q3, on Nov 13``. Each label is checked against the date it labels."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from copilot.guardrails.atom import Atom

__all__ = ["Label", "WEEKDAYS", "labels_of", "quarter_of", "weekday_of"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(?P<w>(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?)\b\.?", re.IGNORECASE)
_QUARTER = re.compile(r"^(?:(?P<y1>\d{4})\s?-?Q(?P<q1>[1-4])|Q(?P<q2>[1-4])(?:(?:\s|-)?(?P<y2>\d{4}))?)$")
_GAP = re.compile(r"^[\s,(]*(?:(?:in|on|of|during)\s+)?[\s,(]*$", re.IGNORECASE)
"""What may stand between a label and its date: spaces, a comma, an opening parenthesis, in/on/of/during."""
_PREFIX = {day[:3]: n for n, day in enumerate(WEEKDAYS)}
DATED = frozenset({"datetime", "date", "monthday"})


@dataclass(frozen=True)
class Label:
    """A weekday or quarter label and the date atom it labels."""

    kind: str  # "weekday" | "quarter"
    text: str
    start: int
    end: int
    value: int | tuple[int, int | None]  # weekday 0-6 (Monday 0) | (quarter, year or None)
    dated: Atom


def weekday_of(word: str) -> int | None:
    """``Tue``/``Tues``/``Tuesday`` -> 1 (Monday is 0)."""
    return _PREFIX.get(word[:3].lower())


def quarter_of(text: str) -> tuple[int, int | None] | None:
    match = _QUARTER.match(text.strip())
    if match is None:
        return None
    quarter = int(match["q1"] or match["q2"])
    year = match["y1"] or match["y2"]
    return quarter, int(year) if year else None


def _between(text: str, a: int, b: int) -> bool:
    return 0 <= b - a <= 14 and bool(_GAP.match(text[a:b].replace(")", " ")))


def _nearest(dated: list[Atom], start: int, end: int, text: str) -> Atom | None:
    for atom in dated:
        if _between(text, end, atom.start) or _between(text, atom.end, start):
            return atom
    return None


def labels_of(text: str, atoms: list[Atom]) -> list[Label]:
    """Every weekday or quarter label written right next to a date atom of ``atoms``."""
    dated = [a for a in atoms if a.kind in DATED]
    if not dated:
        return []
    out = []
    for match in _WEEKDAY.finditer(text):
        day = weekday_of(match["w"])
        if day is None or (len(match["w"]) <= 4 and not match["w"][0].isupper()):
            continue
        atom = _nearest(dated, match.start(), match.end(), text)
        if atom is not None:
            out.append(Label("weekday", match.group(0), match.start(), match.end(), day, atom))
    for atom in atoms:
        if atom.kind != "quarter":
            continue
        quarter = quarter_of(atom.text)
        near = _nearest(dated, atom.start, atom.end, text) if quarter else None
        if quarter and near is not None:
            out.append(Label("quarter", atom.text, atom.start, atom.end, quarter, near))
    return out


def date_of(atom: Atom, year_hint: int) -> date:
    """The calendar date an atom names (a month-day in the year nearest ``year_hint``'s reference)."""
    if isinstance(atom.value, datetime):
        return atom.value.date()
    if isinstance(atom.value, date):
        return atom.value
    month, day = atom.value
    try:
        return date(year_hint, month, day)
    except ValueError:
        return date(year_hint, month, 28)
