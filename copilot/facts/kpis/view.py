"""Records as a person would have seen them at a moment: nothing that happened after it.

Asking for the KPIs "as of" an earlier time than the newest record must not use the future:
tickets and incidents opened later are left out, and resolutions, responses, comments,
milestones and events after that moment are removed (a ticket resolved later is open then).
Corrective-action and success-plan statuses carry no date in the records, so they are read
as they stand (docs/metrics.md says so).
"""

from __future__ import annotations

from datetime import datetime

from copilot.facts.kpis.model import AccountRecords
from copilot.records.models import Incident, Ticket

__all__ = ["incident_seen_at", "seen_at", "ticket_seen_at"]

_MILESTONES = ("detected_at", "engaged_at", "mitigated_at", "resolved_at", "last_customer_update_at")


def ticket_seen_at(ticket: Ticket, at: datetime) -> Ticket | None:
    """``ticket`` without what happened after ``at`` (None when it was opened after ``at``)."""
    if ticket.created_at > at:
        return None
    update: dict = {}
    if ticket.resolved_at is not None and ticket.resolved_at > at:
        update |= {"resolved_at": None, "status": "open"}
    if ticket.first_response_at is not None and ticket.first_response_at > at:
        update["first_response_at"] = None
    if any(c.created_at > at for c in ticket.comments):
        update["comments"] = [c for c in ticket.comments if c.created_at <= at]
    return ticket.model_copy(update=update) if update else ticket


def incident_seen_at(incident: Incident, at: datetime) -> Incident | None:
    """``incident`` without milestones and events after ``at`` (None when it started after ``at``)."""
    if incident.started_at > at:
        return None
    update: dict = {f: None for f in _MILESTONES if (v := getattr(incident, f)) is not None and v > at}
    if "resolved_at" in update:
        update["status"] = "monitoring" if "mitigated_at" not in update and incident.mitigated_at else "investigating"
    if any(e.at > at for e in incident.events):
        update["events"] = [e for e in incident.events if e.at <= at]
    return incident.model_copy(update=update) if update else incident


def seen_at(records: AccountRecords, at: datetime) -> AccountRecords:
    """One account's records as they stood at ``at``."""
    tickets = [v for t in records.tickets if (v := ticket_seen_at(t, at)) is not None]
    incidents = [v for i in records.incidents if (v := incident_seen_at(i, at)) is not None]
    return AccountRecords(plan=records.plan, tickets=tickets, incidents=incidents, pir_reviews=records.pir_reviews)
