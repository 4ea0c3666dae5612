"""OpenAI / Anthropic style keys: ``sk-…``, ``sk-proj-…``, ``sk-ant-…``."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]

RECOGNIZERS = (
    Recognizer("api_key", "credential", re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}"), hints=("sk-",)),
)
