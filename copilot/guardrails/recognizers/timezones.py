"""Time zones as people write them after a time: ``Z``, ``+02:00``, ``UTC``, ``(CEST)``, ``EST-1``."""

from __future__ import annotations

import re

__all__ = ["TZ", "TZ_OFFSETS", "tz_minutes"]

TZ_OFFSETS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180, "WET": 0,
    "WEST": 60, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480,
    "PDT": -420, "IST": 330, "JST": 540, "SGT": 480, "AEST": 600, "AEDT": 660,
}  # fmt: skip
"""Zone abbreviation -> minutes east of UTC."""

_NAMES = "|".join(sorted((k for k in TZ_OFFSETS if k != "Z"), key=len, reverse=True))
_OFF = r"[+-]\d{1,2}(?::?\d{2})?"
TZ = re.compile(
    rf"(?:(?P<z>Z)(?![A-Za-z0-9])"
    rf"|\s?(?P<num>[+-]\d{{2}}:?\d{{2}})(?![\d])"
    rf"|\s?\(\s?(?P<pname>{_NAMES})(?:\s?(?P<poff>{_OFF}))?\s?\)"
    rf"|\s?(?P<name>{_NAMES})(?:\s?(?P<off>{_OFF}))?(?![A-Za-z]))"
)
"""A zone right after a time (``match`` at the time's end)."""


def _offset(raw: str) -> int:
    raw = raw.replace(":", "")
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:]
    hours, mins = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return sign * (hours * 60 + mins)


def tz_minutes(match: re.Match[str] | None) -> int | None:
    """Minutes east of UTC of a ``TZ`` match; None when no zone was written."""
    if match is None:
        return None
    if match.group("z"):
        return 0
    if match.group("num"):
        return _offset(match.group("num"))
    name = match.group("name") or match.group("pname")
    offset = match.group("off") or match.group("poff")
    return TZ_OFFSETS[name.upper()] + (_offset(offset) if offset else 0)
