"""A secret assigned to a telling name: ``api_key=…``, ``auth_token: …``, ``client_secret is …``."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]

NAMES = (r"aws_secret_access_key|secret[_ -]access[_ -]key|api[_ -]?key|apikey|api[_-]?secret|client[_ -]?secret"
         r"|secret[_-]?key|signing[_-]?secret|webhook[_-]?secret|access[_-]?key|access[_ -]?token|auth[_ -]?token"
         r"|refresh[_-]?token|private[_-]?token|token|secret")

RECOGNIZERS = (
    Recognizer("api_key", "credential",
               re.compile(rf"(?i)\b(?:{NAMES})\b[\"']?\s*(?:[=:]|\bis\b)\s*[\"']?"
                          r"(?P<s>[A-Za-z0-9._~+/=-]{11,}[A-Za-z0-9_~+/=-])"),
               group="s", hints=("key", "token", "secret")),
)
