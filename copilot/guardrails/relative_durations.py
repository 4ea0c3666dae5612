"""Relative durations: ``two hours after detection``, ``45 minutes after the incident started``,
``within 30 minutes of the ticket being opened``, ``3h before resolution``: the gap is
recomputed from the record's own milestone times."""

from __future__ import annotations

import re
from dataclasses import dataclass

from copilot.guardrails.atom import Atom

__all__ = ["ANCHORS", "EVENTS", "Relative", "relatives_of"]

ANCHORS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"(?:the\s+)?(?:detection|(?:it|the\s+(?:issue|incident|outage))\s+was\s+detected|we\s+detected\s+it)"),
     "detected_at", "detection"),
    (re.compile(r"(?:the\s+)?(?:start(?:\s+of\s+(?:the\s+)?(?:impact|incident|outage))?|onset|impact\s+(?:began|started)"
                r"|(?:it|the\s+(?:issue|incident|outage|impact))\s+(?:began|started))"), "started_at", "the start"),
    (re.compile(r"(?:the\s+)?(?:engagement|escalation|(?:we|engineering)\s+(?:were|was)\s+engaged)"),
     "engaged_at", "engagement"),
    (re.compile(r"(?:the\s+)?(?:mitigation|(?:it|the\s+(?:issue|incident))\s+was\s+mitigated)"), "mitigated_at",
     "mitigation"),
    (re.compile(r"(?:the\s+)?(?:resolution|(?:it|the\s+(?:issue|incident|ticket))\s+was\s+resolved)"), "resolved_at",
     "resolution"),
    (re.compile(r"(?:the\s+)?(?:ticket\s+was\s+(?:opened|filed|created)|(?:it|the\s+ticket)\s+was\s+opened|opening)"),
     "created_at", "the ticket was opened"),
    (re.compile(r"(?:the\s+)?first\s+response"), "first_response_at", "first response"),
]
"""Anchor phrase (lower case, after "after/before/of/from") -> the record field it names, and a label."""

EVENTS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"\bdetected\b"), "detected_at", "detected"),
    (re.compile(r"\b(?:engaged|escalated)\b"), "engaged_at", "engaged"),
    (re.compile(r"\b(?:mitigated|restored|recovered|stabili[sz]ed)\b"), "mitigated_at", "mitigated"),
    (re.compile(r"\b(?:resolved|fixed|closed)\b"), "resolved_at", "resolved"),
    (re.compile(r"\b(?:began|started)\b"), "started_at", "started"),
    (re.compile(r"\b(?:responded|first\s+response|replied)\b"), "first_response_at", "responded"),
]
"""A verb earlier in the sentence names the event the duration leads to (``mitigated … after detection``)."""

_LINK = re.compile(r"\s+(?P<dir>after|before|from|following|since|prior\s+to|of)\s+")


@dataclass(frozen=True)
class Relative:
    """``<duration> after|before|within … of <anchor>`` in a draft."""

    duration: Atom
    start: int
    end: int
    direction: str  # "after" | "before" | "within"
    anchor_field: str
    anchor_label: str
    event_field: str | None  # named by a verb earlier in the sentence, else None
    event_label: str | None


def _event(text: str, sentence_start: int, pos: int) -> tuple[str, str] | None:
    before = text[sentence_start:pos].lower()
    best = None
    for rx, field, label in EVENTS:
        for match in rx.finditer(before):
            if best is None or match.start() > best[0]:
                best = (match.start(), field, label)
    return (best[1], best[2]) if best else None


def relatives_of(text: str, atoms: list[Atom]) -> list[Relative]:
    """Every duration atom of ``atoms`` written as a gap from a named milestone."""
    out = []
    for atom in atoms:
        if atom.kind != "duration":
            continue
        link = _LINK.match(text, atom.end)
        if link is None:
            continue
        within = text[max(0, atom.start - 8) : atom.start].lower().rstrip().endswith("within")
        direction = link["dir"].split()[0]
        if direction == "of" and not within:
            continue
        rest = text[link.end() : link.end() + 60].lower()
        for rx, field, label in ANCHORS:
            anchor = rx.match(rest)
            if anchor is None:
                continue
            sentence_start = max(text.rfind(". ", 0, atom.start) + 1, text.rfind("\n", 0, atom.start) + 1)
            event = _event(text, sentence_start, atom.start)
            kind = "within" if within else ("before" if direction in ("before", "prior") else "after")
            out.append(Relative(atom, atom.start, link.end() + anchor.end(), kind, field, label,
                                event[0] if event else None, event[1] if event else None))
            break
    return out
