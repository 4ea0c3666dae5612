"""Plain numbers in digits (``1,240``, ``92.3``, ``12s`` as in "the 1990s"): whatever no other
recognizer took. Digits inside ids, dates and versions are never numbers."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import NUM_TAIL, Scan, decimals, to_float

__all__ = ["KIND", "recognize"]

KIND = "number"
NUMBER = re.compile(rf"(?P<num>\d(?<![\w.,/@:-]\d){NUM_TAIL})(?:s(?![\w]))?(?![\w]|[.,]\d)")


def recognize(scan: Scan) -> None:
    if not scan.has_digit:
        return
    for match in NUMBER.finditer(scan.text):
        num = match.group("num")
        scan.claim(KIND, *match.span("num"), to_float(num), decimals=decimals(num))
