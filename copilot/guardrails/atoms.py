"""Fact atoms: the IDs, times, durations, numbers, names… a draft states, with exact spans.

``extract_atoms`` finds atoms in text and normalises each so that different spellings of one
fact compare equal: ``2:05 PM UTC`` and ``14:05Z`` are both 14:05 UTC, ``35%`` and
``35 percent`` are 35.0, ``$1.2M`` is 1,200,000 (to the precision written), ``3h 20m`` and
``200 minutes`` are 200 minutes. ``Universe`` is the set of atoms a draft's facts and sources
contain; ``Universe.grounds(atom)`` says whether a draft atom is backed by them.

Patterns are applied in a fixed precedence (URLs and IDs first, plain numbers last); a
character belongs to at most one atom, so the ``4123`` inside ``ZD-4123`` is never also a
number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

__all__ = [
    "ATOM_KINDS",
    "Atom",
    "PeopleMatcher",
    "Universe",
    "atoms_of",
    "extract_atoms",
    "normalize_id",
    "parse_datetime_value",
]

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
    "duration",
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
    ``id`` upper-case; ``email``/``hostname``/``url`` lower-case; ``person`` the name.
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

    @property
    def key(self) -> tuple[str, Any]:
        return (self.kind, self.value)


# --- patterns ---------------------------------------------------------------------------

TZ_OFFSETS: dict[str, int] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "BST": 60,
    "CET": 60,
    "CEST": 120,
    "EET": 120,
    "EEST": 180,
    "WET": 0,
    "WEST": 60,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "IST": 330,
    "JST": 540,
    "SGT": 480,
    "AEST": 600,
    "AEDT": 660,
}
_TZ_NAMES = "|".join(sorted((k for k in TZ_OFFSETS if k != "Z"), key=len, reverse=True))
_TZ_OFF = r"[+-]\d{1,2}(?::?\d{2})?"
_TZ = re.compile(
    rf"(?:(?P<z>Z)(?![A-Za-z0-9])"
    rf"|\s?(?P<num>[+-]\d{{2}}:?\d{{2}})(?![\d])"
    rf"|\s?\(\s?(?P<pname>{_TZ_NAMES})(?:\s?(?P<poff>{_TZ_OFF}))?\s?\)"
    rf"|\s?(?P<name>{_TZ_NAMES})(?:\s?(?P<off>{_TZ_OFF}))?(?![A-Za-z]))"
)
_MONTH_NAMES = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# Patterns start with a literal or a character class (the left-boundary check is a lookbehind
# after the first character): the regex engine can then skip to candidate positions quickly.
_NUM_TAIL = r"(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?)"
_DATE_ISO = re.compile(r"(?P<y>\d(?<![\d-]\d)\d{3})-(?P<mo>\d{2})-(?P<d>\d{2})(?!\d)")
_DATE_MDY = re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?(?![\d:])")
_DATE_DMY = re.compile(rf"(?P<d>\d(?<![\d.:]\d)\d?)(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH})(?:,?\s+(?P<y>\d{{4}}))?\b")
_JOIN = re.compile(r"(?:T|,?\s+at\s+|,\s*|\s+)")
_TIME = re.compile(
    r"(?P<h>\d(?<![\d:.]\d)\d?):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?(?!\d|:\d)"
    r"(?:\s?(?P<ampm>[AaPp]\.?[Mm]\.?)(?![A-Za-z]))?"
)
_TIME_AMPM = re.compile(r"(?P<h>\d(?<![\d:.]\d)\d?)\s?(?P<ampm>[AaPp]\.?[Mm]\.?)(?![A-Za-z])")
_AMPM_HINT = re.compile(r"\d\s?[ap]\.?m\.?(?![a-z])")

_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+")
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_ID_PATTERNS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"slack:(?<!\wslack:)[A-Za-z0-9#_.-]+:\d+\.\d+\b"), ("slack:",)),
    (re.compile(r"plan:(?<!\wplan:)[a-z0-9][a-z0-9-]*(?:#[a-z0-9-]+)?"), ("plan:",)),
    (re.compile(r"ZD-(?<!\wZD-)\d+(?:-c\d+)?(?:#[a-z0-9]+)?\b"), ("zd-",)),
    (re.compile(r"INC-(?<!\wINC-)\d{4}-\d{2,}\b"), ("inc-",)),
    (re.compile(r"INC(?<!\wINC)\d{5,}\b"), ("inc",)),
    # runbook ids come from file names: ``RB-check_status.gcp-mirror`` (a final ``.`` ends the sentence)
    (re.compile(r"RB-(?<!\wRB-)[A-Za-z0-9]+(?:[-_.]+[A-Za-z0-9]+)*(?:#[A-Za-z0-9-]+)?"), ("rb-",)),
    (re.compile(r"CVE-(?<!\wCVE-)\d{4}-\d{4,}\b"), ("cve-",)),
    (re.compile(r"(?P<prefix>[A-Z](?<!\w[A-Z])[A-Z0-9]{1,9})-\d+(?:-c\d+)?\b"), ("-",)),
    (re.compile(r"[A-Z](?<![\w-][A-Z])-\d{3,}\b"), ("-",)),  # error codes such as E-3507
    (
        re.compile(r"[rtcsjRTCSJ](?<!\w[rtcsjRTCSJ])(?i:equest|eq|race|xn|orr|pan|ob)[_-][A-Za-z0-9-]{6,}\b"),
        ("req", "trace", "txn", "corr", "span", "job"),
    ),
    (re.compile(r"[0-9a-f](?<![\w-][0-9a-f])[0-9a-f]{9,}(?![\w-])"), ()),
]
"""Record and reference id shapes, most specific first, each with lower-case pre-filter hints."""
ID_PREFIX_STOPLIST = frozenset(
    {
        "UTF",
        "SHA",
        "ISO",
        "COVID",
        "AES",
        "RSA",
        "MP",
        "TLS",
        "SSL",
        "HTTP",
        "HTTPS",
        "IPV",
        "RFC",
        "PCI",
        "SOC",
        "GDPR",
        "ARM",
        "GPT",
        "SEV",
        "TLSV",
        "IP",
        "ID",
        "WCAG",
        "IEEE",
        "ECMA",
        "PKCS",
        "X",
        "MD",
        "CRC",
        "NIST",
        "FIPS",
        "HIPAA",
        "LTE",
        "USB",
        "PCIE",
        "DDR",
        "ES",
        "PY",
        "EC",
        "TOP",
        "TIER",
        "PHASE",
        "STEP",
    }
)
_QUARTER = re.compile(r"\b(?:\d{4}\s?-?Q[1-4]|Q[1-4](?:\s|-)?\d{4}|Q[1-4]|H[12](?:\s\d{4})?|FY\d{2,4})\b")
_IP = re.compile(r"\d(?<![\w.]\d)\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?:/\d{1,2})?(?![\w]|\.\d)")
_VERSION_V = re.compile(r"v(?<![\w.]v)(?P<v>\d+\.\d+\.\d+(?:[-+][0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?)(?![\w]|\.\d)")
_VERSION_3 = re.compile(r"(?P<v>\d(?<![\w.]\d)\d*\.\d+\.\d+(?:[-+][0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?)(?![\w]|\.\d)")
_VERSION_SHORT = re.compile(r"[vV](?<!\w[vV])(?P<v>\d+(?:\.\d+)+|\d+(?:\.x)?)(?![\w]|\.\d)")
_VERSION_WORD = re.compile(r"\b(?i:version|release|build|ver\.?)\s+v?(?P<v>\d+(?:\.\d+)+|\d+(?:\.x)?)(?![\w]|\.\d)")
_REGION = re.compile(
    r"\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:gov-)?(?:east|west|north|south|central|northeast|southeast|northwest|southwest)-\d\b"
)
_TLDS = (
    "com|net|org|io|dev|app|cloud|co|ai|us|eu|uk|de|fr|nl|jp|au|ca|ch|se|no|in|"
    "internal|local|corp|lan|intra|example|test|svc|localdomain|invalid"
)
_TLD_END = re.compile(rf"\.(?:{_TLDS})(?![\w-]|\.[a-z0-9])")
"""A hostname's last label (matched on lower-cased text); the host is extended to the left."""
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_IP_HOST = re.compile(r"\bip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}\b")
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY_PRE = re.compile(
    rf"(?P<cur>[$€£])\s?(?P<num>{_NUM})(?:\s?(?P<mult>[kKmMbB](?:n)?|thousand|million|billion))?(?![A-Za-z\d])"
)
_MONEY_POST = re.compile(
    rf"(?<![\w.])(?P<num>{_NUM})(?:\s?(?P<mult>[kKmM]|thousand|million|billion))?\s?(?P<cur>USD|EUR|GBP|dollars)\b"
)
_PERCENT = re.compile(rf"(?P<num>\d(?<![\w.]\d){_NUM_TAIL})\s?(?:%|percent\b|per cent\b|pct\b)")
_DUR_UNIT = r"(?:days?|hours?|hrs?|minutes?|mins?|seconds?|secs?|weeks?|wks?|d|h|m)"
_DUR_PART = rf"\d+(?:\.\d+)?\s?{_DUR_UNIT}(?![A-Za-z])"
_DURATION = re.compile(rf"\d(?<![\w.]\d)\d*(?:\.\d+)?\s?{_DUR_UNIT}(?![A-Za-z])(?:(?:\s|,\s?|\s?and\s)\s*{_DUR_PART})*")
_DUR_PIECE = re.compile(rf"(?P<n>\d+(?:\.\d+)?)\s?(?P<u>{_DUR_UNIT})(?![A-Za-z])")
_UNIT_MINUTES = {"w": 10080, "d": 1440, "h": 60, "m": 1, "s": 1 / 60}
_YEAR = re.compile(r"(?:1(?<![\w.,-]1)9|2(?<![\w.,-]2)0)\d{2}(?![\w]|[.,]\d)")
_NUMBER = re.compile(rf"(?P<num>\d(?<![\w.,/@:-]\d){_NUM_TAIL})(?:s(?![\w]))?(?![\w]|[.,]\d)")
_STOP_PHRASES = re.compile(r"\b24/7\b|\b24x7\b|(?<![\w-])(?:[45]xx|[Pp]\d{2,3})(?![\w-])|\b(?:top|Top)\s\d{1,2}\b")
_NAME_STOP = frozenset(
    {
        "The",
        "And",
        "From",
        "On",
        "At",
        "In",
        "To",
        "With",
        "UTC",
        "For",
        "Team",
        "Engineering",
        "Support",
        "Is",
        "Was",
        "Will",
        "Has",
        "Had",
        "Said",
        "Confirmed",
        "Reported",
        "Asked",
        "Of",
        "Or",
        "As",
    }
)


