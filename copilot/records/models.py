"""Records: the normalised shape of an account's history.

Every ingestor turns its source format into these models; everything downstream
(store, retrieval, facts, drafting, guardrails) reads only these. Timestamps are
always timezone-aware UTC, severities are always P1-P4.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "Account",
    "AccountPlan",
    "Comment",
    "Contact",
    "Contract",
    "CorrectiveAction",
    "Incident",
    "IncidentEvent",
    "Priority",
    "QuarantineEntry",
    "Risk",
    "RootCause",
    "Runbook",
    "RunbookSection",
    "SevDefinition",
    "SlaPolicy",
    "SlaTarget",
    "SourceMappings",
    "SuccessPlanItem",
    "Ticket",
    "ValueEntry",
    "content_hash",
    "ensure_utc",
]

Priority = Literal["P1", "P2", "P3", "P4"]
PRIORITIES: tuple[str, ...] = ("P1", "P2", "P3", "P4")
SHARED_ACCOUNT = "__shared__"
"""Account id used in the index for shared documents (runbooks)."""


def ensure_utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime; naive values are refused."""
    if value.tzinfo is None:
        raise ValueError(f"timestamp {value.isoformat()} has no timezone")
    return value.astimezone(timezone.utc)


def content_hash(payload: Any) -> str:
    """A stable sha256 over a JSON-serialisable payload (or a pydantic model)."""
    if isinstance(payload, BaseModel):
        payload = payload.model_dump(mode="json")
    raw = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class Record(BaseModel):
    """Base for records: unknown fields are refused at the boundary."""

    model_config = ConfigDict(extra="forbid")


class UtcRecord(Record):
    """A record whose datetime fields are normalised to UTC."""

    @field_validator("*", mode="after")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        if isinstance(value, datetime):
            return ensure_utc(value)
        return value


# --- accounts and plans ---------------------------------------------------------------


class Contact(Record):
    """A stakeholder on the customer side (or our side, with ``internal=True``)."""

    name: str
    title: str = ""
    email: str = ""
    function: str = ""  # e.g. engineering, operations, finance, executive, procurement
    seniority: Literal["executive", "director", "manager", "individual"] = "manager"
    buying_role: Literal[
        "economic_buyer", "champion", "technical_buyer", "user", "influencer", "blocker", "none"
    ] = "none"
    relationship_strength: int = Field(3, ge=1, le=5)
    sentiment: Literal["positive", "neutral", "negative", "unknown"] = "unknown"
    status: Literal["active", "left"] = "active"
    left_on: date | None = None
    internal: bool = False


class Contract(Record):
    arr: float = Field(ge=0)
    currency: str = "USD"
    tier: Literal["strategic", "enterprise", "growth", "standard"]
    start_date: date
    renewal_date: date
    renewal_stage: str = ""  # free text as the plan states it, e.g. "commercial review"


class SlaTarget(Record):
    first_response_minutes: int = Field(gt=0)
    update_cadence_minutes: int = Field(gt=0)


class SlaPolicy(Record):
    """First-response target and update cadence per severity."""

    P1: SlaTarget
    P2: SlaTarget
    P3: SlaTarget
    P4: SlaTarget

    def for_priority(self, priority: str) -> SlaTarget:
        return getattr(self, priority)


class SevDefinition(Record):
    """The account's severity policy: what qualifies a ticket for a level."""

    priority: Priority
    definition: str
    keywords: list[str] = Field(default_factory=list)


class ValueEntry(Record):
    id: str
    outcome: str
    metric: str = ""
    baseline: str = ""
    current: str = ""
    achieved_on: date | None = None
    evidence: str = ""


class Risk(Record):
    id: str
    title: str
    likelihood: Literal["low", "medium", "high"]
    impact: Literal["low", "medium", "high"]
    mitigation: str = ""
    owner: str = ""
    status: Literal["open", "mitigating", "closed"] = "open"


class SuccessPlanItem(Record):
    id: str
    item: str
    owner: str
    due: date | None = None
    status: Literal["planned", "in_progress", "done", "at_risk"] = "planned"
    quarter: str = ""  # e.g. 2026Q4


class SourceMappings(Record):
    """How records in each source format are attached to this account."""

    zendesk_organization_ids: list[int] = Field(default_factory=list)
    jira_project_keys: list[str] = Field(default_factory=list)
    csv_customer_names: list[str] = Field(default_factory=list)
    slack_channels: list[str] = Field(default_factory=list)


class Account(Record):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")
    name: str
    aliases: list[str] = Field(default_factory=list)
    email_domains: list[str] = Field(default_factory=list)
    industry: str = ""
    region: str = ""
    health: Literal["green", "yellow", "red"] = "green"


