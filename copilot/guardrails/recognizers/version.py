"""Versions: ``v5.2.1``, ``5.2.1-rc1``, ``v4``, ``v4.x``, ``release 4.2``; value without the ``v``."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import Scan

__all__ = ["KIND", "recognize"]

KIND = "version"
_SUFFIX = r"(?:[-+][0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?"
VERSION_V = re.compile(rf"v(?<![\w.]v)(?P<v>\d+\.\d+\.\d+{_SUFFIX})(?![\w]|\.\d)")
VERSION_3 = re.compile(rf"(?P<v>\d(?<![\w.]\d)\d*\.\d+\.\d+{_SUFFIX})(?![\w]|\.\d)")
VERSION_SHORT = re.compile(r"[vV](?<!\w[vV])(?P<v>\d+(?:\.\d+)+|\d+(?:\.x)?)(?![\w]|\.\d)")
VERSION_WORD = re.compile(r"\b(?i:version|release|build|ver\.?)\s+v?(?P<v>\d+(?:\.\d+)+|\d+(?:\.x)?)(?![\w]|\.\d)")
_WORDS = ("version", "release", "build", "ver.")


def recognize(scan: Scan) -> None:
    if not scan.has_digit:
        return
    patterns = [VERSION_V, VERSION_3] if "." in scan.text else []
    patterns.append(VERSION_SHORT)
    if any(w in scan.lower for w in _WORDS):
        patterns.append(VERSION_WORD)
    for pattern in patterns:
        for match in pattern.finditer(scan.text):
            scan.claim(KIND, *match.span(), match.group("v").lower())
