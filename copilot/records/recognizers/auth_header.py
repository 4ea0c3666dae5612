"""HTTP ``Authorization`` values: ``Bearer <token>`` and ``Basic <base64 user:password>``."""

from __future__ import annotations

import base64
import binascii
import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]


def _basic_credentials(raw: str) -> bool:
    """Base64 of ``user:password`` (what a Basic header carries), not an English word."""
    try:
        decoded = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    return ":" in decoded and decoded.isprintable()


RECOGNIZERS = (
    Recognizer("token", "credential",
               re.compile(r"(?i)\bbearer\s+(?P<s>[A-Za-z0-9._~+/-]{15,}[A-Za-z0-9_~+/-]=*)"), group="s",
               hints=("bearer",)),
    Recognizer("basic_auth", "credential",
               re.compile(r"(?i)\bbasic\s+(?P<s>[A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])"), group="s",
               valid=_basic_credentials, hints=("basic",)),
)
