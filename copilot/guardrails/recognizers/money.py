"""Amounts of money with their currency: ``$1.2M``, ``US$480,000``, ``€45k``, ``£3,000``,
``USD 4.5M``, ``1,200 EUR``, ``3 million dollars``, ``250 euros``.

The value is the amount (``$1.2M`` is 1,200,000, compared to the precision written: ``scale``
1e6 and one decimal); ``unit`` the ISO code of the currency written, so the right amount in the
wrong currency is not grounded by the record's amount.
"""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import NUM, Scan, decimals, to_float

__all__ = ["CURRENCIES", "KIND", "SCALES", "recognize"]

KIND = "money"
CURRENCIES = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD",
    "€": "EUR", "eur": "EUR", "euros": "EUR", "euro": "EUR",
    "£": "GBP", "gbp": "GBP", "pounds sterling": "GBP",
}  # fmt: skip
"""The currency as written (lower case) -> its ISO code."""
_MULT = r"(?:\s?(?P<mult>[kKmMbB](?:n)?|thousand|million|billion))?"
MONEY_PRE = re.compile(rf"(?P<cur>US\$|[$€£]|(?:USD|EUR|GBP)\s?)(?P<num>{NUM}){_MULT}(?![A-Za-z\d])")
MONEY_POST = re.compile(
    rf"(?<![\w.])(?P<num>{NUM})(?:\s?(?P<mult>[kKmM]|thousand|million|billion))?\s?"
    r"(?P<cur>USD|EUR|GBP|dollars|euros?|pounds sterling)\b"
)
SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
"""Multiplier suffix (lower case) -> factor."""
_POST_HINTS = ("USD", "EUR", "GBP", "dollar", "euro", "pounds sterling")


def recognize(scan: Scan) -> None:
    if not scan.has_digit:
        return
    text = scan.text
    patterns = [MONEY_PRE] if any(c in text for c in "$€£") or "USD" in text or "EUR" in text or "GBP" in text else []
    if any(h in text for h in _POST_HINTS):
        patterns.append(MONEY_POST)
    for pattern in patterns:
        for match in pattern.finditer(text):
            scale = SCALES.get((match.group("mult") or "").lower(), 1.0)
            num = match.group("num")
            unit = CURRENCIES[match.group("cur").strip().lower()]
            scan.claim(KIND, *match.span(), to_float(num) * scale, decimals=decimals(num), scale=scale, unit=unit)
