"""Cloud regions (``eu-west-1``, ``us-gov-east-1``), compared lower-case."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import Scan

__all__ = ["KIND", "recognize"]

KIND = "region"
REGION = re.compile(
    r"\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:gov-)?"
    r"(?:east|west|north|south|central|northeast|southeast|northwest|southwest)-\d\b"
)


def recognize(scan: Scan) -> None:
    if scan.has_digit and "-" in scan.text:
        scan.simple(REGION, KIND, value=lambda m: m.group(0).lower())