# --- normalisation helpers ---------------------------------------------------------------


_HEX = re.compile(r"[0-9a-f]+")


def normalize_id(raw: str) -> str:
    """IDs compare case-insensitively, except the lower-case slug forms (``plan:``, ``slack:``)."""
    if raw.startswith(("slack:", "plan:")) or _HEX.fullmatch(raw):
        return raw
    return raw.upper()


def _tz_minutes(match: re.Match[str] | None) -> int | None:
    if match is None:
        return None
    if match.group("z"):
        return 0
    if match.group("num"):
        raw = match.group("num").replace(":", "")
        sign = -1 if raw[0] == "-" else 1
        return sign * (int(raw[1:3]) * 60 + int(raw[3:5]))
    name = match.group("name") or match.group("pname")
    offset = match.group("off") or match.group("poff")
    base = TZ_OFFSETS[name.upper()]
    if offset:
        raw = offset.replace(":", "")
        sign = -1 if raw[0] == "-" else 1
        digits = raw[1:]
        hours, mins = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        base += sign * (hours * 60 + mins)
    return base


def _hour(h: int, ampm: str | None) -> int | None:
    if ampm:
        marker = ampm.lower().replace(".", "")
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if marker.startswith("p") else 0)
    return h if 0 <= h <= 23 else None


