"""Tense: a past event ("credits were issued in 2023", "restored shortly after") is not a promise."""

from __future__ import annotations

import re

__all__ = ["FUTURE", "PAST", "future", "past_event"]

FUTURE = re.compile(
    r"\b(?:will|we'll|it'll|you'll|they'll|shall|going\s+to|gonna|expect\w*|ETA|estimated\s+(?:time|date|fix"
    r"|resolution|completion)|scheduled|planned|plan(?:s|ning)?\s+to|intend\w*|target\w*|aim\w*\s+to"
    r"|no\s+later\s+than|should\s+(?:be|have|land|ship)|are\s+(?:working|preparing|rolling|deploying|shipping)"
    r"|is\s+(?:being|coming)|upcoming|next\s+(?:week|month|release|sprint))\b",
    re.IGNORECASE,
)
"""Markers of what is yet to come."""

PAST = re.compile(
    r"\b(?:was|were|had|did|went|came|took|began|got|ran|(?:re)?(?:deploy|restor|ship|releas|resolv|issu|appli|appl"
    r"|fix|patch|mitigat|complet|roll|finish|recover|credit|refund)(?:ed|d)|shipped|rolled\s+back|in\s+(?:19|20)\d\d"
    r"|last\s+(?:week|month|quarter|year)|yesterday|ago|previously|earlier)\b",
    re.IGNORECASE,
)
"""Markers of what already happened."""


def future(sentence: str) -> bool:
    return bool(FUTURE.search(sentence))


def past_event(sentence: str) -> bool:
    """Told in the past, with nothing still to come ("The fix was deployed within 2 hours.")."""
    return bool(PAST.search(sentence)) and not FUTURE.search(sentence)
