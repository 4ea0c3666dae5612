"""Passwords and passphrases: ``password=…``, ``passphrase: …``, ``the password is …``."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]

RECOGNIZERS = (
    Recognizer("password", "credential",
               re.compile(r"(?i)\b(?:password|passwd|passphrase|pwd)\b[\"']?\s*[=:]\s*[\"']?(?P<s>[^\s\"',;]{4,})"),
               group="s", hints=("pass", "pwd")),
    Recognizer("password", "credential",
               re.compile(r"(?i)\b(?:password|passwd|passphrase)\s+(?:is|was|set to)\s+[\"']?(?P<s>[^\s\"',;]{4,})"),
               group="s", valid=lambda raw: bool(re.search(r"[\d!@#$%^&*_+=?]", raw)), hints=("pass",)),
)
