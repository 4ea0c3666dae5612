"""Dates and clock times as timeline entries write them.

A :class:`Stamp` is what the start of a timeline entry (or a table's time cell) says:
an optional date (``2019-12-05``, ``Jan 14``, ``03-26``, ``October 3, 2025``), an
optional clock time (``14:05``, ``2:54 PM``, ``[08:47]``) or a placeholder (``--:--``,
``14:??``, ``HH:mm``), and an optional zone (``PST``). :func:`find_date` reads a date
anywhere in prose (titles, ``Date:`` lines, "all events happened on 2019-10-21").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from copilot.ingest.clock_zones import Zone, find_zone

__all__ = ["PartialDate", "Stamp", "find_date", "parse_stamp", "split_stamp"]

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MONTH = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_ORD = r"(?:st|nd|rd|th)?"
_ISO_DATE = r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?!\d)"
_NAMED_DATE = (_MONTH + r"\s+(?P<md>\d{1,2})" + _ORD + r"(?:\s*[-–]\s*\d{1,2}" + _ORD + r")?(?:,?\s+(?P<my>\d{4}))?"
               r"|(?P<dm>\d{1,2})" + _ORD + r"\s+" + _MONTH.replace("?P<mon>", "?P<mon2>")
               + r"(?:,?\s+(?P<dy>\d{4}))?")
_MONTH_DAY = r"(?P<mdm>\d{1,2})-(?P<mdd>\d{1,2})"
_CLOCK = (r"(?P<h>\d{1,2}|--|\?\?|[Hh]{2}|[Xx]{2})[:.](?P<mi>\d{2}|--|\?\?|mm|MM|[Xx]{2})(?::\d{2})?"
          r"(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?)(?![A-Za-z]))?")
_ZONE_AFTER = r"(?:\s*\(?(?P<zone>(?-i:(?:UTC|GMT)\s*[+\-−]\s*\d{1,2}(?::?\d{2})?|[A-Z]{1,4}T|UTC|GMT|Z))\)?(?![\w]))?"
_DATE_ANY = rf"(?:{_ISO_DATE}|{_NAMED_DATE}|{_MONTH_DAY})"
_STAMPS = (
    re.compile(rf"^\s*(?:\*\*|__)?\[?\s*(?:(?:{_DATE_ANY})(?:[\s,T]+|\s*[-–]\s*))?{_CLOCK}{_ZONE_AFTER}\s*\]?(?:\*\*|__)?",
               re.IGNORECASE),
    re.compile(rf"^\s*(?:\*\*|__)?\[?\s*(?:{_ISO_DATE}|{_NAMED_DATE})\s*\]?(?:\*\*|__)?(?=\s*(?:[-–—:|]|$))",
               re.IGNORECASE),
)
_SEPARATOR = re.compile(r"^\s*(?:\*\*|__)?\s*(?:[-–—:|]+\s*)?")
_FIND_DATE = re.compile(rf"(?<![\d-]){_ISO_DATE}|(?<!\w){_NAMED_DATE}", re.IGNORECASE)


@dataclass(frozen=True)
class PartialDate:
    """A date as written: the year may be missing (``Jan 14``, ``03-26``)."""

    month: int
    day: int
    year: int | None = None

    def with_year(self, reference: date | None) -> date | None:
        """The full date: its own year, else the year that puts it nearest ``reference``."""
        try:
            if self.year is not None:
                return date(self.year, self.month, self.day)
            if reference is None:
                return None
            options = [date(y, self.month, self.day) for y in (reference.year - 1, reference.year, reference.year + 1)]
        except ValueError:
            return None
        return min(options, key=lambda d: abs((d - reference).days))


@dataclass(frozen=True)
class Stamp:
    """The date, clock time and zone at the start of one timeline entry."""

    written: str
    date: PartialDate | None = None
    hour: int | None = None  # None with ``placeholder`` or when only a date is written
    minute: int | None = None
    placeholder: bool = False
    zone: Zone | None = None


def _date_from(match: re.Match[str]) -> PartialDate | None:
    groups = match.groupdict()
    if groups.get("y"):
        return PartialDate(int(groups["m"]), int(groups["d"]), int(groups["y"]))
    if groups.get("mon"):
        year = groups.get("my")
        return PartialDate(_MONTHS[groups["mon"][:3].lower()], int(groups["md"]), int(year) if year else None)
    if groups.get("mon2"):
        year = groups.get("dy")
        return PartialDate(_MONTHS[groups["mon2"][:3].lower()], int(groups["dm"]), int(year) if year else None)
    if groups.get("mdm"):
        return PartialDate(int(groups["mdm"]), int(groups["mdd"]))
    return None


def _clock(match: re.Match[str]) -> tuple[int | None, int | None, bool]:
    groups = match.groupdict()
    hour_text, minute_text, ampm = groups.get("h"), groups.get("mi"), groups.get("ampm")
    if hour_text is None:
        return None, None, False
    if not (hour_text.isdigit() and minute_text.isdigit()):
        return None, None, True
    hour, minute = int(hour_text), int(minute_text)
    if ampm:
        if not 1 <= hour <= 12:
            return None, None, True
        hour = hour % 12 + (12 if ampm[0].lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return None, None, True
    return hour, minute, False


def split_stamp(text: str) -> tuple[Stamp | None, str]:
    """``(stamp, rest)`` when ``text`` starts with a date and/or clock time, else ``(None, text)``."""
    match = next((m for pattern in _STAMPS if (m := pattern.match(text or ""))), None)
    if not match or not match.group(0).strip():
        return None, text
    written = match.group(0).strip().strip("*_[] ")
    day = _date_from(match)
    if day is not None and not (1 <= day.month <= 12 and 1 <= day.day <= 31):
        return None, text
    hour, minute, placeholder = _clock(match)
    zone = find_zone(match.group("zone")) if match.groupdict().get("zone") else None
    rest = _SEPARATOR.sub("", text[match.end():], count=1)
    rest = re.sub(r"(?:\*\*|__)\s*$", "", rest.strip()).strip()
    return Stamp(written, day, hour, minute, placeholder, zone), rest


def parse_stamp(cell: str) -> Stamp | None:
    """The stamp of a table's time cell (the whole cell), or None when it holds none."""
    stamp, _rest = split_stamp(cell)
    if stamp is not None:
        return stamp
    day = find_date(cell)
    return Stamp(cell.strip(), day) if day is not None else None


def find_date(text: str) -> PartialDate | None:
    """The first date written anywhere in ``text`` (ISO or with a month name)."""
    for match in _FIND_DATE.finditer(text or ""):
        found = _date_from(match)
        if found is not None and 1 <= found.month <= 12 and 1 <= found.day <= 31:
            return found
    return None