def _month(raw: str) -> int:
    return _MONTH_NAMES[raw[:3].lower()]


def _decimals(num: str) -> int:
    return len(num.split(".", 1)[1]) if "." in num else 0


def _float(num: str) -> float:
    return float(num.replace(",", ""))


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


# --- people ---------------------------------------------------------------------------


@dataclass
class PeopleMatcher:
    """Finds person names: every known full name, plus ``Known-first-name Capitalised`` pairs
    that are not a known person (a likely wrong or invented name).

    Only the names (and first names) that occur in a text as substrings are compiled into the
    pattern for it, so a portfolio with thousands of people stays fast.
    """

    names: frozenset[str]
    first_names: frozenset[str] = frozenset()
    _full: list[str] = field(default_factory=list, init=False, repr=False)
    _firsts: list[str] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self._full = sorted((n for n in self.names if len(n) >= 4 and " " in n.strip()), key=len, reverse=True)
        firsts = {n.split()[0] for n in self._full} | set(self.first_names)
        self._firsts = sorted((f for f in firsts if len(f) >= 3 and f[0].isupper()), key=len, reverse=True)

    @classmethod
    def from_names(cls, names: Iterable[str]) -> "PeopleMatcher":
        clean = frozenset(n.strip() for n in names if n and n.strip())
        return cls(clean)

    def find(self, text: str) -> Iterator[tuple[int, int, str, bool]]:
        """``(start, end, name, known)`` for every name in ``text``."""
        full = tuple(n for n in self._full if n in text)
        if full:
            for match in _names_pattern(full).finditer(text):
                yield match.start(), match.end(), match.group(0), True
        firsts = tuple(f + " " for f in self._firsts if f + " " in text)
        if firsts:
            for match in _first_names_pattern(firsts).finditer(text):
                if match.group("last") in _NAME_STOP or match.group(0) in self.names:
                    continue
                yield match.start(), match.end(), match.group(0), False


