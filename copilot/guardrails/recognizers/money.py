"""Amounts of money: ``$1.2M``, ``$480,000``, ``€45k``, ``1,200 USD``, ``3 million dollars``.

The value is the amount (``$1.2M`` is 1,200,000, compared to the precision written: ``scale``
1e6 and one decimal).
"""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import NUM, Scan, decimals, to_float

__all__ = ["KIND", "SCALES", "recognize"]

KIND = "money"
MONEY_PRE = re.compile(
    rf"(?P<cur>[$€£])\s?(?P<num>{NUM})(?:\s?(?P<mult>[kKmMbB](?:n)?|thousand|million|billion))?(?![A-Za-z\d])"
)
MONEY_POST = re.compile(
    rf"(?<![\w.])(?P<num>{NUM})(?:\s?(?P<mult>[kKmM]|thousand|million|billion))?\s?(?P<cur>USD|EUR|GBP|dollars)\b"
)
SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
"""Multiplier suffix (lower case) -> factor."""


def recognize(scan: Scan) -> None:
    if not scan.has_digit:
        return
    text = scan.text
    patterns = [MONEY_PRE] if any(c in text for c in "$€£") else []
    if "USD" in text or "EUR" in text or "GBP" in text or "dollars" in text:
        patterns.append(MONEY_POST)
    for pattern in patterns:
        for match in pattern.finditer(text):
            scale = SCALES.get((match.group("mult") or "").lower(), 1.0)
            num = match.group("num")
            scan.claim(KIND, *match.span(), to_float(num) * scale, decimals=decimals(num), scale=scale)
