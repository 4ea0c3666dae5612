"""IPv4 addresses and CIDR blocks (``10.0.3.17``, ``10.0.0.0/16``)."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import Scan

__all__ = ["KIND", "recognize"]

KIND = "ip"
IP = re.compile(r"\d(?<![\w.]\d)\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?:/\d{1,2})?(?![\w]|\.\d)")


def recognize(scan: Scan) -> None:
    if scan.has_digit and "." in scan.text:
        scan.simple(IP, KIND)
