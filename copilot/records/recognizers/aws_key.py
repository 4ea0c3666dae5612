"""AWS access key ids (``AKIA…``, ``ASIA…``); the secret key is caught by ``assigned_secret``."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]

RECOGNIZERS = (
    Recognizer("api_key", "credential", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), hints=("akia", "asia")),
)