@lru_cache(maxsize=4096)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")


@lru_cache(maxsize=4096)
def _first_names_pattern(firsts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w])(?P<first>"
        + "|".join(re.escape(f.strip()) for f in firsts)
        + r")\s(?P<last>[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?)(?![\w])"
    )


# --- extraction -------------------------------------------------------------------------


class _Claims:
    """Which characters already belong to an atom."""

    def __init__(self, n: int) -> None:
        self.taken = bytearray(n)

    def free(self, a: int, b: int) -> bool:
        return self.taken.find(1, a, b) < 0

    def take(self, a: int, b: int) -> None:
        self.taken[a:b] = b"\x01" * (b - a)


def _make_dt(y: int, mo: int, d: int, h: int = 0, mi: int = 0, tz: int | None = 0) -> datetime | None:
    try:
        local = datetime(y, mo, d, h, mi, tzinfo=timezone.utc)
    except ValueError:
        return None
    return local - timedelta(minutes=tz or 0)


def _time_after(text: str, pos: int) -> tuple[int, int, int | None, int] | None:
    """A time right after a date: ``(hour, minute, tz offset minutes or None, end)``."""
    join = _JOIN.match(text, pos)
    if join is None:
        return None
    for pattern in (_TIME, _TIME_AMPM):
        match = pattern.match(text, join.end())
        if match is None:
            continue
        hour = _hour(int(match.group("h")), match.group("ampm"))
        minute = int(match.groupdict().get("mi") or 0)
        if hour is None or minute > 59:
            continue
        tz = _TZ.match(text, match.end())
        return hour, minute, _tz_minutes(tz), tz.end() if tz else match.end()
    return None


def _dates_and_times(
    text: str,
    claims: _Claims,
    out: list[Atom],
    default_year: int | None,
    iso: bool = True,
    months: bool = True,
    colon: bool = True,
    ampm: bool = True,
) -> None:
    found: list[tuple[int, int, date | tuple[int, int], bool]] = []
    for match in _DATE_ISO.finditer(text) if iso else ():
        try:
            found.append((match.start(), match.end(), date(int(match["y"]), int(match["mo"]), int(match["d"])), True))
        except ValueError:
            continue
    for pattern in (_DATE_MDY, _DATE_DMY) if months else ():
        for match in pattern.finditer(text):
            try:
                month, day = _month(match["mon"]), int(match["d"])
                if match["y"]:
                    found.append((match.start(), match.end(), date(int(match["y"]), month, day), True))
                else:
                    date(2000, month, day)
                    found.append((match.start(), match.end(), (month, day), False))
            except (ValueError, KeyError):
                continue
    for start, end, value, _has_year in sorted(found, key=lambda f: (f[0], -f[1])):
        if not claims.free(start, end):
            continue
        after = _time_after(text, end)
        if after is not None:
            hour, minute, tz, stop = after
            if isinstance(value, date):
                dt = _make_dt(value.year, value.month, value.day, hour, minute, tz)
                if dt is not None and claims.free(start, stop):
                    claims.take(start, stop)
                    out.append(Atom("datetime", text[start:stop], start, stop, dt, tz_explicit=tz is not None))
                    continue
            elif claims.free(start, stop):
                # month-day + time without a year: keep both parts as separate atoms
                claims.take(start, stop)
                out.append(Atom("monthday", text[start:end], start, end, value))
                t_start = _JOIN.match(text, end).end()  # type: ignore[union-attr]
                t = (hour, minute) if tz is None else _shift(hour, minute, tz)
                out.append(Atom("time", text[t_start:stop], t_start, stop, t, tz_explicit=tz is not None))
                continue
        claims.take(start, end)
        if isinstance(value, date):
            out.append(Atom("date", text[start:end], start, end, value))
        else:
            out.append(Atom("monthday", text[start:end], start, end, value))
    for pattern in (_TIME,) * colon + (_TIME_AMPM,) * ampm:
        for match in pattern.finditer(text):
            hour = _hour(int(match.group("h")), match.group("ampm"))
            minute = int(match.groupdict().get("mi") or 0)
            if hour is None or minute > 59:
                continue
            if pattern is _TIME_AMPM and not match.group("ampm"):
                continue
            tz_match = _TZ.match(text, match.end())
            stop = tz_match.end() if tz_match else match.end()
            if not claims.free(match.start(), stop):
                continue
            tz = _tz_minutes(tz_match)
            claims.take(match.start(), stop)
            value = (hour, minute) if tz is None else _shift(hour, minute, tz)
            out.append(Atom("time", text[match.start() : stop], match.start(), stop, value, tz_explicit=tz is not None))


