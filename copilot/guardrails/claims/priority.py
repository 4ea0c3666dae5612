"""Priority claims: ``ZD-4364 (P1, …)``, ``INC-… is a Sev1``, ``priority 2``, and severity in words
("minor degradation" for a P1). Data first, then two small recognizers."""

from __future__ import annotations

import re

from copilot.guardrails.claims.claim import Claim, RecordView

__all__ = ["DOWNPLAYING", "PRIORITY", "priority_claims", "severity_word_claims"]

PRIORITY = re.compile(r"(?<![\w-])(?:P(?P<p>[1-4])|sev(?:erity)?[\s-]?(?P<s>[1-4])|priority\s+(?P<q>[1-4]))(?![\w-])",
                      re.IGNORECASE)
"""``P1``, ``Sev1``, ``SEV-1``, ``severity 1``, ``priority 1``: all the same scale here (DESIGN.md)."""

DOWNPLAYING = re.compile(
    r"\b(?:minor|small|slight|minimal|low[\s-]impact|cosmetic|negligible|limited)\s+"
    r"(?:degradation|issue|incident|impact|disruption|outage|slowdown|blip|glitch|hiccup|problem|delays?)\b"
    r"|\bno\s+(?:real\s+|significant\s+)?(?:customer\s+)?impact\b|\blow[\s-]severity\b",
    re.IGNORECASE,
)
"""Words that describe an issue as minor: false for a P1/P2 record."""

_NEGATION = re.compile(r"\b(?:not|no|never|hardly|far\s+from)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_HISTORY = re.compile(r"\b(?:was|were|had\s+been|initially|originally|at\s+first|opened\s+as|from|downgraded|"
                      r"upgraded|escalated|raised|lowered|to)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def _level(match: re.Match[str]) -> str:
    return "P" + (match.group("p") or match.group("s") or match.group("q"))


def priority_claims(view: RecordView, clause: str, offset: int) -> list[Claim]:
    """Priorities stated in ``clause`` (the words about ``view`` in one sentence)."""
    out = []
    for match in PRIORITY.finditer(clause):
        stated = _level(match)
        before = clause[max(0, match.start() - 30) : match.start()]
        ok = stated == view.priority
        if not ok and (_HISTORY.search(before) or view.mentions(rf"(?<![\w-])(?:P|sev(?:erity)?[\s-]?){stated[1]}(?![\w-])")):
            ok = True  # a priority the record itself once had or mentions ("opened as P2", "escalated to P1")
        span = (offset + match.start(), offset + match.end())
        out.append(Claim(view.id, "priority", match.group(0), span, ok, view.priority))
    return out


def severity_word_claims(view: RecordView, sentence: str, offset: int) -> list[Claim]:
    """"minor degradation" and the like said of a P1/P2 record (unless negated: "not a minor issue")."""
    if view.priority not in ("P1", "P2"):
        return []
    out = []
    for match in DOWNPLAYING.finditer(sentence):
        if _NEGATION.search(sentence[max(0, match.start() - 30) : match.start()]):
            continue
        span = (offset + match.start(), offset + match.end())
        out.append(Claim(view.id, "severity", match.group(0), span, False, view.priority))
    return out
