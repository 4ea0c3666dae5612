"""Time zones as post-mortem authors write them: ``UTC``, ``CET``, ``PDT (UTC-7)``, ``Pacific Time``.

A :class:`Zone` turns a local wall-clock time into UTC and says how. Abbreviations that
name one fixed offset (``CET`` is always UTC+01:00, ``PDT`` always UTC-07:00) convert with
that offset, exactly as the author wrote it; region names without a season (``Pacific
Time``, ``PT``, ``ET``, an IANA name such as ``Europe/Copenhagen``) convert with the
region's rules on that date. Ambiguous abbreviations (``CST``, ``IST``) are not read as a
zone: a time in them stays unresolved rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["Zone", "find_zone", "statement_zone"]

_FIXED: dict[str, int] = {  # minutes east of UTC
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "CET": 60, "CEST": 120,
    "MET": 60, "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180, "PST": -480, "PDT": -420,
    "MST": -420, "MDT": -360, "CDT": -300, "EST": -300, "EDT": -240, "AKST": -540,
    "AKDT": -480, "HST": -600, "JST": 540, "KST": 540, "SGT": 480, "HKT": 480,
    "AEST": 600, "AEDT": 660, "ACST": 570, "AWST": 480, "NZST": 720, "NZDT": 780,
}
_REGIONS: dict[str, str] = {
    "pacific": "America/Los_Angeles", "pt": "America/Los_Angeles",
    "mountain": "America/Denver", "mt": "America/Denver",
    "central": "America/Chicago", "ct": "America/Chicago",
    "eastern": "America/New_York", "et": "America/New_York",
    "central european": "Europe/Berlin", "cet/cest": "Europe/Berlin",
    "uk": "Europe/London", "london": "Europe/London",
}
_OFFSET = r"(?:UTC|GMT)\s*(?P<sign>[+\-−])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?(?![\d:])"
_ABBR = r"(?<![\w/])(?P<abbr>" + "|".join(sorted((k for k in _FIXED if k != "Z"), key=len, reverse=True)) + r")(?![\w/])"
_REGION = (r"(?P<region>(?:Pacific|Mountain|Central European|Central|Eastern|UK|London)\s+(?:Standard\s+|Daylight\s+|Summer\s+)?Time"
           r"|(?<![\w/])(?:PT|MT|CT|ET)(?![\w/])|CET/CEST)")
_IANA = r"(?P<iana>\b(?:Europe|America|Asia|Australia|Africa|Pacific)/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?)"
_ZONE_RE = re.compile("|".join((_OFFSET, _IANA, _REGION, _ABBR)))
_TIME_WORD = re.compile(r"\btimes?\b|\btimezone\b|\btime zone\b", re.IGNORECASE)


@dataclass(frozen=True)
class Zone:
    """A time zone as written: a fixed offset or a region with seasonal rules."""

    written: str
    offset_minutes: int | None = None
    region: str = ""

    def to_utc(self, local: datetime) -> datetime:
        """``local`` (naive wall-clock time in this zone) as aware UTC."""
        if self.offset_minutes is not None:
            return (local - timedelta(minutes=self.offset_minutes)).replace(tzinfo=timezone.utc)
        return local.replace(tzinfo=ZoneInfo(self.region)).astimezone(timezone.utc)

    def describe(self, local: datetime | None = None) -> str:
        """``CET, converted as UTC+01:00`` (the offset used for ``local`` when region-based)."""
        minutes = self.offset_minutes
        if minutes is None and local is not None:
            offset = local.replace(tzinfo=ZoneInfo(self.region)).utcoffset() or timedelta()
            minutes = int(offset.total_seconds() // 60)
        if minutes is None:
            return f"{self.written} ({self.region} rules)"
        sign = "+" if minutes >= 0 else "-"
        hours, mins = divmod(abs(minutes), 60)
        how = f"UTC{sign}{hours:02d}:{mins:02d}"
        if self.offset_minutes is None:
            how += f" ({self.region} rules on that date)"
        return f"{self.written}, converted as {how}"


def _zone(match: re.Match[str]) -> Zone | None:
    text = match.group(0).strip()
    if match.group("sign"):
        sign = -1 if match.group("sign") in "-−" else 1
        minutes = int(match.group("oh")) * 60 + int(match.group("om") or 0)
        return Zone(text, offset_minutes=sign * minutes) if minutes <= 14 * 60 else None
    if match.group("iana"):
        try:
            ZoneInfo(match.group("iana"))
        except (ZoneInfoNotFoundError, ValueError):
            return None
        return Zone(text, region=match.group("iana"))
    if match.group("region"):
        key = re.sub(r"\s+(?:standard\s+|daylight\s+|summer\s+)?time$", "", text.lower())
        if "standard" in text.lower() or "daylight" in text.lower() or "summer" in text.lower():
            return None  # "Pacific Standard Time" is PST: say it as an abbreviation to be read
        return Zone(text, region=_REGIONS[key]) if key in _REGIONS else None
    return Zone(text, offset_minutes=_FIXED[match.group("abbr")])


def find_zone(text: str) -> Zone | None:
    """The first time zone written in ``text``.

    An explicit offset written right after an abbreviation wins where they differ
    (``PST (UTC-7)`` converts as UTC-07:00): the number is what the author checked.
    """
    found = [(m.start(), m.end(), z) for m in _ZONE_RE.finditer(text or "") if (z := _zone(m)) is not None]
    if not found:
        return None
    _, end, first = found[0]
    if len(found) > 1:
        start2, _, second = found[1]
        explicit = second.offset_minutes is not None and second.written[:3] in ("UTC", "GMT") and len(second.written) > 3
        if explicit and start2 - end <= 3 and second.offset_minutes != first.offset_minutes:
            return second
    return first


def statement_zone(text: str) -> tuple[Zone, str] | None:
    """A zone stated for many times at once, and the line that states it.

    Recognised in lines that talk about times: ``All times in UTC.``, ``Date and Time in
    CET`` (a table header), ``Time (UTC)``, ``all times are in PDT (UTC-7)``.
    """
    for line in _statements(text or ""):
        if not _TIME_WORD.search(line):
            continue
        zone = find_zone(line)
        if zone is not None:
            return zone, line.strip().strip("|").strip()
    return None


def _statements(text: str) -> list[str]:
    """Sentences of prose (wrapped lines joined) and table rows, in order."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = block.splitlines()
        rows = [ln for ln in lines if ln.lstrip().startswith("|")]
        prose = " ".join(ln.strip() for ln in lines if not ln.lstrip().startswith("|"))
        out += rows
        out += [s for s in re.split(r"(?<=[.!?])\s+", prose) if s.strip()]
    return out
