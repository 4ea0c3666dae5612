"""The escalation queue: an account's open tickets ordered by severity and SLA risk.

For each open ticket the SLA clock that is running is either the first response (no response
yet) or the update cadence (time since the last public agent reply). The queue orders by
priority first (P1 before P2 ...), then by how close the running clock is to breaching
(already breached first, most overdue first), then by age.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Literal

from pydantic import BaseModel, ConfigDict

from copilot.facts.common import format_duration
from copilot.records.models import PRIORITIES, AccountPlan, Incident, Ticket, ensure_utc

__all__ = ["QueueEntry", "SlaClock", "format_minutes", "incident_update_clock", "rank_open_tickets", "sla_clock"]

AT_RISK_FRACTION = 0.25
"""A clock with less than this share of its window left is ``at_risk``."""

Risk = Literal["breached", "at_risk", "ok"]


class SlaClock(BaseModel):
    """The SLA clock running on one ticket at ``as_of``."""

    model_config = ConfigDict(extra="forbid")

    clock: Literal["first_response", "update"]
    started_at: datetime
    due_at: datetime
    window_minutes: int
    minutes_left: float  # negative once breached
    risk: Risk
    reason: str


class QueueEntry(BaseModel):
    """One open ticket in the escalation queue, with its running SLA clock."""

    model_config = ConfigDict(extra="forbid")

    rank: int
    id: str
    subject: str
    priority: str
    status: str
    created_at: datetime
    age_hours: float
    component: str = ""
    assignee: str = ""
    sla: SlaClock | None = None  # None when the plan has no target for the priority

    @property
    def risk(self) -> Risk:
        return self.sla.risk if self.sla else "ok"


def format_minutes(minutes: float) -> str:
    """A countdown's size, whichever way it runs: ``-135`` -> ``2h 15m`` (``facts.common.format_duration``)."""
    return format_duration(abs(minutes))


def _last_agent_update(ticket: Ticket) -> datetime | None:
    stamps = [c.created_at for c in ticket.comments if c.public and c.author_role == "agent"]
    if ticket.first_response_at:
        stamps.append(ticket.first_response_at)
    return max(stamps) if stamps else None


def sla_clock(plan: AccountPlan, ticket: Ticket, as_of: datetime) -> SlaClock | None:
    """The SLA clock running on ``ticket`` at ``as_of`` (None for a closed ticket)."""
    if not ticket.is_open:
        return None
    target = plan.sla.for_priority(ticket.priority)
    as_of = ensure_utc(as_of)
    last_update = _last_agent_update(ticket)
    if last_update is None:
        clock, started, window = "first_response", ticket.created_at, target.first_response_minutes
    else:
        clock, started, window = "update", last_update, target.update_cadence_minutes
    due = started + timedelta(minutes=window)
    left = (due - as_of).total_seconds() / 60
    what = "first response" if clock == "first_response" else "next customer update"
    if left < 0:
        risk: Risk = "breached"
        reason = f"{what} overdue by {format_minutes(left)} ({ticket.priority} target {format_minutes(window)})"
    elif left < window * AT_RISK_FRACTION:
        risk = "at_risk"
        reason = f"{what} due in {format_minutes(left)} ({ticket.priority} target {format_minutes(window)})"
    else:
        risk = "ok"
        reason = f"{what} due in {format_minutes(left)}"
    return SlaClock(clock=clock, started_at=started, due_at=due, window_minutes=window,
                    minutes_left=round(left, 1), risk=risk, reason=reason)


def rank_open_tickets(plan: AccountPlan, tickets: list[Ticket], as_of: datetime | None = None) -> list[QueueEntry]:
    """Open tickets of ``plan``'s account, most urgent first.

    Order: priority (P1 first); then minutes left on the running SLA clock (most overdue
    first); then oldest first; then id, so the order is total and stable.
    """
    as_of = ensure_utc(as_of) if as_of else datetime.now(timezone.utc)
    rows = []
    for ticket in tickets:
        if ticket.account_id != plan.account.id or not ticket.is_open:
            continue
        clock = sla_clock(plan, ticket, as_of)
        rows.append((ticket, clock))

    def key(row: tuple[Ticket, SlaClock | None]) -> tuple:
        ticket, clock = row
        left = clock.minutes_left if clock else float("inf")
        return (PRIORITIES.index(ticket.priority), left, ticket.created_at, ticket.id)

    rows.sort(key=key)
    return [
        QueueEntry(rank=n, id=t.id, subject=t.subject, priority=t.priority, status=t.status,
                   created_at=t.created_at, age_hours=round((as_of - t.created_at).total_seconds() / 3600, 1),
                   component=t.component, assignee=t.assignee, sla=clock)
        for n, (t, clock) in enumerate(rows, 1)
    ]


def incident_update_clock(plan: AccountPlan, incident: Incident, as_of: datetime | None = None) -> SlaClock | None:
    """When the next customer update on an open incident is due (None once it is resolved).

    The clock starts at the last customer update (else at detection, else at the start of
    impact) and runs for the SLA update cadence of the incident's priority.
    """
    if incident.status == "resolved":
        return None
    as_of = ensure_utc(as_of) if as_of else datetime.now(timezone.utc)
    window = plan.sla.for_priority(incident.priority).update_cadence_minutes
    started = incident.last_customer_update_at or incident.detected_at or incident.started_at
    due = started + timedelta(minutes=window)
    left = (due - as_of).total_seconds() / 60
    cadence = f"(every {format_minutes(window)} for {incident.priority})"
    if left < 0:
        risk: Risk = "breached"
        reason = f"customer update overdue by {format_minutes(left)} {cadence}"
    else:
        risk = "at_risk" if left < window * AT_RISK_FRACTION else "ok"
        reason = f"next customer update due in {format_minutes(left)} {cadence}"
    return SlaClock(clock="update", started_at=started, due_at=due, window_minutes=window,
                    minutes_left=round(left, 1), risk=risk, reason=reason)
