"""Google Cloud API keys (``AIza…``) and service-account private key ids in JSON."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]

RECOGNIZERS = (
    Recognizer("api_key", "credential", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), hints=("aiza",)),
    Recognizer("api_key", "credential",
               re.compile(r"\"private_key_id\"\s*:\s*\"(?P<s>[0-9a-f]{40})\""), group="s",
               hints=("private_key_id",)),
)
