"""Speculation: a root cause stated as fact while the record says it is not confirmed.

The causal connectives come from ``copilot.guardrails.grammar.connective`` ("because" counts only
in a sentence that names a failure). Exempt: a hedged sentence (``grammar.hedge``), a negated
cause ("was not caused by"), a record's own words (``grammar.attribution``: quoted, a verbatim
clause of the cited source, a cited timeline event) and a sentence about another record.

Applies when an incident the draft is about has ``root_cause.status`` other than
``confirmed`` (or, for a brief on a ticket with no incident, the ticket is open and has no
root cause). A causal statement ("the root cause was…", "caused by…", "due to…") must then be
hedged in its own sentence or bullet ("Unconfirmed:", "we suspect", "not yet confirmed"…).
In a QBR only bullets naming such an incident are checked.
"""

from __future__ import annotations

import re

from copilot.drafting.draft import Finding
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, sentence_span, snippet
from copilot.guardrails.grammar.attribution import attributed
from copilot.guardrails.grammar.connective import CONNECTIVES, FAILURE, find_causes
from copilot.guardrails.grammar.hedge import HEDGES, hedged
from copilot.guardrails.registry import register
from copilot.records.models import Incident

__all__ = ["CAUSAL", "HEDGES", "check", "unconfirmed_incidents"]

NAME = "speculation"

CAUSAL = re.compile("|".join(f"(?:{rx.pattern})" for _kind, rx in CONNECTIVES), re.IGNORECASE)
"""Phrases that state a cause (every connective of ``grammar.connective`` as one pattern)."""


def unconfirmed_incidents(ctx: CheckContext) -> list[Incident]:
    return [i for i in ctx.related_incidents if i.root_cause.status != "confirmed"]


def _ticket_cause_unknown(ctx: CheckContext) -> bool:
    ticket = ctx.subject_ticket
    return ticket is not None and not ctx.related_incidents and ticket.is_open and not ticket.root_cause.strip()


def _about_other_record(ctx: CheckContext, a: int, b: int) -> bool:
    """The sentence (or its line) names a ticket/incident other than the draft's subject and its incidents."""
    own = {ctx.draft.subject_id.upper()} | {i.id.upper() for i in ctx.related_incidents}
    line_start = ctx.masked.rfind("\n", 0, a) + 1
    line_end = ctx.masked.find("\n", b)
    line_end = len(ctx.masked) if line_end < 0 else line_end
    for atom in ctx.atoms:
        if line_start <= atom.start < line_end and atom.kind == "id":
            base = atom.value.split("#", 1)[0]
            record = ctx.account.record_of(atom.text)
            if (
                record is not None
                and record.upper() not in own
                and record not in ctx.account.runbooks
                and not record.startswith("plan:")
                and base not in own
            ):
                return True
    return False


def _label_hedged(ctx: CheckContext, start: int, end: int) -> bool:
    """'Root cause:' asserts; only a hedge in its label or right after it counts
    ('Suspected root cause:', 'Root cause (unconfirmed):', 'Root cause: not yet confirmed')."""
    text = ctx.masked
    line_start = text.rfind("\n", 0, start) + 1
    return bool(HEDGES.search(text, line_start, min(len(text), end + 30)))


def _hedged(ctx: CheckContext, a: int, b: int) -> bool:
    """Hedged in the sentence, or the line/bullet it sits on starts a hedge."""
    return hedged(ctx.masked, a, b)


_NOT_CAUSE = re.compile(r"\b(?:not|never|isn't|wasn't|aren't|weren't|ruled\s+out(?:\s+that)?)\s+(?:\w+\s+)?$", re.IGNORECASE)


def _clause(text: str, a: int, b: int, pos: int) -> str:
    """The clause of sentence ``[a, b)`` holding ``pos`` (between ``;``/``:`` and the sentence ends)."""
    left = max(text.rfind(";", a, pos), text.rfind(":", a, pos), a - 1) + 1
    ends = [i for i in (text.find(";", pos, b), text.find(":", pos, b)) if i >= 0]
    return text[left : min(ends, default=b)]


def _negated_cause(text: str, sentence_start: int, pos: int) -> bool:
    """"was not caused by …", "we have ruled out that it was due to …": no cause is asserted."""
    return bool(_NOT_CAUSE.search(text[max(sentence_start, pos - 40) : pos]))


@register(NAME, description="no root cause stated as fact while the incident record says it is unconfirmed")
def check(ctx: CheckContext) -> list[Finding]:
    incidents = unconfirmed_incidents(ctx)
    ticket_unknown = _ticket_cause_unknown(ctx)
    if not incidents and not ticket_unknown:
        return []
    text = ctx.masked
    lo = 0  # the title line is checked like the body
    out: list[Finding] = []
    qbr = ctx.kind == "qbr_narrative"
    ids = {i.id for i in incidents}
    what = ", ".join(sorted(ids)) if ids else (ctx.subject_ticket.id if ctx.subject_ticket else "this issue")
    seen: set[tuple[int, int]] = set()
    for phrase in find_causes(text, ctx.lower):
        a, b = sentence_span(text, phrase.start, lo)
        if (a, b) in seen or (phrase.kind == "because" and not FAILURE.search(_clause(text, a, b, phrase.start))):
            continue
        if qbr:
            line = text[text.rfind("\n", 0, a) + 1 : (text.find("\n", b) + 1 or len(text))]
            named = [i for i in ids if i in line]
            if not named:
                continue
            what = ", ".join(named)
        if phrase.kind == "label":
            hedge = _label_hedged(ctx, phrase.start, phrase.end)
        else:
            hedge = _hedged(ctx, a, b) or _negated_cause(text, a, phrase.start)
        if hedge or (not qbr and _about_other_record(ctx, a, b)) or attributed(ctx, phrase.start, phrase.end):
            continue
        seen.add((a, b))
        out.append(
            block(
                NAME,
                f"This states a cause as fact, but the root cause of {what} is not confirmed in the "
                "record; mark it 'Unconfirmed:' or say it is still being investigated.",
                phrase.span,
                snippet(text[a:b]),
            )
        )
    # the unconfirmed summary itself, stated without a hedge (e.g. a bare "Root cause" section)
    for incident in incidents:
        summary = incident.root_cause.summary.strip().rstrip(".")
        if len(summary) < 12:
            continue
        for match in re.finditer(re.escape(summary[:60]), text, re.IGNORECASE):
            a, b = sentence_span(text, match.start(), lo)
            if (a, b) in seen or _hedged(ctx, a, b) or (qbr and incident.id not in text[a - 200 if a > 200 else 0 : b]):
                continue
            seen.add((a, b))
            out.append(
                block(
                    NAME,
                    f"This gives the unconfirmed root cause of {incident.id} without saying it is "
                    "unconfirmed; mark it as a hypothesis.",
                    match.span(),
                    snippet(text[a:b]),
                )
            )
    root = ctx.section("root_cause")
    if root is not None and incidents and ctx.kind == "pir_timeline":
        body = text[root.body_start : root.end]
        if body.strip() and not HEDGES.search(body):
            out.append(
                block(
                    NAME,
                    f"The root cause of {what} is not confirmed in the record, but '## Root cause' "
                    "does not say so; state that it is unconfirmed.",
                    (root.heading_start, root.end),
                )
            )
    return out
