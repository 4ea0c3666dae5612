"""Quarter and half-year labels: ``Q3``, ``2026-Q3``, ``Q3 2026``, ``H1 2026``, ``FY26``."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import Scan

__all__ = ["KIND", "QUARTER", "recognize"]

KIND = "quarter"
QUARTER = re.compile(r"\b(?:\d{4}\s?-?Q[1-4]|Q[1-4](?:\s|-)?\d{4}|Q[1-4]|H[12](?:\s\d{4})?|FY\d{2,4})\b")


def recognize(scan: Scan) -> None:
    text = scan.text
    if scan.has_digit and ("Q" in text or "H1" in text or "H2" in text or "FY" in text):
        scan.simple(QUARTER, KIND)
