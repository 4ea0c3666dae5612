"""Differences of percentages: ``4.2 percentage points``, ``3 pp``, ``1.5 p.p.``, ``2 ppt``
(kind ``points``). Grounded by a percentage of the records or the difference of two."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import NUM_TAIL, Scan, decimals, to_float

__all__ = ["KIND", "recognize"]

KIND = "points"
POINTS = re.compile(
    rf"(?P<num>\d(?<![\w.]\d){NUM_TAIL})\s?(?:percentage[- ]points?|pct\.?\s?(?:points?|pts)|pp\b|p\.p\.|ppts?\b)"
)


def recognize(scan: Scan) -> None:
    if not scan.has_digit or not ("point" in scan.lower or "pp" in scan.lower or "p.p." in scan.lower
                                  or "pts" in scan.lower):
        return
    for match in POINTS.finditer(scan.text):
        num = match.group("num")
        scan.claim(KIND, *match.span(), to_float(num), decimals=decimals(num))
