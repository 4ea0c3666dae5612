"""Instants of the named record: ``Detection: 14:02 UTC``, ``First response: 10:20 UTC``, ``INC-12 was detected by the latency alert
at 14:02 UTC``, ``resolved on 2026-04-13``, ``mitigated by 11:10 UTC``.

The time must be *that record's* field (opened, impact start, detected, engaged, mitigated,
resolved); the same instant on another record does not ground it. ``grounding`` already compares a
time written right after its verb ("detected at 09:12"); this recognizer covers the noun forms
("Detection:", "resolution at"), a verb a few words away, a date without a time and "by <time>"
(no later than). Timeline entries are the ``timeline`` check's. Data first, then one recognizer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timezone

from copilot.guardrails.claims.claim import Claim, RecordView

__all__ = ["LABELS", "instant_claims"]

LABELS: list[tuple[str, str, str]] = [
    (r"detect(?:ed|ion)|first\s+detected|spotted|noticed", "detected_at", "detected"),
    (r"mitigat(?:ed|ion)", "mitigated_at", "mitigated"),
    (r"resol(?:ved|ution)|solved", "resolved_at", "resolved"),
    (r"engag(?:ed|ement)|escalat(?:ed|ion)\s+to\s+engineering", "engaged_at", "engaged"),
    (r"first\s+(?:response|reply|responded)|responded\s+first", "first_response_at", "first responded to"),
    (r"impact\s+(?:start(?:ed)?|began)|start\s+of\s+impact|(?:impact\s+)?started|began", "started_at", "started"),
    (r"opened|created|filed", "created_at", "opened"),
]
"""A word for a record's milestone -> the record field it names, and the word for the message."""

LABEL = re.compile(
    r"\b(?:" + "|".join(f"(?P<f{n}>{rx})" for n, (rx, _, _) in enumerate(LABELS)) + r")"
    r"(?P<gap>\s*[:—–-]\s*|\s+(?:(?:was|were|came|happened|occurred|took\s+place|completed)\s+)?"
    r"(?:(?P<by>by)\s+|(?:by\s+(?:the\s+|our\s+|an?\s+)?[\w-]+(?:\s+[\w-]+){0,2}\s+)?(?:at|on)\s+)"
    r"(?:(?:on\s+)?(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?)$",
    re.IGNORECASE,
)
"""A milestone word, then what may stand between it and the instant: ``:``, ``at``, ``on``,
``was at``, ``by the latency alert at``, ``by`` (no later than)."""
LOOKBACK = 60


def instant_claims(
    view: RecordView, text: str, atoms: Iterable[tuple[str, int, int, object, bool]], lo: int,
    covered: Iterable[re.Pattern[str]] = (),
) -> list[Claim]:
    """Instants stated about ``view`` by the ``(kind, start, end, value, tz_explicit)`` atoms of one
    sentence that starts at ``lo``.

    Args:
        covered: patterns of the words before a time that another check already compares.
    """
    out = []
    for kind, start, end, value, tz_explicit in atoms:
        before = text[max(lo, start - LOOKBACK) : start]
        match = LABEL.search(before)
        if match is None:
            continue
        if kind != "date" and any(p.search(text[max(lo, start - 30) : start]) for p in covered):
            continue  # grounding's "detected at 09:12"
        n = next(int(k[1:]) for k, v in match.groupdict().items() if v and k.startswith("f") and k[1:].isdigit())
        _, field, word = LABELS[n]
        recorded = _recorded(view, field)
        if recorded is None:
            continue
        verdict = _agrees(kind, value, tz_explicit, recorded, by=match.group("by") is not None)
        if verdict is None:
            continue
        shown = f"{recorded:%Y-%m-%d %H:%M} UTC"
        message = "" if verdict else (
            f"{view.id} was {word} at {shown} per the {view.kind} record, not {text[start:end].strip()}. "
            f"(An instant of another record does not ground a claim about {view.id}.)")
        out.append(Claim(view.id, word, text[start:end], (start, end), verdict, shown, message))
    return out


def _recorded(view: RecordView, field: str) -> datetime | None:
    if field == "created_at" and view.kind == "incident":
        field = "started_at"
    value = view.field(field)
    return value.astimezone(timezone.utc) if isinstance(value, datetime) else None


def _agrees(kind: str, value: object, tz_explicit: bool, recorded: datetime, *, by: bool) -> bool | None:
    """Whether the stated instant is the recorded one (``by``: no later than); None: not comparable."""
    minute = recorded.replace(second=0, microsecond=0)
    if kind == "datetime" and isinstance(value, datetime):
        return minute <= value if by else value == minute
    if kind == "date" and isinstance(value, date):
        return minute.date() <= value if by else value == minute.date()
    if kind == "time" and isinstance(value, tuple) and tz_explicit:
        stated = value[0] * 60 + value[1]
        rec = minute.hour * 60 + minute.minute
        return rec <= stated if by else stated == rec
    return None
