"""Internal host names: private DNS suffixes and fleet-style names (``api-prod-3``, ``ip-10-0-0-1``)."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]

RECOGNIZERS = (
    Recognizer("internal_host", "internal_host",
               re.compile(r"(?i)(?<![\w@.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*"
                          r"\.(?:internal|local|corp|lan|intra|cluster\.local|svc|localdomain)(?![\w-])"),
               hints=(".internal", ".local", ".corp", ".lan", ".intra", ".svc")),
    Recognizer("internal_host", "internal_host",
               re.compile(r"(?i)\b(?:ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}"
                          r"|[a-z0-9]+(?:-[a-z0-9]+)*-(?:prod|prd|stg|staging)(?:-[a-z0-9]+)*-?\d+)\b"),
               hints=("ip-", "-prod", "-prd", "-stg", "-staging")),
)
