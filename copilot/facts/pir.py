"""Facts for a post-incident review: a sourced UTC timeline, milestones, durations, causes, actions.

The PIR goes to the customer, so channel messages and ticket comments pass through
``customer_safe`` (sentences naming internal hosts, codenames or other customers are
dropped), internal ticket notes are left out, and a root cause is stated only when the
incident record marks it confirmed.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from copilot.facts.common import (
    Fact,
    FactModel,
    banned_terms,
    customer_safe,
    format_date,
    format_duration,
    format_time,
    lead_text,
    minutes_between,
)
from copilot.facts.milestones import FIELDS, MilestoneTime, incident_milestones, message_milestones
from copilot.facts.statements import Statement, confirmed_by_record, incident_statements
from copilot.records.models import AccountPlan, Incident, Ticket
from copilot.records.source import RecordSource, require

__all__ = [
    "DURATION_LABELS",
    "MILESTONE_LABELS",
    "ActionItem",
    "DurationFact",
    "Milestone",
    "PirEntry",
    "UnresolvedEntry",
    "PirFacts",
    "build_pir_facts",
    "message_milestones",
    "pir_facts",
]

MILESTONE_LABELS: dict[str, str] = {
    "impact_start": "Impact start",
    "detected": "Detection",
    "engaged": "Engagement",
    "mitigated": "Mitigation",
    "resolved": "Resolution",
}
"""Milestone -> the label a timeline entry carries (docs/draft-format.md)."""

DURATION_LABELS: dict[str, str] = {
    "detected": "Time to detect",
    "engaged": "Time to engage",
    "mitigated": "Time to mitigate",
    "resolved": "Time to resolve",
}
"""Milestone -> the duration label; each duration runs from impact start to that milestone."""

MILESTONE_TEXT: dict[str, str] = {
    "impact_start": "Customer impact started",
    "detected": "Issue detected",
    "engaged": "Engineering engaged",
    "mitigated": "Impact mitigated",
    "resolved": "Incident resolved",
}
_FIELDS = FIELDS
_ORDER = {"milestone": 0, "status": 1, "ticket_comment": 2, "ticket": 2, "message": 3}


class PirEntry(FactModel):
    at: datetime
    at_text: str
    kind: str  # milestone | status | message | ticket_comment | ticket
    milestone: str = ""  # key of MILESTONE_LABELS, or ""
    milestone_label: str = ""
    text: str
    source_ids: list[str]


class UnresolvedEntry(FactModel):
    """A source timeline entry with no usable UTC time: shown as written, never given a time."""

    written: str
    text: str
    basis: str
    source_ids: list[str]


class Milestone(FactModel):
    name: str
    label: str
    at: datetime | None = None
    at_text: str = ""
    source_ids: list[str] = Field(default_factory=list)


class DurationFact(FactModel):
    label: str
    minutes: int | None = None
    text: str  # "1h 05m", or "not recorded"
    source_ids: list[str] = Field(default_factory=list)


class ActionItem(FactModel):
    id: str
    action: str
    owner: str
    due: date | None = None
    due_text: str
    status: str
    source_ids: list[str]


class PirFacts(FactModel):
    kind: str = "pir_timeline"
    incident_id: str
    account_id: str
    account_name: str
    title: str
    priority: str
    status: str
    timeline: list[PirEntry]
    unresolved: list[UnresolvedEntry] = Field(default_factory=list)
    milestones: list[Milestone]
    durations: list[DurationFact]
    root_cause_status: str  # confirmed | unconfirmed | unknown
    root_cause: Fact | None = None  # stated only when confirmed
    hypothesis: Fact | None = None  # an unconfirmed summary, to be written as "Unconfirmed: ..."
    contributing_factors: list[Fact] = Field(default_factory=list)
    corrective_actions: list[ActionItem] = Field(default_factory=list)


def _entry(at: datetime, kind: str, text: str, source_id: str, milestone: str = "") -> PirEntry:
    return PirEntry(at=at, at_text=format_time(at), kind=kind, milestone=milestone,
                    milestone_label=MILESTONE_LABELS.get(milestone, ""), text=text, source_ids=[source_id])


def _timeline(incident: Incident, tickets: list[Ticket], safe) -> list[PirEntry]:
    entries: list[PirEntry] = []
    seen_sources: set[str] = set()
    milestones_seen: set[str] = set()
    said = {m.source_id: m.name for m in incident_milestones(incident).values() if m.basis == "message"}
    for event in incident.events:
        if not event.time_resolved:
            continue  # no usable UTC time: listed apart (``unresolved``), never given a guessed time
        if event.kind == "milestone" and event.milestone:
            entries.append(_entry(event.at, "milestone", safe(event.text) or MILESTONE_TEXT[event.milestone],
                                  event.id, event.milestone))
            milestones_seen.add(event.milestone)
            continue
        text = safe(lead_text(event.text, 240) if event.kind == "message" else event.text)
        if not text and event.id in said:  # the milestone stays on the timeline (the durations run to it)
            text = MILESTONE_TEXT[said[event.id]]
        if not text and event.time_written:
            text = "Timeline entry (its details name internal systems and are left out of this copy)"
        if not text:
            continue
        entries.append(_entry(event.at, event.kind, text, event.id, said.get(event.id, "")))
        seen_sources.add(event.source_id or event.id)
    for milestone, field in _FIELDS.items():  # milestones the record has but no event carries
        at = getattr(incident, field)
        if at is not None and milestone not in milestones_seen:
            entries.append(_entry(at, "milestone", MILESTONE_TEXT[milestone], incident.id, milestone))
    for ticket in tickets:
        if ticket.id not in seen_sources:
            text = safe(ticket.subject)
            entries.append(_entry(ticket.created_at, "ticket",
                                  f"Support ticket {ticket.id} opened" + (f": {text}" if text else ""), ticket.id))
        for comment in ticket.comments:
            if not comment.public or comment.id in seen_sources:
                continue
            if comment.created_at < incident.started_at or (
                    incident.resolved_at and comment.created_at > incident.resolved_at):
                continue  # the PIR covers the incident window; later chatter is not timeline
            text = safe(lead_text(comment.body, 240))
            if text:
                who = "Customer" if comment.author_role == "customer" else "Support"
                entries.append(_entry(comment.created_at, "ticket_comment", f"{who} on {ticket.id}: {text}",
                                      comment.id))
    return sorted(entries, key=lambda e: (e.at, _ORDER.get(e.kind, 9), e.source_ids[0]))


def _said(statement: Statement) -> str:
    who = {"staff": "our team", "customer": "the customer"}.get(statement.role, "the channel")
    return f"stated by {who} at {format_time(statement.at)}"


def _channel_root_cause(incident: Incident, statements: list[Statement], safe) -> tuple[Fact | None, Fact | None]:
    """``(confirmed root cause, hypothesis)`` from the channel when the record states no cause."""
    causes = [s for s in statements if s.kind == "root_cause" and safe(s.text)]
    if not causes:
        return None, None
    confirmed = [s for s in causes if confirmed_by_record(s, incident)]
    if confirmed:
        s = confirmed[-1]
        return Fact(value=f"{safe(s.text)} ({_said(s)})", source_ids=[s.source_id]), None
    best = ([s for s in causes if not s.hedged and s.role == "staff"] or causes)[-1]
    return None, Fact(value=f"{safe(best.text)} ({_said(best)}; the incident record does not confirm it)",
                      source_ids=[best.source_id])


def _duration(label: str, start: MilestoneTime | None, end: MilestoneTime | None) -> DurationFact:
    """From impact start to a milestone; a milestone only a message states says so."""
    if start is None or end is None or end.at < start.at:
        return DurationFact(label=label, text="not recorded", source_ids=[s.source_id for s in [start] if s])
    minutes = minutes_between(start.at, end.at)
    text = format_duration(minutes)
    if end.basis == "message":
        text += (f" (to the message at {format_time(end.at)} that states "
                 f"{MILESTONE_LABELS[end.name].lower()}; the incident record has no time for it)")
    return DurationFact(label=label, minutes=minutes, text=text, source_ids=[start.source_id, end.source_id])


def pir_facts(plan: AccountPlan, incident: Incident, tickets: list[Ticket],
              plans: list[AccountPlan] | None = None) -> PirFacts:
    """The PIR facts for ``incident`` (pure). ``tickets``: its related tickets (same account only)."""
    banned = banned_terms(plan, plans or [])
    safe = lambda text: customer_safe(text, banned=banned)  # noqa: E731
    related = [t for t in tickets if t.account_id == incident.account_id and t.id in incident.related_tickets]
    reached = incident_milestones(incident)
    milestones = [Milestone(name=name, label=MILESTONE_LABELS[name]) for name in _FIELDS]
    milestones = [m if (t := reached.get(m.name)) is None else m.model_copy(update={
        "at": t.at, "at_text": format_time(t.at), "source_ids": [t.source_id]}) for m in milestones]
    durations = [_duration(label, reached.get("impact_start"), reached.get(name))
                 for name, label in DURATION_LABELS.items()]
    rc = incident.root_cause
    rc_sources = [s for s in [rc.source, incident.id] if s]
    rc_text = safe(rc.summary)
    root_cause = Fact(value=rc_text, source_ids=rc_sources) if rc.status == "confirmed" and rc_text else None
    hypothesis = Fact(value=rc_text, source_ids=rc_sources) if rc.status != "confirmed" and rc_text else None
    statements = incident_statements(plan, incident)
    if not rc_text:  # the record states no cause: the channel's statements, marked by who and the record
        root_cause, hypothesis = _channel_root_cause(incident, statements, safe)
    factors = [Fact(value=t, source_ids=[incident.id]) for f in incident.contributing_factors if (t := safe(f))]
    if not incident.contributing_factors:
        factors = [Fact(value=f"Unconfirmed: {t} ({_said(s)})", source_ids=[s.source_id])
                   for s in statements if s.kind == "factor" and (t := safe(s.text))]
    actions = [ActionItem(id=a.id, action=safe(a.action) or a.action, owner=a.owner or "not assigned", due=a.due,
                          due_text=format_date(a.due) if a.due else "no due date set", status=a.status,
                          source_ids=[incident.id]) for a in incident.corrective_actions]
    if not incident.corrective_actions:
        actions = [ActionItem(id=f"FU-{n}", action=f"{t} ({_said(s)})", owner="not assigned", due=None,
                              due_text="no due date set", status="open", source_ids=[s.source_id])
                   for n, s in enumerate((s for s in statements if s.kind == "action" and safe(s.text)), start=1)
                   if (t := safe(s.text))]
    return PirFacts(
        incident_id=incident.id, account_id=plan.account.id, account_name=plan.account.name,
        title=safe(incident.title) or f"Incident {incident.id}", priority=incident.priority, status=incident.status,
        timeline=_timeline(incident, related, safe), milestones=milestones, durations=durations,
        unresolved=[UnresolvedEntry(written=e.time_written or "no time", text=safe(lead_text(e.text, 240)) or
                                    "(details left out of this copy)", basis=e.time_basis, source_ids=[e.id])
                    for e in incident.events if not e.time_resolved],
        root_cause_status=rc.status if (rc.status != "confirmed" or root_cause) else "unknown",
        root_cause=root_cause, hypothesis=hypothesis,
        contributing_factors=factors, corrective_actions=actions,
    )


def build_pir_facts(source: RecordSource, incident_id: str, as_of: datetime | None = None) -> PirFacts:
    """Load the incident, its related tickets and the plans; ``as_of`` is accepted for symmetry
    (a PIR describes the incident as recorded)."""
    incident = require(source.incident(incident_id), "incident", incident_id, "`list incidents` shows the ids")
    plan = require(source.plan(incident.account_id), "account", incident.account_id)
    tickets = [t for tid in incident.related_tickets if (t := source.ticket(tid)) is not None]
    return pir_facts(plan, incident, tickets, source.plans())
