"""Guarantees: promises no record can back ("will never happen again", "we guarantee", "100%
uptime") and their paraphrases ("this will not happen again", "you can count on", "we've made sure
this can't recur", "rest assured", "never again").

Kinds: ``recurrence`` (it will not happen again), ``promise`` (guarantee/promise/count on/rest
assured), ``absolute`` (100% uptime, permanently fixed, zero risk).
"""

from __future__ import annotations

import re

from copilot.guardrails.grammar.phrase import Phrase, find_phrases

__all__ = ["ANCHORS", "GUARANTEE_FORMS", "find_guarantees"]

_AGAIN = r"(?:happen|occur|recur|repeat|return|come\s+back|be\s+an\s+issue|affect\s+you)"
_RECURRENCE = re.compile(
    r"\b(?:(?:will|would|should|shall|can|could)\s+never\s+(?:again\s+)?" + _AGAIN + r"(?:\s+again)?"
    r"|never\s+(?:happen|occur)s?\s+again|never\s+again"
    r"|(?:will|won't|will\s+not|cannot|can't|can\s+not|could\s+not|couldn't)\s+(?:ever\s+|possibly\s+)?"
    + _AGAIN + r"\s+again"
    r"|(?:cannot|can't|won't|will\s+not|can\s+not)\s+(?:ever\s+|possibly\s+)?recur"
    r"|(?:ensure[sd]?|ensuring|make\s+sure|made\s+sure|making\s+sure)\s+(?:that\s+)?(?:this|it|that|the\s+\w+)\s+"
    r"(?:never|won't|will\s+not|cannot|can't|can\s+not|doesn't|does\s+not|will\s+never)\s+(?:ever\s+)?(?:happen|occur|recur|repeat|return)s?"
    r"|(?:will|won't|will\s+not)\s+(?:ever\s+)?(?:see|experience|face)\s+(?:this|it|that)\s+(?:again|ever\s+again)"
    r"|(?:is|are)\s+(?:now\s+)?(?:behind\s+(?:us|you)\s+for\s+good|a\s+thing\s+of\s+the\s+past)"
    r"|impossible\s+for\s+(?:this|it|that)\s+to\s+(?:happen|occur|recur)|(?:won't|will\s+not|cannot|can't)\s+be\s+repeated)",
    re.IGNORECASE,
)
_PROMISE = re.compile(
    r"\b(?:we\s+(?:can\s+)?guarantee|guaranteed?\b|(?:we|i)\s+promise|you\s+(?:can|may)\s+(?:count|rely|depend)\s+on"
    r"|rest\s+assured|you\s+have\s+our\s+(?:word|assurance|guarantee)|we\s+(?:assure|can\s+assure)\s+you)",
    re.IGNORECASE,
)
_ABSOLUTE = re.compile(
    r"\b(?:(?:100\s?%|one\s+hundred\s+percent)\s+(?:uptime|availability|reliab\w+|of\s+the\s+time)"
    r"|(?:permanently|completely)\s+(?:fixed|eliminated|prevented)|permanently\s+resolved|fixed\s+(?:for\s+good|permanently)"
    r"|(?:zero|no)\s+(?:risk|chance)\s+of\s+(?:this\s+|it\s+)?(?:recurr\w+|happening|again)"
    r"|(?:eliminated|removed)\s+(?:the|any|all)\s+(?:risk|possibility)\s+of)",
    re.IGNORECASE,
)
GUARANTEE_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("recurrence", _RECURRENCE),
    ("promise", _PROMISE),
    ("absolute", _ABSOLUTE),
)
ANCHORS = ("never", "again", "recur", "guarantee", "promise", "count on", "rely on", "depend on", "assur", "100",
           "hundred", "permanently", "completely", "fully", "for good", "risk", "chance", "behind", "past",
           "repeat", "impossible")


def find_guarantees(text: str, lower: str | None = None) -> list[Phrase]:
    """Every guarantee phrase in ``text`` with its exact span (see the module docstring)."""
    return find_phrases(GUARANTEE_FORMS, text, ANCHORS, lower)