def _shift(hour: int, minute: int, tz: int) -> tuple[int, int]:
    total = (hour * 60 + minute - tz) % 1440
    return divmod(total, 60)


def _simple(
    pattern: re.Pattern[str],
    kind: str,
    text: str,
    claims: _Claims,
    out: list[Atom],
    value=lambda m: m.group(0),
    group: int | str = 0,
) -> None:
    for match in pattern.finditer(text):
        a, b = match.span(group)
        if a < 0 or not claims.free(a, b):
            continue
        v = value(match)
        if v is None:
            continue
        claims.take(a, b)
        out.append(Atom(kind, text[a:b], a, b, v))


_UNIT_RANK = {"w": 5, "d": 4, "h": 3, "m": 2, "s": 1}


def _hostnames(text: str, lower: str, claims: _Claims, out: list[Atom]) -> None:
    """Hostnames, found from their last label (``.com``, ``.internal`` …) leftwards."""
    for match in _TLD_END.finditer(lower):
        start = match.start()
        while start > 0 and text[start - 1] in _HOST_CHARS:
            start -= 1
        while start < match.start() and text[start] in ".-":
            start += 1
        end = match.end()
        if start >= match.start() or (start > 0 and text[start - 1] in "@_"):
            continue
        host = text[start:end]
        labels = host.split(".")
        if any(not label or label[0] == "-" or label[-1] == "-" for label in labels):
            continue
        if not claims.free(start, end):
            continue
        claims.take(start, end)
        out.append(Atom("hostname", host, start, end, host.lower()))


def _duration_groups(match: re.Match[str]) -> list[tuple[int, int, float, float]]:
    """Split a run like ``3h 20m, 200 minutes`` into durations whose units strictly decrease:
    ``(start, end, minutes, tolerance)`` each."""
    groups: list[list[tuple[int, int, str, str]]] = []
    for piece in _DUR_PIECE.finditer(match.group(0)):
        unit = piece.group("u").lower()
        key = "w" if unit.startswith("w") else "s" if unit.startswith("s") else unit[0]
        item = (match.start() + piece.start(), match.start() + piece.end(), piece.group("n"), key)
        if groups and _UNIT_RANK[groups[-1][-1][3]] > _UNIT_RANK[key] and "." not in groups[-1][-1][2]:
            groups[-1].append(item)
        else:
            groups.append([item])
    out = []
    for group in groups:
        total, smallest = 0.0, None
        for _a, _b, num, key in group:
            factor = _UNIT_MINUTES[key]
            total += float(num) * factor
            step = factor * (10 ** -_decimals(num))
            smallest = step if smallest is None else min(smallest, step)
        out.append((group[0][0], group[-1][1], total, (smallest or 1) / 2))
    return out


_STOP_HINT = re.compile(r"24/7|24x7|xx|[Pp]\d\d|op \d")
_MONTH_HINT = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")


