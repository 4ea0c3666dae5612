"""IPv4 addresses (with an optional /prefix). Private ranges are reported as ``private_ip``."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["PRIVATE_IP", "RECOGNIZERS"]

PRIVATE_IP = re.compile(
    r"^(?:10\.|127\.|169\.254\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)"
)


def _ip(raw: str) -> bool:
    parts = raw.split("/", 1)[0].split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts)


RECOGNIZERS = (
    Recognizer("ip_address", "internal_host",
               re.compile(r"\d(?<![\w.]\d)\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?:/\d{1,2})?(?![\w]|\.\d)"),
               valid=_ip, hints=(".",)),
)
