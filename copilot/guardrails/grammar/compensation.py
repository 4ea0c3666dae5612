"""Compensation and credit language, direct ("a service credit", "refund") and oblique ("we'll make
it right on your next invoice", "a goodwill gesture", "waive this month's fee", "free of charge").

Kinds: ``direct`` (a compensation noun: it offers something only next to an offer verb, see
``OFFER``), ``oblique`` (the phrase itself offers something). A past event ("credits were issued in
2023") offers nothing: ``copilot.guardrails.grammar.tense``.
"""

from __future__ import annotations

import re

from copilot.guardrails.grammar.phrase import Phrase, find_phrases

__all__ = ["ANCHORS", "COMPENSATION", "COMPENSATION_FORMS", "OBLIQUE", "OFFER", "find_compensation"]

COMPENSATION = re.compile(
    r"\b(?:service\s+)?(?:credits?|refunds?|refunded|compensat\w+|reimburs\w+|discount\w*)\b(?!\s+card)", re.IGNORECASE
)
"""A compensation noun or verb."""
OBLIQUE = re.compile(
    r"\b(?:make\s+(?:it|this|things|that)\s+(?:right|up\s+to\s+you)|good-?will\s+(?:gesture|credit|payment|discount)"
    r"|gesture\s+of\s+good-?will|on\s+the\s+house|free\s+of\s+charge|at\s+no\s+(?:extra\s+|additional\s+)?(?:cost|charge)"
    r"|(?:waive|waiving|waived)\s+(?:the\s+|your\s+|this\s+\w+'s\s+|(?:this|next)\s+month's\s+)?(?:\w+\s+)?(?:fees?|charges?|costs?|invoice|bill\w*|overage\w*)"
    r"|(?:adjust|reduce|lower|discount)\w*\s+(?:on\s+)?(?:your|the)\s+(?:next\s+)?(?:invoice|bill|renewal|statement)"
    r"|(?:on|against|off)\s+your\s+(?:next\s+)?(?:invoice|bill|renewal)|(?:a\s+)?free\s+(?:month|months|quarter|year|upgrade|seats?)"
    r"|(?:won't|will\s+not|not)\s+be\s+(?:charged|billed|invoiced)\s+for|no\s+charge\s+for|(?:we'll|we\s+will)\s+(?:cover|absorb|pick\s+up)\s+(?:the\s+|your\s+)?(?:\w+\s+)?(?:costs?|bills?|charges?|fees?)"
    r"|(?:a|one|two|three|\d+)\s+(?:free\s+)?(?:months?|weeks?)\s+(?:free|on\s+us)"
    r"|(?:months?|weeks?|quarter|renewal|invoice|bill|fees?|charges?|upgrade)\s+(?:is|are|will\s+be)\s+on\s+us\b"
    r"|(?:credit|reimburse|comp)\s+(?:your|you)\b)",
    re.IGNORECASE,
)
"""Compensation offered without saying "credit" or "refund"."""
OFFER = re.compile(
    r"\b(?:will|we'll|would|shall|going\s+to|issue|issuing|apply|applying|offer\w*|eligible|receive|entitled|provide\w*"
    r"|grant\w*|approv\w+|process(?:ing)?|(?:have|has)\s+(?:been\s+)?(?:issued|applied|approved|processed|credited|refunded)"
    r"|credit(?:ed)?\s+(?:to|your)|can\s+(?:offer|give)|want\s+to\s+(?:offer|give))\b",
    re.IGNORECASE,
)
"""Verbs that turn a compensation noun into an offer (bare past "issued" reports; it does not offer)."""

COMPENSATION_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (("oblique", OBLIQUE), ("direct", COMPENSATION))
ANCHORS = ("credit", "refund", "compensat", "reimburs", "discount", "right", "good", "house", "charge", "cost", "waiv",
           "invoice", "bill", "renewal", "free", "comp ", "on us", "cover", "absorb", "pick up", "charged", "invoiced")


def find_compensation(text: str, lower: str | None = None) -> list[Phrase]:
    """Every compensation phrase in ``text`` with its exact span (see the module docstring)."""
    return find_phrases(COMPENSATION_FORMS, text, ANCHORS, lower)
