"""The records the generator builds before writing them in a source format.

A ``TicketSpec`` becomes a Zendesk ticket, a Jira issue or a CSV row; an ``IncidentSpec`` becomes
an incident YAML record plus its Slack channel; an ``AccountSpec`` becomes an account plan and
steers how that account's tickets are generated. ``SynthPortfolio`` is everything one run writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from copilot.synth.world import sla_for_tier

__all__ = [
    "AccountSpec",
    "CommentSpec",
    "IncidentSpec",
    "Person",
    "SynthPortfolio",
    "SynthSlackMessage",
    "TicketSpec",
]

@dataclass
class Person:
    name: str
    email: str
    role: str = "customer"  # customer | agent | tam | sre | engineer | manager | ae | bot
    title: str = ""

    @property
    def first(self) -> str:
        return self.name.split()[0]

    @property
    def is_agent(self) -> bool:
        return self.role != "customer"


@dataclass
class CommentSpec:
    author: Person
    created_at: datetime
    body: str
    public: bool = True


@dataclass
class TicketSpec:
    """A ticket before it is written in one source format."""

    account_id: str
    source: str  # zendesk | jira | csv
    subject: str
    description: str
    priority: str  # P1-P4
    status: str  # new | open | pending | on_hold | solved | closed
    created_at: datetime
    requester: Person
    assignee: Person | None = None
    component: str = ""
    version: str = ""
    region: str = ""
    type: str = "incident"
    tags: list[str] = field(default_factory=list)
    comments: list[CommentSpec] = field(default_factory=list)
    resolved_at: datetime | None = None
    root_cause: str = ""
    key: str = ""  # symbolic handle for hand-written records ([[ticket:KEY]] references)
    native_id: str = ""  # 4123 / MRG-231 / INC0031001, assigned by assign_ticket_ids
    record_id: str = ""  # ZD-4123 / MRG-231 / INC0031001

    @property
    def updated_at(self) -> datetime:
        times = [c.created_at for c in self.comments] + [self.created_at]
        return max(times)

    @property
    def is_open(self) -> bool:
        return self.status in ("new", "open", "pending", "on_hold")

    def first_response_at(self) -> datetime | None:
        for c in sorted(self.comments, key=lambda c: c.created_at):
            if c.public and c.author.is_agent:
                return c.created_at
        return None


@dataclass
class SynthSlackMessage:
    """One message of a generated incident channel (``ts`` is assigned once the channel is complete)."""

    at: datetime
    author: Person
    text: str
    ts: str = ""
    flags: tuple[str, ...] = ()


@dataclass
class IncidentSpec:
    id: str
    account_id: str
    title: str
    priority: str
    status: str
    channel: str
    summary: str
    customer_impact: str
    workaround: str
    started_at: datetime
    detected_at: datetime
    engaged_at: datetime
    mitigated_at: datetime | None
    resolved_at: datetime | None
    last_customer_update_at: datetime | None
    related: list[TicketSpec]
    root_cause: dict[str, str]
    contributing_factors: list[str]
    corrective_actions: list[dict[str, Any]]
    status_events: list[dict[str, Any]]
    messages: list[SynthSlackMessage]
    component: str = ""
    region: str = ""
    priority_label: str = ""  # how the record spells the priority (P1 or Sev1)


@dataclass
class AccountSpec:
    """Everything the generator needs to know about one account."""

    id: str
    name: str
    short: str  # project-key style prefix, e.g. MRG
    domain: str
    industry: str
    region: str
    health: str
    tier: str
    arr: int
    start_date: date
    renewal_date: date
    renewal_stage: str
    tam: Person
    account_exec: Person
    agents: list[Person]
    contacts: list[Person]  # customer people who raise tickets
    stakeholders: list[dict[str, Any]]
    currency: str = "USD"
    aliases: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=lambda: ["zendesk"])
    source_weights: dict[str, float] = field(default_factory=dict)
    zendesk_org_id: int | None = None
    zendesk_version_tag: str = "v"  # "v" -> v5.2.1, "version:" -> version:5.2.1
    jira_key: str | None = None
    jira_priority_style: str = "standard"  # standard | classic | sev
    jira_adf: bool = True
    csv_customer: str | None = None
    csv_style: str = "servicenow"  # servicenow | sheet
    csv_utc_offset_minutes: int = 0
    ticket_count: int = 30
    severity_weights: tuple[float, float, float, float] = (0.04, 0.18, 0.5, 0.28)
    breach_rate: float = 0.12
    cadence_slip: float = 0.2
    hot_components: list[str] = field(default_factory=list)
    trend: str = "flat"  # flat | declining | rising
    version_lag: int = 1
    objectives: list[str] = field(default_factory=list)
    value_realization: list[dict[str, Any]] = field(default_factory=list)
    risks: list[dict[str, Any]] = field(default_factory=list)
    whitespace: list[str] = field(default_factory=list)
    success_plan: list[dict[str, Any]] = field(default_factory=list)
    roadmap: list[str] = field(default_factory=list)
    internal_codenames: list[str] = field(default_factory=list)
    slack_channels: list[str] = field(default_factory=list)
    sla: dict[str, dict[str, int]] | None = None
    severity_policy: list[dict[str, Any]] | None = None

    def sla_policy(self) -> dict[str, dict[str, int]]:
        return self.sla or sla_for_tier(self.tier)

    def first_response_target(self, priority: str) -> int:
        return self.sla_policy()[priority]["first_response_minutes"]

    def cadence(self, priority: str) -> int:
        return self.sla_policy()[priority]["update_cadence_minutes"]


@dataclass
class SynthPortfolio:
    """Everything one generator run writes: accounts, their tickets and incidents."""

    accounts: list[AccountSpec]
    tickets: list[TicketSpec]
    incidents: list[IncidentSpec]
