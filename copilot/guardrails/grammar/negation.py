"""Negation: a commitment phrase denied by the words just before it ("we cannot guarantee",
"we do not have an ETA", "not a commitment")."""

from __future__ import annotations

import re

__all__ = ["NEGATORS", "negated", "denies_commitment"]

NEGATORS = re.compile(
    r"\b(?:cannot|can't|can\s+not|unable\s+to|not\s+able\s+to|not\s+yet\s+able|no\s+(?:ETA|date|timeline|estimate)"
    r"|(?:do|does|don't|doesn't)\s+not\s+(?:yet\s+)?have|don't\s+(?:yet\s+)?have|not\s+(?:in\s+a\s+position|committing)"
    r"|without\s+committing|not\s+(?:a\s+)?(?:commitment|guarantee|promise)|too\s+early|no\s+guarantee"
    r"|won't\s+(?:commit|promise)|(?:not|never)\s+(?:promise|commit|guarantee)\w*)\b",
    re.IGNORECASE,
)
"""Phrases that deny a commitment anywhere in its sentence."""
_JUST_BEFORE = re.compile(r"\b(?:not|never|no|cannot|can't|don't|won't|isn't|aren't|nor)\s+(?:\w+\s+){0,2}$",
                          re.IGNORECASE)


def negated(text: str, sentence_start: int, pos: int) -> bool:
    """A negation shortly before ``pos`` in its sentence ("we cannot guarantee …")."""
    window = text[max(sentence_start, pos - 40) : pos]
    return bool(NEGATORS.search(window) or _JUST_BEFORE.search(window))


def denies_commitment(sentence: str) -> bool:
    """The sentence denies having a commitment ("We do not have an ETA for the fix yet.")."""
    return bool(NEGATORS.search(sentence))
