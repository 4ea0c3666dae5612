"""Dates, times and instants: ``2026-04-12 14:05 UTC``, ``April 12, 2026 at 2:05 PM UTC``,
``12 Apr``, ``14:05Z``, ``16:05 (CEST)``.

A date followed by a time is one ``datetime`` atom (UTC, minute precision); a month-day
without a year followed by a time is a ``monthday`` atom and a ``time`` atom; a time alone is a
``time`` atom (``(hour, minute)`` in UTC when its zone is written).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from copilot.guardrails.recognizers.scan import Scan
from copilot.guardrails.recognizers.timezones import TZ, tz_minutes

__all__ = ["MONTH", "MONTH_NAMES", "make_datetime", "month_number", "parse_datetime_value", "recognize"]

MONTH_NAMES = {m: n for n, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DATE_ISO = re.compile(r"(?P<y>\d(?<![\d-]\d)\d{3})-(?P<mo>\d{2})-(?P<d>\d{2})(?!\d)")
DATE_MDY = re.compile(rf"\b(?P<mon>{MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?(?![\d:])")
DATE_DMY = re.compile(rf"(?P<d>\d(?<![\d.:]\d)\d?)(?:st|nd|rd|th)?\s+(?P<mon>{MONTH})(?:,?\s+(?P<y>\d{{4}}))?\b")
JOIN = re.compile(r"(?:T|,?\s+at\s+|,\s*|\s+)")
TIME = re.compile(
    r"(?P<h>\d(?<![\d:.]\d)\d?):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?(?!\d|:\d)"
    r"(?:\s?(?P<ampm>[AaPp]\.?[Mm]\.?)(?![A-Za-z]))?"
)
TIME_AMPM = re.compile(r"(?P<h>\d(?<![\d:.]\d)\d?)\s?(?P<ampm>[AaPp]\.?[Mm]\.?)(?![A-Za-z])")
_AMPM_HINT = re.compile(r"\d\s?[ap]\.?m\.?(?![a-z])")
_MONTH_HINT = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")


def month_number(raw: str) -> int:
    return MONTH_NAMES[raw[:3].lower()]


def parse_datetime_value(value: Any) -> datetime | None:
    """A datetime from a fact value: a datetime, or an ISO string with a time; else None."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, str) and 16 <= len(value) <= 40 and re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", value):
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" UTC", "+00:00"))
        except ValueError:
            return None
        return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
    return None


def make_datetime(y: int, mo: int, d: int, h: int = 0, mi: int = 0, tz: int | None = 0) -> datetime | None:
    """The UTC instant of a local date and time ``tz`` minutes east of UTC (None if no such date)."""
    try:
        local = datetime(y, mo, d, h, mi, tzinfo=timezone.utc)
    except ValueError:
        return None
    return local - timedelta(minutes=tz or 0)


def _hour(h: int, ampm: str | None) -> int | None:
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm.lower().startswith("p") else 0)
    return h if 0 <= h <= 23 else None


def _shift(hour: int, minute: int, tz: int) -> tuple[int, int]:
    return divmod((hour * 60 + minute - tz) % 1440, 60)


def _time_after(text: str, pos: int) -> tuple[int, int, int | None, int] | None:
    """A time right after a date: ``(hour, minute, tz offset minutes or None, end)``."""
    join = JOIN.match(text, pos)
    if join is None:
        return None
    for pattern in (TIME, TIME_AMPM):
        match = pattern.match(text, join.end())
        if match is None:
            continue
        hour = _hour(int(match.group("h")), match.group("ampm"))
        minute = int(match.groupdict().get("mi") or 0)
        if hour is None or minute > 59:
            continue
        tz = TZ.match(text, match.end())
        return hour, minute, tz_minutes(tz), tz.end() if tz else match.end()
    return None


def _dates(text: str, iso: bool, months: bool) -> list[tuple[int, int, date | tuple[int, int]]]:
    found: list[tuple[int, int, date | tuple[int, int]]] = []
    for match in DATE_ISO.finditer(text) if iso else ():
        try:
            found.append((match.start(), match.end(), date(int(match["y"]), int(match["mo"]), int(match["d"]))))
        except ValueError:
            continue
    for pattern in (DATE_MDY, DATE_DMY) if months else ():
        for match in pattern.finditer(text):
            try:
                month, day = month_number(match["mon"]), int(match["d"])
                if match["y"]:
                    found.append((match.start(), match.end(), date(int(match["y"]), month, day)))
                else:
                    date(2000, month, day)
                    found.append((match.start(), match.end(), (month, day)))
            except (ValueError, KeyError):
                continue
    return sorted(found, key=lambda f: (f[0], -f[1]))


def _date_atoms(scan: Scan) -> None:
    text = scan.text
    for start, end, value in _dates(text, "-" in text, bool(_MONTH_HINT.search(text))):
        if not scan.free(start, end):
            continue
        after = _time_after(text, end)
        if after is not None:
            hour, minute, tz, stop = after
            if isinstance(value, date):
                dt = make_datetime(value.year, value.month, value.day, hour, minute, tz)
                if dt is not None and scan.free(start, stop):
                    scan.add("datetime", start, stop, dt, tz_explicit=tz is not None)
                    continue
            elif scan.free(start, stop):
                # month-day + time without a year: keep both parts as separate atoms
                scan.add("monthday", start, end, value)
                t_start = JOIN.match(text, end).end()  # type: ignore[union-attr]
                t = (hour, minute) if tz is None else _shift(hour, minute, tz)
                scan.add("time", t_start, stop, t, tz_explicit=tz is not None)
                continue
        scan.add("date" if isinstance(value, date) else "monthday", start, end, value)


def _time_atoms(scan: Scan) -> None:
    text = scan.text
    patterns = (TIME,) * (":" in text) + (TIME_AMPM,) * bool(_AMPM_HINT.search(scan.lower))
    for pattern in patterns:
        for match in pattern.finditer(text):
            hour = _hour(int(match.group("h")), match.group("ampm"))
            minute = int(match.groupdict().get("mi") or 0)
            if hour is None or minute > 59 or (pattern is TIME_AMPM and not match.group("ampm")):
                continue
            tz_match = TZ.match(text, match.end())
            stop = tz_match.end() if tz_match else match.end()
            tz = tz_minutes(tz_match)
            value = (hour, minute) if tz is None else _shift(hour, minute, tz)
            scan.claim("time", match.start(), stop, value, tz_explicit=tz is not None)


def recognize(scan: Scan) -> None:
    if scan.has_digit:
        _date_atoms(scan)
        _time_atoms(scan)
