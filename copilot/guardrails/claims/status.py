"""Status claims: ``ZD-4364 (P2, open)``, ``INC-… is resolved``, ``remains under investigation``.

A present-tense status must be the record's current status; a past one ("was resolved") must be
one the record went through. Data first, then one recognizer."""

from __future__ import annotations

import re

from copilot.guardrails.claims.claim import Claim, RecordView

__all__ = ["STATUS_WORDS", "status_claims"]

STATUS_WORDS: dict[str, frozenset[str]] = {
    "open": frozenset({"new", "open", "pending", "on_hold"}),
    "pending": frozenset({"pending"}),
    "on hold": frozenset({"on_hold"}),
    "on-hold": frozenset({"on_hold"}),
    "solved": frozenset({"solved", "closed", "resolved"}),
    "closed": frozenset({"solved", "closed", "resolved"}),
    "resolved": frozenset({"solved", "closed", "resolved"}),
    "fixed": frozenset({"solved", "closed", "resolved"}),
    "investigating": frozenset({"investigating"}),
    "under investigation": frozenset({"investigating"}),
    "identified": frozenset({"identified"}),
    "monitoring": frozenset({"monitoring"}),
}
"""A word a draft uses for a status -> the record statuses it is true of."""

_WORDS = "|".join(sorted((re.escape(w) for w in STATUS_WORDS), key=len, reverse=True))
PRESENT = re.compile(
    rf"^\s*\((?:[^()]{{0,20}},\s*)?(?P<a>{_WORDS})\s*[,)]"  # ZD-1 (P2, open)
    rf"|^[^.;:]{{0,30}}?\b(?:is|are|remains?|stays?|is\s+still|still|now|currently|is\s+now|is\s+currently)\s+"
    rf"(?:marked\s+(?:as\s+)?)?(?P<b>{_WORDS})\b",
    re.IGNORECASE,
)
PAST = re.compile(rf"^[^.;:]{{0,30}}?\b(?:was|were|has\s+been|had\s+been|got|been)\s+(?P<c>{_WORDS})\b", re.IGNORECASE)


RECORD_STATUSES: dict[str, frozenset[str]] = {
    "ticket": frozenset({"new", "open", "pending", "on_hold", "solved", "closed"}),
    "incident": frozenset({"investigating", "identified", "monitoring", "resolved"}),
}
"""The statuses each kind of record can have: a word true of none of them is not about this record."""


def status_claims(view: RecordView, clause: str, offset: int, *, dated: bool = False) -> list[Claim]:
    """The status stated right after a record id (``clause`` starts just after the id).

    Args:
        dated: the line is a timestamped entry: it tells what was true then, not now.
    """
    match = PRESENT.search(clause)
    past = dated
    if match is None:
        match = PAST.search(clause)
        past = match is not None
    if match is None:
        return []
    word_group = next(g for g in ("a", "b", "c") if match.groupdict().get(g))
    if not STATUS_WORDS[match.group(word_group).lower()] & RECORD_STATUSES[view.kind]:
        return []  # "ZD-1 (investigating)": the incident's status, not the ticket's
    group = next(g for g in ("a", "b", "c") if match.groupdict().get(g))
    word = match.group(group).lower()
    true_of = STATUS_WORDS[word]
    if past:
        ok = bool(true_of & view.statuses_seen) or (view.resolved and "resolved" in true_of) or "open" in word
    else:
        ok = view.status in true_of
    span = (offset + match.start(group), offset + match.end(group))
    return [Claim(view.id, "status", match.group(group), span, ok, view.status.replace("_", " "))]
