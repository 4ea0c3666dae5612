"""Claims bound to their subject: a sentence that names a ticket or incident and states its
priority, status, people and roles, milestone instants, version/region/component or a count must
state *that record's* value; "minor degradation" is not said of a P1.

A sentence that names no record speaks of the draft's subject. Quoted text and words the record
itself uses (a customer's own "minor issue", "escalated by Dana" in a comment) are evidence, not
the draft's claim. Each claim kind is one recognizer in ``copilot/guardrails/claims/``.
"""

from __future__ import annotations

import re

from copilot.drafting.draft import Finding
from copilot.guardrails.checks.grounding import TIME_LABELS
from copilot.guardrails.claims import (
    DOWNPLAYING,
    ENV_LINE,
    Claim,
    RecordView,
    component_mentions,
    count_claims,
    environment_claims,
    instant_claims,
    priority_claims,
    role_claims,
    severity_word_claims,
    status_claims,
)
from copilot.guardrails.claims.count import COUNT
from copilot.guardrails.claims.subject import CLAUSE_CHARS, SubjectIndex
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, sentence_span
from copilot.guardrails.registry import register
from copilot.records.models import Incident, Ticket

__all__ = ["check", "claims_of"]

NAME = "claims"


def _views(ctx: CheckContext) -> dict[str, RecordView]:
    memo = ctx.account.__dict__.get("_claim_views")
    if memo is None:
        memo = {r.id.upper(): RecordView(r) for r in [*ctx.account.tickets.values(), *ctx.account.incidents.values()]}
        ctx.account.__dict__["_claim_views"] = memo
    return memo


def _quoted(text: str, pos: int) -> bool:
    """Inside a quotation on its line ("…" or “…”): the source's words, not the draft's."""
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    return before.count('"') % 2 == 1 or before.count("\u201c") > before.count("\u201d")


_STAMP = re.compile(r"[ \t]*(?:\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}|\d{1,2}:\d{2}\b|[A-Z][a-z]{2}\s+\d{1,2}\b)")


def _dated(ctx: CheckContext, text: str, pos: int) -> bool:
    """A timestamped line or a line in ``## Timeline``: it states what was true then."""
    section = next((s for s in ctx.sections if s.body_start <= pos < s.end), None)
    if section is not None and section.name == "timeline":
        return True
    line_start = text.rfind("\n", 0, pos) + 1
    return bool(_STAMP.match(text, line_start))


def claims_of(ctx: CheckContext) -> list[Claim]:
    """Every priority, status and severity-in-words claim the draft makes about a record."""
    text = ctx.masked
    views = _views(ctx)
    ids = [a for a in ctx.atoms if a.kind == "id" and a.value in views]
    out: list[Claim] = []
    named_sentences: set[tuple[int, int]] = set()
    for n, atom in enumerate(ids):
        view = views[atom.value]
        s_start, s_end = sentence_span(text, atom.start)
        named_sentences.add((s_start, s_end))
        stop = min(s_end, atom.end + CLAUSE_CHARS, ids[n + 1].start if n + 1 < len(ids) else len(text))
        clause = text[atom.end : stop]
        dated = _dated(ctx, text, atom.start)
        out += priority_claims(view, clause, atom.end) + status_claims(view, clause, atom.end, dated=dated)
        out += severity_word_claims(view, text[s_start:s_end], s_start)
    subject = ctx.subject_incident or ctx.subject_ticket
    if subject is not None and isinstance(subject, (Ticket, Incident)):
        view = views[subject.id.upper()]
        for sentence in dict.fromkeys(sentence_span(text, m.start()) for m in DOWNPLAYING.finditer(text)):
            if sentence not in named_sentences:
                out += severity_word_claims(view, text[sentence[0] : sentence[1]], sentence[0])
    out += _subject_claims(ctx, SubjectIndex(ctx, views, ids))
    return [c for c in out if not _quoted(text, c.span[0]) and not _said_by_record(views.get(c.record_id.upper()), c)]


def _subject_claims(ctx: CheckContext, index: SubjectIndex) -> list[Claim]:
    """People and roles, instants, environment and counts, each bound to the record its sentence names."""
    text = ctx.masked
    out = role_claims(text, [(a.start, a.end, a.value) for a in ctx.atoms if a.kind == "person"], index.view_at,
                      index.roster)
    covered = [rx for rx, _, _ in TIME_LABELS]
    for a in ctx.atoms:
        if a.kind in ("datetime", "time", "date") and not _dated(ctx, text, a.start):
            view = index.view_at(a.start)
            if view is not None:
                lo = sentence_span(text, a.start)[0]
                out += instant_claims(view, text, [(a.kind, a.start, a.end, a.value, a.tz_explicit)], lo, covered)
    if ctx.kind != "qbr_narrative":
        for match in COUNT.finditer(text):
            view = index.view_at(match.start())
            if view is not None and not _dated(ctx, text, match.start()):
                lo = sentence_span(text, match.start())[0]
                out += [c for c in count_claims(view, text, lo, match.end(), index.listed) if c.span == match.span()]
    env_atoms = [a for a in ctx.atoms if a.kind in ("version", "region")]
    for (lo, hi), view in index.environment_scopes(ENV_LINE):
        atoms = [a for a in env_atoms if lo <= a.start < hi]
        if not atoms and "component" not in ctx.lower[lo:hi]:
            continue
        mentions = component_mentions(text, lo, hi, index.components)
        out += environment_claims(view, text, atoms, mentions, index.known(view))
    return out


def _said_by_record(view: RecordView | None, claim: Claim) -> bool:
    """The record's own words: a customer's "minor issue", "escalated by Dana Reyes" in a comment."""
    if view is None or claim.field not in ("severity", "requester", "assignee", "reporter", "resolver"):
        return False
    return claim.stated.lower() in view.text.lower()


def _message(claim: Claim) -> str:
    if claim.message:
        return claim.message
    if claim.field == "severity":
        return (f"'{claim.stated}' understates {claim.record_id}: the record is {claim.recorded}. "
                "Describe the impact the record states instead.")
    return (f"'{claim.stated}' is not {claim.record_id}'s {claim.field}: the record says {claim.recorded}. "
            f"(A {claim.field} found elsewhere in the account does not ground a claim about {claim.record_id}.)")


@register(NAME, description="a sentence naming a ticket/incident states that record's own priority, status, "
                            "people, instants, environment and counts; people's titles are the plan's")
def check(ctx: CheckContext) -> list[Finding]:
    return [block(NAME, _message(c), c.span, c.record_id) for c in claims_of(ctx) if not c.ok]
