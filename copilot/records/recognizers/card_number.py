"""Payment card numbers: 13–19 digits with a valid Luhn checksum and a known issuer prefix."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS", "luhn_ok"]


def luhn_ok(number: str) -> bool:
    """The Luhn checksum over the digits of ``number``."""
    digits = [int(c) for c in number if c.isdigit()]
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    # issuer prefixes: Visa, Mastercard, Amex, Discover, JCB, Diners
    return luhn_ok(digits) and bool(re.match(r"4|5[1-5]|2[2-7]|3[47]|6011|65|64[4-9]|35|30[0-5]|36|38", digits))


RECOGNIZERS = (
    Recognizer("card_number", "credential", re.compile(r"(?<![\d.-])(?:\d[ -]?){12,18}\d(?![\d-])"), valid=_card,
               prefilter=re.compile(r"\d(?:[ -]?\d){12}")),
)
