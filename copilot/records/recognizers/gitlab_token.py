"""GitLab personal, project, pipeline-trigger and runner tokens (``glpat-…``, ``glptt-…``, ``glrt-…``)."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]

RECOGNIZERS = (
    Recognizer("token", "credential", re.compile(r"\bgl(?:pat|ptt|rt|dt|oas)-[A-Za-z0-9_-]{20,}"), hints=("gl",)),
)
