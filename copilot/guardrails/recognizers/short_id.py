"""Short plan item ids (``V1``, ``R2``, ``S3``, corrective action ``CA-2``): ids only when the
account's records define them, so ``S1`` in prose is not mistaken for one."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.record_id import normalize_id
from copilot.guardrails.recognizers.scan import Scan

__all__ = ["KIND", "recognize"]

KIND = "id"


def recognize(scan: Scan) -> None:
    short = {i for i in scan.known_ids if i and i in scan.text}
    if short:
        alternatives = "|".join(re.escape(i) for i in sorted(short, key=len, reverse=True))
        pattern = re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])")
        scan.simple(pattern, KIND, value=lambda m: normalize_id(m.group(0)))
