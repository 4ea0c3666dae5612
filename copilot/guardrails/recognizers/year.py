"""Years on their own (``2026``, ``1998``), not part of a number, date or id."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import Scan

__all__ = ["KIND", "recognize"]

KIND = "year"
YEAR = re.compile(r"(?:1(?<![\w.,-]1)9|2(?<![\w.,-]2)0)\d{2}(?![\w]|[.,]\d)")


def recognize(scan: Scan) -> None:
    if scan.has_digit:
        scan.simple(YEAR, KIND, value=lambda m: float(m.group(0)))
