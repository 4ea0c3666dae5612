"""Month-year phrases: ``November 2026``, ``Nov 2026``, ``October of 2025`` (kind ``month``,
value ``(year, month)``); grounded by any date of the records in that month."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.instant import MONTH, month_number
from copilot.guardrails.recognizers.scan import Scan

__all__ = ["KIND", "recognize"]

KIND = "month"
MONTH_YEAR = re.compile(rf"\b(?P<mon>{MONTH})\s+(?:of\s+)?(?P<y>(?:19|20)\d{{2}})(?![\w]|[.,]\d)")
_HINT = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")


def recognize(scan: Scan) -> None:
    if scan.has_digit and _HINT.search(scan.text):
        scan.simple(MONTH_YEAR, KIND, value=lambda m: (int(m["y"]), month_number(m["mon"])))
