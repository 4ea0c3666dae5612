"""GitHub personal access, OAuth, app and refresh tokens (``ghp_…``, ``github_pat_…``)."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]

RECOGNIZERS = (
    Recognizer("token", "credential", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}"),
               hints=("gh", "github_pat_")),
)
