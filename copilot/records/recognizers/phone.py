"""Phone numbers written with separators (``+1 415-555-0142``, ``(020) 7946 0958``), not dates or times."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]

_DATE_OR_TIME = re.compile(r"\d{4}-\d{2}-\d{2}.*|.*\d{2}:\d{2}.*")


def _not_a_date(raw: str) -> bool:
    return _DATE_OR_TIME.fullmatch(raw) is None


RECOGNIZERS = (
    Recognizer("phone", "contact",
               re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])\d{3,4}[ .-]\d{3,4}"
                          r"(?![\w-])"),
               valid=_not_a_date, prefilter=re.compile(r"\d{3}[ .-]\d{3,4}(?![\w-])")),
    Recognizer("phone", "contact",
               re.compile(r"(?<![\w+-])\+\d{1,3}[ .-]?\(?\d{2,5}\)?[ .-]?\d{5,8}(?![\w-])"), hints=("+",)),
)
