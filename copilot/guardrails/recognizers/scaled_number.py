"""Numbers with a magnitude suffix: ``1.2k tickets``, ``4.5M requests``, ``3 million calls``,
``2bn``; the value is the full number, compared to the precision written (``1.2k``: 1,200 to
the hundred). Money (``$4.5M``) is read by ``money`` first."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.money import SCALES
from copilot.guardrails.recognizers.scan import NUM_TAIL, Scan, decimals, to_float

__all__ = ["KIND", "recognize"]

KIND = "number"
SCALED = re.compile(
    rf"(?P<num>\d(?<![\w.,/@:-]\d){NUM_TAIL})(?:(?P<mult>[kK]|M|[Bb]n)|\s(?P<word>thousand|million|billion))(?![\w])"
)


def recognize(scan: Scan) -> None:
    if not scan.has_digit:
        return
    for match in SCALED.finditer(scan.text):
        scale = SCALES[(match.group("mult") or match.group("word")).lower()]
        num = match.group("num")
        scan.claim(KIND, *match.span(), to_float(num) * scale, decimals=decimals(num), scale=scale)
