"""Slack bot/user/app tokens (``xoxb-…``, ``xapp-…``) and incoming-webhook URLs."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]

RECOGNIZERS = (
    Recognizer("token", "credential", re.compile(r"\bxox[abposre]-[A-Za-z0-9-]{10,}|\bxapp-\d-[A-Za-z0-9-]{10,}"),
               hints=("xox", "xapp-")),
    Recognizer("token", "credential",
               re.compile(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/(?P<s>[A-Za-z0-9/_-]{20,})"),
               group="s", hints=("hooks.slack.com",)),
)
