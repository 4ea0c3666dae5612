"""An incident's milestones (impact start, detection, engagement, mitigation, resolution): when
each happened and where that comes from.

One definition for every artifact and check that uses them (the PIR's timeline and durations,
the customer update's status, the timeline and update-form guardrails), so a duration a draft
states is recomputed from the same records by the check:

1. the incident record's field (``detected_at``…; a post-mortem document's timeline sets these);
2. else a channel message that states the milestone ("alerts fired", "rolled back",
   "incident resolved": :mod:`copilot.ingest.milestone_phrases`), in milestone order after the
   recorded ones and never before impact start. Such a milestone has ``basis="message"``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from copilot.facts.common import FactModel
from copilot.ingest.milestone_phrases import MILESTONE_ORDER, assign_milestones
from copilot.records.models import Incident

__all__ = ["FIELDS", "MilestoneTime", "incident_milestones", "message_milestones", "milestone_source"]

FIELDS: dict[str, str] = {
    "impact_start": "started_at",
    "detected": "detected_at",
    "engaged": "engaged_at",
    "mitigated": "mitigated_at",
    "resolved": "resolved_at",
}
"""Milestone -> the incident record's field."""


class MilestoneTime(FactModel):
    name: str
    at: datetime
    source_id: str
    basis: Literal["record", "message"]


def milestone_source(incident: Incident, milestone: str) -> str:
    """The id of the event that records ``milestone``, else the incident's own id."""
    for event in incident.events:
        if event.kind == "milestone" and event.milestone == milestone:
            return event.id
    return incident.id


def _recorded(incident: Incident) -> dict[str, datetime]:
    known = {m: at for m, f in FIELDS.items() if (at := getattr(incident, f)) is not None}
    for e in incident.events:
        if e.kind == "milestone" and e.milestone and e.time_resolved:
            known.setdefault(e.milestone, e.at)
    return known


def message_milestones(incident: Incident) -> dict[str, str]:
    """``{event id: milestone}`` for milestones the record lacks but a message states
    ("alerts fired", "rolled back", "resolved"), in milestone order after the recorded ones."""
    messages = [e for e in incident.events if e.kind == "message" and e.time_resolved]
    found = assign_milestones([(e.at, e.text) for e in messages], _recorded(incident))
    return {messages[i].id: name for name, i in found.items()}


def incident_milestones(incident: Incident, as_of: datetime | None = None) -> dict[str, MilestoneTime]:
    """Every milestone the incident has (reached by ``as_of`` when given), in milestone order."""
    out: dict[str, MilestoneTime] = {}
    for name, field in FIELDS.items():
        at = getattr(incident, field)
        if at is not None:
            out[name] = MilestoneTime(name=name, at=at, source_id=milestone_source(incident, name), basis="record")
    said = message_milestones(incident)
    for event in incident.events:
        name = said.get(event.id) if event.kind == "message" else None
        if name and name not in out and event.at >= incident.started_at:
            out[name] = MilestoneTime(name=name, at=event.at, source_id=event.id, basis="message")
    return {m: out[m] for m in MILESTONE_ORDER if m in out and (as_of is None or out[m].at <= as_of)}
