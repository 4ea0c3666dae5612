"""Facts for a customer incident update, as of a moment in the incident.

Only what the records show at ``as_of`` counts: status events, milestones and a confirmed
root cause later than ``as_of`` are not known yet. Text that reaches the customer is
filtered by ``customer_safe`` (no internal hosts, codenames or other customers).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from pydantic import Field

from copilot.errors import InvalidInput
from copilot.facts.common import (
    Fact,
    FactModel,
    banned_terms,
    customer_safe,
    format_duration,
    format_time,
    utc_now,
)
from copilot.facts.milestones import incident_milestones, milestone_source
from copilot.facts.statements import Statement, incident_statements, ticket_statements
from copilot.records.models import AccountPlan, Incident, IncidentEvent, Ticket
from copilot.records.source import RecordSource, require

__all__ = ["UpdateFacts", "build_update_facts", "channel_state", "milestone_source", "update_facts"]



class UpdateFacts(FactModel):
    kind: str = "incident_update"
    incident_id: str
    account_id: str
    account_name: str
    title: str
    priority: str
    status: str  # status as of ``as_of``
    as_of: datetime
    as_of_text: str
    started_text: str
    known: list[Fact] = Field(default_factory=list)
    unknown: list[Fact] = Field(default_factory=list)
    actions: list[Fact] = Field(default_factory=list)
    workaround: Fact | None = None
    cadence_minutes: int
    cadence_text: str
    next_update_at: datetime | None = None  # None once resolved: the next step is the PIR, not an update
    next_update_text: str = ""
    next_step: Fact | None = None  # once resolved: the resolution and the post-incident review
    next_update_basis: str
    next_update_sources: list[str]


def _status_events(incident: Incident, as_of: datetime) -> list[IncidentEvent]:
    return sorted((e for e in incident.events if e.kind == "status" and e.at <= as_of), key=lambda e: (e.at, e.id))


def _root_cause_known_at(incident: Incident) -> datetime | None:
    if incident.root_cause.status != "confirmed":
        return None
    for event in incident.events:
        if event.id == incident.root_cause.source or event.source_id == incident.root_cause.source:
            return event.at
    return incident.resolved_at or incident.mitigated_at


def update_facts(plan: AccountPlan, incident: Incident, as_of: datetime, plans: list[AccountPlan] | None = None,
                 tickets: list[Ticket] | None = None) -> UpdateFacts:
    """The facts of a customer update for ``incident`` written at ``as_of`` (pure).

    The next update is due ``as_of`` + the SLA update cadence for the incident's priority
    (this update is the one sent at ``as_of``). Once the incident is resolved (recorded, or a
    channel message states it: ``copilot.facts.milestones``) there is no next update: the update
    gives the resolution and the next step, the post-incident review. ``tickets``: the incident's
    related tickets, whose public comments count with the channel for the latest state.
    """
    if as_of < incident.started_at:
        raise InvalidInput(f"--as-of {format_time(as_of)} is before incident {incident.id} started "
                           f"({format_time(incident.started_at)})")
    banned = banned_terms(plan, plans or [])
    safe = lambda text: customer_safe(text, banned=banned)  # noqa: E731
    milestones = incident_milestones(incident, as_of)
    reached = {m: t.at for m, t in milestones.items()}
    source = {m: t.source_id for m, t in milestones.items()}
    events = _status_events(incident, as_of)
    status = "resolved" if "resolved" in reached else (_status_of(events[-1]) if events else _status_from(reached))

    known: list[Fact] = []
    impact = safe(incident.customer_impact) or safe(incident.title)
    if impact:
        known.append(Fact(value=f"Since {format_time(incident.started_at)}: {impact}", source_ids=[incident.id]))
    if "detected" in reached:
        known.append(Fact(value=f"We detected the issue at {format_time(reached['detected'])}.",
                          source_ids=[source["detected"]]))
    if "mitigated" in reached:
        known.append(Fact(value=f"Impact was mitigated at {format_time(reached['mitigated'])}.",
                          source_ids=[source["mitigated"]]))
    if "resolved" in reached:
        known.append(Fact(value=f"The incident was resolved at {format_time(reached['resolved'])}.",
                          source_ids=[source["resolved"]]))
    rc_at = _root_cause_known_at(incident)
    rc_text = safe(incident.root_cause.summary)
    related = [t for t in tickets or [] if t.account_id == incident.account_id and t.id in incident.related_tickets]
    state = channel_state(plan, incident, as_of, safe, skip={f.value for f in known}, tickets=related)
    known += state
    if rc_at is not None and rc_at <= as_of and rc_text:
        known.append(Fact(value=f"The cause is confirmed: {rc_text}",
                          source_ids=[s for s in [incident.root_cause.source, incident.id] if s]))

    unknown: list[Fact] = []
    if rc_at is None or rc_at > as_of:
        unknown.append(Fact(value="The root cause is not confirmed yet.", source_ids=[incident.id]))
    if "mitigated" not in reached and "resolved" not in reached:
        unknown.append(Fact(value="We do not yet have a time for full recovery.", source_ids=[incident.id]))
    if not unknown:
        unknown.append(Fact(value="No open questions remain about this incident.", source_ids=[incident.id]))

    actions: list[Fact] = []
    for event in events[-3:]:
        text = safe(event.text)
        if text:
            actions.append(Fact(value=f"{format_time(event.at)}: {text}", source_ids=[event.id]))
    if "resolved" in reached:
        actions.append(Fact(value="We are reviewing the incident to prevent a recurrence.",
                            source_ids=[source["resolved"]]))
    elif "mitigated" in reached:
        actions.append(Fact(value="We are monitoring the service closely after the mitigation.",
                            source_ids=[source["mitigated"]]))
    elif "engaged" in reached:
        actions.append(Fact(value="Our engineering team is engaged and investigating.",
                            source_ids=[source["engaged"]]))
    else:
        actions.append(Fact(value="We are investigating.", source_ids=[incident.id]))

    workaround_text = safe(incident.workaround)
    cadence = plan.sla.for_priority(incident.priority).update_cadence_minutes
    resolved = "resolved" in reached
    next_at = None if resolved else as_of + timedelta(minutes=cadence)
    next_step = _next_step(reached["resolved"], source["resolved"], state) if resolved else None
    return UpdateFacts(
        incident_id=incident.id, account_id=plan.account.id, account_name=plan.account.name,
        title=safe(incident.title) or f"Incident {incident.id}", priority=incident.priority, status=status,
        as_of=as_of, as_of_text=format_time(as_of), started_text=format_time(incident.started_at),
        known=known, unknown=unknown, actions=actions,
        workaround=Fact(value=workaround_text, source_ids=[incident.id]) if workaround_text else None,
        cadence_minutes=cadence, cadence_text=format_duration(cadence),
        next_update_at=next_at, next_update_text=format_time(next_at) if next_at else "", next_step=next_step,
        next_update_basis=(f"this update ({format_time(as_of)}) + the {incident.priority} update cadence "
                           f"({format_duration(cadence)})") if next_at else "resolved: no further scheduled update",
        next_update_sources=[f"plan:{plan.account.id}", incident.id],
    )


def _next_step(resolved_at: datetime, source_id: str, state: list[Fact]) -> Fact:
    """A resolved incident's last update: the resolution (the latest customer-safe statement of
    state, when there is one) and the next step, the post-incident review; never an update time."""
    how = state[-1] if state else None
    said = f" Latest status ({how.value.split(': ', 1)[0]}): {how.value.split(': ', 1)[1]}" if how else ""
    return Fact(value=f"The incident was resolved at {format_time(resolved_at)}.{said.rstrip('.')}. This is the "
                      "final scheduled update. Next step: a post-incident review with the timeline, the cause and "
                      "the corrective actions.",
                source_ids=list(dict.fromkeys([source_id, *(how.source_ids if how else [])])))


_META = re.compile(r"\bcustomer\b|\bupdate\b|\bposted\b|\bcomms\b|^(?:i|i'm|i'll|i've)\b|\bplease\b", re.IGNORECASE)


def channel_state(plan: AccountPlan, incident: Incident, as_of: datetime, safe,
                  skip: set[str] = frozenset(), limit: int = 2,  # type: ignore[assignment]
                  tickets: list[Ticket] | None = None) -> list[Fact]:
    """The latest customer-safe statements of state from the channel and the related tickets'
    public comments (up to ``as_of``), oldest first.

    Only our team's unhedged statements of state (mitigated, rolled back, restored, fix
    deployed, resolved, monitoring) count; sentences about comms, in the first person, shorter
    than six words ("Resolved."), or naming a person from the channel, the tickets or the plan
    are left out.
    """
    tickets = tickets or []
    people = {n.casefold() for e in incident.events if e.author for n in (e.author, e.author.split()[0]) if len(n) > 2}
    people |= {n.casefold() for t in tickets for c in t.comments if c.author
               for n in (c.author, c.author.split()[0]) if len(n) > 2}
    people |= {p.name.casefold() for p in plan.stakeholders}
    said: list[Statement] = sorted([*incident_statements(plan, incident, as_of), *ticket_statements(tickets, as_of)],
                                   key=lambda s: s.at)
    picked: list[Fact] = []
    for statement in reversed(said):
        text = safe(statement.text)
        lower = text.casefold()
        if (statement.kind != "state" or statement.role != "staff" or statement.hedged or len(text.split()) < 6
                or _META.search(text) or any(re.search(rf"\b{re.escape(p)}\b", lower) for p in people)):
            continue
        value = f"{format_time(statement.at)}: {text}"
        if value not in skip and all(text != f.value.split(": ", 1)[1] for f in picked):
            picked.append(Fact(value=value, source_ids=[statement.source_id]))
        if len(picked) == limit:
            break
    return picked[::-1]


def _status_of(event: IncidentEvent) -> str:
    explicit = getattr(event, "status", "")
    if explicit:
        return str(explicit)
    for status in ("resolved", "monitoring", "identified", "investigating"):
        if status in event.text.lower():
            return status
    return "investigating"


def _status_from(reached: dict[str, datetime]) -> str:
    if "resolved" in reached:
        return "resolved"
    if "mitigated" in reached:
        return "monitoring"
    return "investigating"


def build_update_facts(source: RecordSource, incident_id: str, as_of: datetime | None = None) -> UpdateFacts:
    incident = require(source.incident(incident_id), "incident", incident_id, "`list incidents` shows the ids")
    plan = require(source.plan(incident.account_id), "account", incident.account_id)
    tickets = [t for tid in incident.related_tickets if (t := source.ticket(tid)) is not None]
    return update_facts(plan, incident, as_of or utc_now(), source.plans(), tickets)
