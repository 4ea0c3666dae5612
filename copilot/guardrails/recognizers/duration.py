"""Durations in digits: ``3h 20m``, ``200 minutes``, ``2d 3h 10m``, ``1.5 hours``, ``450 ms``,
``30s``; value in minutes (``number_words`` reads ``three hours``).

A run whose units strictly decrease is one duration (``3h 20m`` is 200 minutes); ``3h 20m, 200
minutes`` is two. ``tolerance`` is half the smallest unit written (``1.5 hours``: 3 minutes).
"""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import Scan, decimals

__all__ = ["KIND", "UNIT_MINUTES", "recognize", "unit_key"]

KIND = "duration"
DUR_UNIT = r"(?:days?|hours?|hrs?|minutes?|mins?|milliseconds?|msecs?|ms|seconds?|secs?|weeks?|wks?|d|h|m|s)"
_PART = rf"\d+(?:\.\d+)?\s?{DUR_UNIT}(?![A-Za-z])"
DURATION = re.compile(rf"\d(?<![\w.]\d)\d*(?:\.\d+)?\s?{DUR_UNIT}(?![A-Za-z])(?:(?:\s|,\s?|\s?and\s)\s*{_PART})*")
_PIECE = re.compile(rf"(?P<n>\d+(?:\.\d+)?)\s?(?P<u>{DUR_UNIT})(?![A-Za-z])")
UNIT_MINUTES = {"w": 10080, "d": 1440, "h": 60, "m": 1, "s": 1 / 60, "ms": 1 / 60000}
_RANK = {"w": 5, "d": 4, "h": 3, "m": 2, "s": 1, "ms": 0}


def unit_key(unit: str) -> str:
    """``hours`` -> ``h``, ``secs`` -> ``s``, ``wks`` -> ``w`` (a key of ``UNIT_MINUTES``)."""
    unit = unit.lower()
    if unit.startswith(("ms", "milli")):
        return "ms"
    return "w" if unit.startswith("w") else "s" if unit.startswith("s") else unit[0]


def _groups(match: re.Match[str]) -> list[tuple[int, int, float, float]]:
    """``(start, end, minutes, tolerance)`` of each strictly-decreasing run in ``match``."""
    groups: list[list[tuple[int, int, str, str]]] = []
    for piece in _PIECE.finditer(match.group(0)):
        key = unit_key(piece.group("u"))
        if piece.group("u") == "s" and len(piece.group("n").split(".")[0]) > 2:
            break  # "504s" (HTTP errors), "the 1990s": a bare "s" is seconds after one or two digits only
        item = (match.start() + piece.start(), match.start() + piece.end(), piece.group("n"), key)
        if groups and _RANK[groups[-1][-1][3]] > _RANK[key] and "." not in groups[-1][-1][2]:
            groups[-1].append(item)
        else:
            groups.append([item])
    out = []
    for group in groups:
        total, smallest = 0.0, None
        for _a, _b, num, key in group:
            factor = UNIT_MINUTES[key]
            total += float(num) * factor
            step = factor * (10 ** -decimals(num))
            smallest = step if smallest is None else min(smallest, step)
        out.append((group[0][0], group[-1][1], total, (smallest or 1) / 2))
    return out


def recognize(scan: Scan) -> None:
    if not scan.has_digit:
        return
    for match in DURATION.finditer(scan.text):
        for a, b, minutes, tolerance in _groups(match):
            scan.claim(KIND, a, b, minutes, tolerance=tolerance)
