"""Numbers written in words: ``twelve tickets`` (a ``number`` atom, 12), ``three hours`` and
``ninety minutes`` (``duration`` atoms, in minutes), ``twenty-five``, ``two hundred``.

"one" counts only before a unit of time (``one hour``): as a count it is mostly not a number
("one of the nodes"). Articles ("an hour", "a day") are not read.
"""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.duration import UNIT_MINUTES, unit_key
from copilot.guardrails.recognizers.scan import Scan

__all__ = ["UNITS", "WORDS", "recognize", "word_value"]

UNITS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}  # fmt: skip
TENS = {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
WORDS = {**UNITS, **TENS}
"""Number word -> value."""
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_TEN = "|".join(TENS)
_WORD = rf"(?:(?:{_TEN})(?:[- ](?:{_UNIT}))?|{_UNIT})"
NUMBER_WORDS = re.compile(
    rf"(?<![\w-])(?P<n>{_WORD})(?:\s(?P<hundred>hundred|thousand))?(?![\w-])", re.IGNORECASE
)
_TIME_UNIT = re.compile(r"\s(?:and\s(?:a\s)?half\s)?(?P<u>weeks?|days?|hours?|minutes?|mins?|seconds?)\b", re.IGNORECASE)
_HINT = re.compile(r"(?i)\b(?:t(?:wo|hree|en|welve|wenty|hirty|hirteen)|f(?:our|ive|ifty|orty|ourteen|ifteen)"
                   r"|s(?:ix|even|ixty|eventy|ixteen|eventeen)|e(?:ight|leven|ighty|ighteen)|n(?:ine|inety|ineteen)"
                   r"|one|zero)\b")


def word_value(words: str) -> int | None:
    """``twenty-five`` -> 25, ``two hundred`` -> 200; None when not a number in words."""
    parts = re.split(r"[\s-]+", words.lower())
    total = 0
    for part in parts:
        if part in WORDS:
            total += WORDS[part]
        elif part == "hundred":
            total *= 100
        elif part == "thousand":
            total *= 1000
        else:
            return None
    return total


def recognize(scan: Scan) -> None:
    if not _HINT.search(scan.text):
        return
    for match in NUMBER_WORDS.finditer(scan.text):
        value = word_value(match.group(0))
        if value is None:
            continue
        unit = _TIME_UNIT.match(scan.text, match.end())
        if unit is not None:
            factor = UNIT_MINUTES[unit_key(unit.group("u"))]
            half = 0.5 if "half" in unit.group(0).lower() else 0.0
            minutes = (value + half) * factor
            scan.claim("duration", match.start(), unit.end(), minutes, tolerance=factor / (4 if half else 2))
        elif value > 1 and scan.text[match.end() : match.end() + 1] == " ":
            scan.claim("number", match.start(), match.end(), float(value))
