"""Personal e-mail addresses; shared role mailboxes (``support@…``) are not personal data."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS", "ROLE_MAILBOXES"]

ROLE_MAILBOXES = frozenset({
    "support", "help", "helpdesk", "noreply", "no-reply", "status", "success", "security", "incidents",
    "billing", "info", "contact", "tam", "customer-success",
})
"""Shared mailboxes (``support@…``) that are not personal data."""


def _personal(raw: str) -> bool:
    return raw.split("@", 1)[0].lower() not in ROLE_MAILBOXES


RECOGNIZERS = (
    Recognizer("email", "contact",
               re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"),
               valid=_personal, hints=("@",)),
)