def extract_atoms(
    text: str, *, people: PeopleMatcher | None = None, known_ids: Iterable[str] = (), default_year: int | None = None
) -> list[Atom]:
    """Every fact atom in ``text``, sorted by position.

    Args:
        people: known names to look for (without it, no ``person`` atoms).
        known_ids: short record ids that only count as IDs when they are known (``V1``,
            ``R2``, ``S3`` in account plans).
    """
    if _STOP_HINT.search(text):
        text = _STOP_PHRASES.sub(lambda m: " " * len(m.group(0)), text)
    lower = text.lower()
    has_digit = any(ch.isdigit() for ch in text)
    claims = _Claims(len(text))
    out: list[Atom] = []

    if "://" in text:
        for match in _URL.finditer(text):
            raw = match.group(0).rstrip(".,;:!?)'\"")
            a, b = match.start(), match.start() + len(raw)
            claims.take(a, b)
            out.append(Atom("url", raw, a, b, _norm_url(raw)))
    if "@" in text:
        _simple(_EMAIL, "email", text, claims, out, value=lambda m: m.group(0).lower())
    if has_digit:
        for pattern, hints in _ID_PATTERNS:
            if hints and not any(h in lower for h in hints):
                continue
            for match in pattern.finditer(text):
                a, b = match.span()
                raw = match.group(0)
                if "prefix" in pattern.groupindex and match.group("prefix") in ID_PREFIX_STOPLIST:
                    continue
                if (pattern is _ID_PATTERNS[-1][0] or pattern is _ID_PATTERNS[-2][0]) and not (
                    any(c.isdigit() for c in raw) and (pattern is _ID_PATTERNS[-2][0] or not raw.isdigit())
                ):
                    continue  # a request id needs a digit; a hex id needs a digit and a letter
                if not claims.free(a, b):
                    continue
                claims.take(a, b)
                out.append(Atom("id", raw, a, b, normalize_id(raw)))
        _dates_and_times(
            text,
            claims,
            out,
            default_year,
            "-" in text,
            bool(_MONTH_HINT.search(text)),
            ":" in text,
            bool(_AMPM_HINT.search(lower)),
        )
        if "Q" in text or "H1" in text or "H2" in text or "FY" in text:
            _simple(_QUARTER, "quarter", text, claims, out)
        if "." in text:
            _simple(_IP, "ip", text, claims, out)
        versions = [_VERSION_V, _VERSION_3] if "." in text else []
        versions.append(_VERSION_SHORT)
        if "version" in lower or "release" in lower or "build" in lower or "ver." in lower:
            versions.append(_VERSION_WORD)
        for pattern in versions:
            for match in pattern.finditer(text):
                a, b = match.span()
                if not claims.free(a, b):
                    continue
                claims.take(a, b)
                out.append(Atom("version", match.group(0), a, b, match.group("v").lower()))
        if "-" in text:
            _simple(_REGION, "region", text, claims, out, value=lambda m: m.group(0).lower())
    if "." in text:
        _hostnames(text, lower, claims, out)
    if has_digit:
        if "ip-" in text:
            _simple(_IP_HOST, "hostname", text, claims, out, value=lambda m: m.group(0).lower())
        money = [_MONEY_PRE] if any(c in text for c in "$€£") else []
        if "USD" in text or "EUR" in text or "GBP" in text or "dollars" in text:
            money.append(_MONEY_POST)
        for pattern in money:
            for match in pattern.finditer(text):
                a, b = match.span()
                if not claims.free(a, b):
                    continue
                mult = (match.group("mult") or "").lower()
                scale = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}.get(
                    mult, 1.0
                )
                claims.take(a, b)
                out.append(
                    Atom(
                        "money",
                        match.group(0),
                        a,
                        b,
                        _float(match.group("num")) * scale,
                        decimals=_decimals(match.group("num")),
                        scale=scale,
                    )
                )
        if "%" in text or "per" in lower or "pct" in lower:
            for match in _PERCENT.finditer(text):
                a, b = match.span()
                if claims.free(a, b):
                    claims.take(a, b)
                    out.append(
                        Atom(
                            "percent",
                            match.group(0),
                            a,
                            b,
                            _float(match.group("num")),
                            decimals=_decimals(match.group("num")),
                        )
                    )
        for match in _DURATION.finditer(text):
            for a, b, minutes, tolerance in _duration_groups(match):
                if claims.free(a, b):
                    claims.take(a, b)
                    out.append(Atom("duration", text[a:b], a, b, minutes, tolerance=tolerance))
    if people is not None:
        for a, b, name, _known in sorted(people.find(text), key=lambda t: (t[0], -(t[1] - t[0]))):
            if claims.free(a, b):
                claims.take(a, b)
                out.append(Atom("person", name, a, b, name))
    short = {i for i in known_ids if i and i in text}
    if short:
        pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(i) for i in sorted(short, key=len, reverse=True)) + r")(?![\w-])"
        )
        _simple(pattern, "id", text, claims, out, value=lambda m: normalize_id(m.group(0)))
    if has_digit:
        _simple(_YEAR, "year", text, claims, out, value=lambda m: float(m.group(0)))
        for match in _NUMBER.finditer(text):
            a, b = match.span("num")
            if claims.free(a, b):
                claims.take(a, b)
                out.append(
                    Atom(
                        "number",
                        match.group("num"),
                        a,
                        b,
                        _float(match.group("num")),
                        decimals=_decimals(match.group("num")),
                    )
                )
    out.sort(key=lambda atom: (atom.start, atom.end))
    return out


