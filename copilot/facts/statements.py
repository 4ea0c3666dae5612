"""Statements an incident channel makes about cause, factors, actions and current state.

Each :class:`Statement` is one message sentence with who said it (staff or customer) and
when, so a PIR or update can cite it and mark it. The patterns name general ways people
write these, never one incident's wording:

- root cause: "root cause", "the cause is/was", "caused by", "RCA";
- contributing factor: "contributed/contributing", "why didn't … catch", "no alert on/for",
  "made it worse", "never exercised/tested";
- corrective action: "action item", "follow-up", "we will/need to/should …", "to prevent";
- state (for customer updates): mitigated, rolled back, restored, recovered, deployed/released
  a fix, error rate back to normal, resolved, monitoring.

A sentence that hedges ("I think", "suspect", "maybe", "might", "probably", "looks like", a
question) is a hypothesis: never confirmed, and never used as a customer-facing state.
"""

from __future__ import annotations

import re
from datetime import datetime

from copilot.facts.common import FactModel, sentences
from copilot.records.models import AccountPlan, Incident, Ticket

__all__ = ["Statement", "confirmed_by_record", "incident_statements", "is_hedged", "ticket_statements"]

_KINDS: dict[str, re.Pattern[str]] = {
    "root_cause": re.compile(r"\broot[- ]?cause\b|\b(?:the )?(?:cause|culprit) (?:is|was)\b|\bcaused by\b|\bRCA\b",
                             re.IGNORECASE),
    "factor": re.compile(r"\bcontribut(?:ed|ing|es)\b|\bwhy (?:didn'?t|did not)\b.*\bcatch\b|\bno alert(?:ing)? (?:on|for)\b"
                         r"|\bmade (?:it|this|things) worse\b|\bnever (?:exercised|tested|gets|got)\b", re.IGNORECASE),
    "action": re.compile(r"\baction items?\b|\bfollow[- ]?ups?:|\bwe (?:will|'ll|need to|should|must) (?:add|alert|fix|"
                         r"change|review|automate|document|monitor|test)\b|\bto prevent (?:this|a recurrence)\b",
                         re.IGNORECASE),
    "state": re.compile(r"\bmitigated\b|\brolled back\b|\brestored\b|\brecovered\b|\b(?:fix|patch)\w* (?:is |was )?"
                        r"(?:deployed|released|rolled out|live)\b|\b(?:deployed|released) (?:the |a )?fix\b"
                        r"|\b(?:error rate|errors?|latency)\b[^.]{0,30}\b(?:back to normal|recovered|down to)\b"
                        r"|\bresolved\b|\bmonitoring\b", re.IGNORECASE),
}
_HEDGE = re.compile(r"\b(?:i think|i believe|suspect\w*|maybe|might|possibly|probably|perhaps|looks like|seems|"
                    r"guess|not sure|unclear|could be|hypothes\w+)\b|\?", re.IGNORECASE)
_BOT = re.compile(r"pagerduty|opsgenie|statuspage|bot\b|alertmanager|grafana", re.IGNORECASE)


class Statement(FactModel):
    kind: str  # root_cause | factor | action | state
    text: str
    author: str
    role: str  # staff | customer | system
    at: datetime
    source_id: str
    hedged: bool


def is_hedged(text: str) -> bool:
    """Whether ``text`` states a guess rather than a finding."""
    return bool(_HEDGE.search(text or ""))


def _role(author: str, plan: AccountPlan) -> str:
    if not author or _BOT.search(author):
        return "system"
    for person in plan.stakeholders:
        if person.name.casefold() == author.casefold():
            return "staff" if getattr(person, "internal", False) else "customer"
    return "staff"  # channel members who are not the customer's contacts are our people


def _statements(text: str, author: str, role: str, at: datetime, source_id: str) -> list[Statement]:
    out = []
    for sentence in sentences(text):
        for kind, pattern in _KINDS.items():
            if pattern.search(sentence):
                out.append(Statement(kind=kind, text=sentence, author=author, role=role, at=at, source_id=source_id,
                                     hedged=is_hedged(sentence)))
                break
    return out


def incident_statements(plan: AccountPlan, incident: Incident, as_of: datetime | None = None) -> list[Statement]:
    """Every cause/factor/action/state sentence of the incident's messages (up to ``as_of``), in time order."""
    out: list[Statement] = []
    for event in incident.events:
        if event.kind != "message" or (as_of is not None and event.at > as_of):
            continue
        out += _statements(event.text, event.author, _role(event.author, plan), event.at, event.id)
    return out


def ticket_statements(tickets: list[Ticket], as_of: datetime | None = None) -> list[Statement]:
    """The same sentences from the tickets' *public* comments (up to ``as_of``), in time order:
    internal notes never reach a customer. Support agents are staff, requesters the customer."""
    out: list[Statement] = []
    for ticket in tickets:
        for c in ticket.comments:
            if c.public and (as_of is None or c.created_at <= as_of):
                role = {"agent": "staff", "customer": "customer"}.get(c.author_role, "system")
                out += _statements(c.body, c.author, role, c.created_at, c.id)
    return sorted(out, key=lambda s: s.at)


def confirmed_by_record(statement: Statement, incident: Incident) -> bool:
    """A root-cause statement is confirmed when the record's root cause is confirmed and either
    cites this statement's event or the statement is staff's unhedged word that it is confirmed."""
    rc = incident.root_cause
    if rc.status != "confirmed" or statement.hedged:
        return False
    if rc.source and rc.source == statement.source_id:
        return True
    return statement.role == "staff" and "confirm" in statement.text.lower()
