"""E-mail addresses (``dana.reyes@acme.example``), compared lower-case."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import Scan

__all__ = ["KIND", "recognize"]

KIND = "email"
EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")


def recognize(scan: Scan) -> None:
    if "@" in scan.text:
        scan.simple(EMAIL, KIND, value=lambda m: m.group(0).lower())
