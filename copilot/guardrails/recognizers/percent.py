"""Percentages: ``35%``, ``92.3 %``, ``35 percent``, ``35 per cent``, ``35 pct``."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import NUM_TAIL, Scan, decimals, to_float

__all__ = ["KIND", "recognize"]

KIND = "percent"
PERCENT = re.compile(rf"(?P<num>\d(?<![\w.]\d){NUM_TAIL})\s?(?:%|percent\b|per cent\b|pct\b)")


def recognize(scan: Scan) -> None:
    if not scan.has_digit or not ("%" in scan.text or "per" in scan.lower or "pct" in scan.lower):
        return
    for match in PERCENT.finditer(scan.text):
        num = match.group("num")
        scan.claim(KIND, *match.span(), to_float(num), decimals=decimals(num))