class AccountPlan(Record):
    """The TAM's plan for one account: contract, SLA, people, value, risks."""

    account: Account
    contract: Contract
    sla: SlaPolicy
    severity_policy: list[SevDefinition] = Field(default_factory=list)
    mappings: SourceMappings = Field(default_factory=SourceMappings)
    stakeholders: list[Contact] = Field(default_factory=list)
    objectives: list[str] = Field(default_factory=list)
    value_realization: list[ValueEntry] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    whitespace: list[str] = Field(default_factory=list)
    success_plan: list[SuccessPlanItem] = Field(default_factory=list)
    roadmap: list[str] = Field(default_factory=list)
    internal_codenames: list[str] = Field(default_factory=list)
    source_file: str = ""


# --- tickets -------------------------------------------------------------------------


class Comment(UtcRecord):
    id: str
    ticket_id: str
    author: str
    author_role: Literal["agent", "customer", "system", "unknown"] = "unknown"
    public: bool = True
    created_at: datetime
    body: str


class Ticket(UtcRecord):
    id: str  # ZD-4123, ACMESUP-88, INC0012345
    account_id: str
    source: Literal["zendesk", "jira", "csv"]
    source_file: str = ""
    subject: str
    description: str = ""
    priority: Priority
    status: Literal["new", "open", "pending", "on_hold", "solved", "closed"]
    type: str = ""
    tags: list[str] = Field(default_factory=list)
    component: str = ""
    product_version: str = ""
    region: str = ""
    requester: str = ""
    assignee: str = ""
    created_at: datetime
    updated_at: datetime | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    root_cause: str = ""
    comments: list[Comment] = Field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status in ("new", "open", "pending", "on_hold")


# --- incidents -----------------------------------------------------------------------


class IncidentEvent(UtcRecord):
    id: str
    incident_id: str
    at: datetime
    kind: Literal["message", "status", "ticket_comment", "milestone"]
    author: str = ""
    text: str
    milestone: Literal["impact_start", "detected", "engaged", "mitigated", "resolved", ""] = ""
    status: Literal["investigating", "identified", "monitoring", "resolved", ""] = ""
    """For ``kind="status"``: the incident status this event moved to."""
    source_id: str = ""  # e.g. slack:#inc-acme-0412:1712345678.000100
    time_written: str = ""
    """The time exactly as the source wrote it (post-mortem documents), e.g. ``2:54 PM PST``."""
    time_basis: str = ""
    """How ``at`` was resolved to UTC: where the date and the time zone came from."""
    time_resolved: bool = True
    """False: the source gives no usable UTC time; ``at`` only keeps the entry's place in order."""


class RootCause(Record):
    status: Literal["confirmed", "unconfirmed", "unknown"] = "unknown"
    summary: str = ""
    source: str = ""  # where it was confirmed (event id, ticket comment id)


class CorrectiveAction(Record):
    id: str
    action: str
    owner: str
    due: date | None = None
    status: Literal["open", "in_progress", "done"] = "open"


class Incident(UtcRecord):
    id: str  # INC-2026-0412
    account_id: str
    title: str
    priority: Priority
    status: Literal["investigating", "identified", "monitoring", "resolved"]
    channel: str = ""
    source_file: str = ""
    summary: str = ""
    customer_impact: str = ""
    workaround: str = ""
    started_at: datetime
    detected_at: datetime | None = None
    engaged_at: datetime | None = None
    mitigated_at: datetime | None = None
    resolved_at: datetime | None = None
    last_customer_update_at: datetime | None = None
    related_tickets: list[str] = Field(default_factory=list)
    root_cause: RootCause = Field(default_factory=RootCause)
    contributing_factors: list[str] = Field(default_factory=list)
    corrective_actions: list[CorrectiveAction] = Field(default_factory=list)
    events: list[IncidentEvent] = Field(default_factory=list)

    @property
    def created_at(self) -> datetime:
        return self.started_at


# --- runbooks ------------------------------------------------------------------------


class RunbookSection(Record):
    heading: str
    text: str


class Runbook(Record):
    id: str  # RB-<slug>
    title: str
    component: str = ""
    product: str = ""
    tags: list[str] = Field(default_factory=list)
    source_file: str = ""
    sections: list[RunbookSection] = Field(default_factory=list)


# --- ingest reporting ----------------------------------------------------------------


class QuarantineEntry(Record):
    """A row that could not be ingested, with what to do about it."""

    file: str
    row: str  # row number, record id or JSON path; "" for the whole file
    reason: str
    action: str = ""
