"""Azure storage account keys and SAS signatures in connection strings and URLs."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]

RECOGNIZERS = (
    Recognizer("api_key", "credential",
               re.compile(r"(?i)\b(?:AccountKey|SharedAccessKey)=(?P<s>[A-Za-z0-9+/]{20,}={0,2})"), group="s",
               hints=("accountkey=", "sharedaccesskey=")),
    Recognizer("token", "credential", re.compile(r"[?&]sig=(?P<s>[A-Za-z0-9%+/]{20,}={0,2})"), group="s",
               hints=("sig=",)),
)
