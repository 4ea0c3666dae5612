"""``extract_atoms``: every fact atom in a text, with exact spans and normalised values.

Different spellings of one fact compare equal: ``2:05 PM UTC`` and ``14:05Z`` are both 14:05
UTC, ``35%`` and ``35 percent`` are 35.0, ``$1.2M`` is 1,200,000 (to the precision written),
``3h 20m`` and ``200 minutes`` are 200 minutes. The recognizers are in
``copilot.guardrails.recognizers``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from copilot.guardrails.atom import Atom
from copilot.guardrails.recognizers import RECOGNIZERS, Scan
from copilot.guardrails.recognizers.hedge import apply_hedges
from copilot.guardrails.recognizers.person import PeopleMatcher

__all__ = ["extract_atoms"]

STOP_PHRASES = re.compile(r"\b24/7\b|\b24x7\b|(?<![\w-])(?:[45]xx|[Pp]\d{2,3})(?![\w-])|\b(?:top|Top)\s\d{1,2}\b")
"""Digits that state no fact (``24/7``, ``5xx``, ``p95``, ``top 10``): blanked before extraction."""
_STOP_HINT = re.compile(r"24/7|24x7|xx|[Pp]\d\d|op \d")


def extract_atoms(
    text: str, *, people: PeopleMatcher | None = None, known_ids: Iterable[str] = (), default_year: int | None = None
) -> list[Atom]:
    """Every fact atom in ``text``, sorted by position.

    Args:
        people: known names to look for (without it, no ``person`` atoms).
        known_ids: short record ids that only count as IDs when they are known (``V1``,
            ``R2``, ``S3`` in account plans).
        default_year: the year a date written without one is read in (None: such dates stay
            month-day atoms).
    """
    if _STOP_HINT.search(text):
        text = STOP_PHRASES.sub(lambda m: " " * len(m.group(0)), text)
    scan = Scan(text, people=people, known_ids=known_ids, default_year=default_year)
    for recognize in RECOGNIZERS:
        recognize(scan)
    scan.out.sort(key=lambda atom: (atom.start, atom.end))
    return apply_hedges(text, scan.out)
