"""Passwords inside connection strings: ``postgres://u:p@h``, ``mongodb+srv://…``, ``redis://:p@h``,
``amqp://…``, and JDBC / ADO.NET ``password=…`` properties."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]

RECOGNIZERS = (
    Recognizer("connection_string", "credential",
               re.compile(r"\b[a-z][a-z0-9+.-]{1,20}://[^\s:/@]*:(?P<s>[^\s@/]+)@[^\s]+"), group="s",
               hints=("://",)),
    Recognizer("connection_string", "credential",
               re.compile(r"(?i)\bjdbc:[a-z0-9]+:[^\s]*?[;?&](?:password|pwd)=(?P<s>[^\s;&]+)"), group="s",
               hints=("jdbc:",)),
)