@lru_cache(maxsize=65536)
def atoms_of(text: str) -> tuple[Atom, ...]:
    """``extract_atoms(text)`` without people, memoised (record and fact texts repeat)."""
    return tuple(extract_atoms(text))


def _norm_url(raw: str) -> str:
    match = re.match(r"(?i)(https?)://([^/?#]+)(.*)", raw)
    if not match:
        return raw.lower()
    return f"{match.group(1).lower()}://{match.group(2).lower()}{match.group(3)}".rstrip("/")


# --- the grounding universe ----------------------------------------------------------------

_WORTH = re.compile(r"[\d@.]")
_ID_KEY = re.compile(r"(?:^|_)ids?$")
_DURATION_KEY = re.compile(r"minute|duration|mtt[rmad]|time_to|elapsed|cadence|_min$|_mins$", re.IGNORECASE)


class Universe:
    """The atoms a draft's facts and sources contain, indexed for ``grounds``."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.minutes: set[datetime] = set()
        self.dates: set[date] = set()
        self.monthdays: set[tuple[int, int]] = set()
        self.times: set[tuple[int, int]] = set()
        self.years: set[float] = set()
        self.durations: set[float] = set()
        self.numbers: set[float] = set()
        self.percents: set[float] = set()
        self.money: set[float] = set()
        self.versions: set[str] = set()
        self.emails: set[str] = set()
        self.urls: set[str] = set()
        self.hosts: set[str] = set()
        self.ips: set[str] = set()
        self.regions: set[str] = set()
        self.people: set[str] = set()
        self._rounded: dict[tuple[str, int, float], set[float]] = {}

    # building -------------------------------------------------------------------------

    @classmethod
    def union(cls, parts: Iterable["Universe"]) -> "Universe":
        out = cls()
        for part in parts:
            for name, value in vars(part).items():
                if isinstance(value, set):
                    getattr(out, name).update(value)
        return out

    def add_text(self, text: str) -> "Universe":
        if not _WORTH.search(text):
            return self
        for atom in atoms_of(text):
            self.add_atom(atom)
        return self

    def add_atom(self, atom: Atom) -> None:
        kind, value = atom.kind, atom.value
        if kind == "id":
            self.add_id(atom.text)
        elif kind == "datetime":
            self.add_datetime(value)
        elif kind == "date":
            self.add_date(value)
        elif kind == "monthday":
            self.monthdays.add(value)
        elif kind == "time":
            self.times.add(value)
        elif kind == "year":
            self.years.add(value)
        elif kind == "duration":
            self.durations.add(round(value, 3))
        elif kind == "number":
            self.numbers.add(value)
        elif kind == "percent":
            self.percents.add(value)
        elif kind == "money":
            self.money.add(value)
            self.numbers.add(value)
        elif kind == "version":
            self.versions.add(value)
        elif kind == "email":
            self.emails.add(value)
            self.hosts.add(value.split("@", 1)[1])
        elif kind == "url":
            self.urls.add(value)
            host = re.sub(r"^https?://", "", value).split("/", 1)[0].split(":", 1)[0]
            self.hosts.add(host)
        elif kind == "hostname":
            self.hosts.add(value)
        elif kind == "ip":
            self.ips.add(value)
        elif kind == "region":
            self.regions.add(value)
        elif kind == "person":
            self.people.add(value)

    def add_id(self, raw: str) -> None:
        norm = normalize_id(raw)
        self.ids.add(norm)
        if "#" in norm:
            self.ids.add(norm.split("#", 1)[0])
        tail = re.search(r"(\d+)$", norm.split("#", 1)[0])
        if tail:
            self.numbers.add(float(tail.group(1)))

    def add_datetime(self, dt: datetime) -> None:
        dt = dt.astimezone(timezone.utc).replace(second=0, microsecond=0)
        self.minutes.add(dt)
        self.add_date(dt.date())
        self.times.add((dt.hour, dt.minute))

    def add_date(self, d: date) -> None:
        self.dates.add(d)
        self.monthdays.add((d.month, d.day))
        self.years.add(float(d.year))

    def add_value(self, value: Any, key: str = "", *, infer_durations: bool = True) -> None:
        """Add a fact value (any JSON-like structure) under its key name.

        With ``infer_durations`` a number under a key such as ``update_cadence_minutes`` also
        counts as a duration (records); facts print their minute durations as text, so they pass
        False. A number under ``…days…``/``…hours…`` keys is always a duration in that unit.
        """
        if isinstance(value, Mapping):
            for k, v in value.items():
                self.add_value(v, str(k), infer_durations=infer_durations)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for v in value:
                self.add_value(v, key, infer_durations=infer_durations)
        elif isinstance(value, bool) or value is None:
            return
        elif isinstance(value, (int, float)):
            self.numbers.add(float(value))
            if 0 < value < 1 and isinstance(value, float):
                self.percents.add(value * 100)
            if infer_durations and _DURATION_KEY.search(key):
                self.durations.add(round(float(value), 3))
            for unit, factor in (("second", 1 / 60), ("hour", 60.0), ("day", 1440.0), ("week", 10080.0)):
                if unit in key.lower():
                    self.durations.add(round(float(value) * factor, 3))
        elif isinstance(value, datetime):
            self.add_datetime(value)
        elif isinstance(value, date):
            self.add_date(value)
        elif isinstance(value, str):
            if _ID_KEY.search(key) and value and " " not in value.strip():
                self.add_id(value.strip())
            dt = parse_datetime_value(value)
            if dt is not None:
                self.add_datetime(dt)
            elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                try:
                    self.add_date(date.fromisoformat(value))
                except ValueError:
                    pass
            self.add_text(value)

    def add_pairwise_durations(self, times: Iterable[datetime]) -> None:
        """Every whole-minute gap between two of ``times`` counts as a stated duration."""
        moments = sorted({t.astimezone(timezone.utc).replace(second=0, microsecond=0) for t in times})
        for i, a in enumerate(moments):
            for b in moments[i + 1 :]:
                self.durations.add(round((b - a).total_seconds() / 60, 3))

    # matching --------------------------------------------------------------------------

    def _round_set(self, name: str, decimals: int, scale: float) -> set[float]:
        key = (name, decimals, scale)
        cached = self._rounded.get(key)
        if cached is None:
            cached = {round(v / scale, decimals) for v in getattr(self, name)}
            self._rounded[key] = cached
        return cached

    def _numeric(self, atom: Atom, *names: str) -> bool:
        target = round(atom.value / atom.scale, atom.decimals)
        return any(target in self._round_set(name, atom.decimals, atom.scale) for name in names)

    def grounds(self, atom: Atom) -> bool:
        """Whether ``atom`` is backed by these facts and sources."""
        kind, value = atom.kind, atom.value
        if kind == "id":
            return value in self.ids or value.split("#", 1)[0] in self.ids
        if kind == "datetime":
            return value in self.minutes
        if kind == "date":
            return value in self.dates
        if kind == "monthday":
            return value in self.monthdays
        if kind == "time":
            return value in self.times
        if kind == "year":
            return value in self.years
        if kind == "duration":
            slack = atom.tolerance if atom.tolerance < 0.5 else max(atom.tolerance, 0.5)
            return any(abs(d - value) <= slack for d in self.durations)
        if kind == "percent":
            return self._numeric(atom, "percents")
        if kind == "money":
            return self._numeric(atom, "money", "numbers")
        if kind == "number":
            return self._numeric(atom, "numbers", "percents", "money")
        if kind == "version":
            return (
                value in self.versions
                or value.rstrip(".x") in {v.rsplit(".", 1)[0] for v in self.versions}
                or any(v.startswith(value + ".") for v in self.versions)
            )
        if kind == "email":
            return value in self.emails
        if kind == "url":
            return value in self.urls or any(u.startswith(value) for u in self.urls)
        if kind == "hostname":
            return value in self.hosts
        if kind == "ip":
            return value in self.ips
        if kind == "region":
            return value in self.regions
        if kind == "person":
            return value in self.people
        return True  # quarters and anything not checked
