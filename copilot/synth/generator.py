"""Synthetic portfolio generator: account history in the source formats of docs/formats.md.

``generate_portfolio(out_dir, accounts=N, seed=S)`` writes a complete, deterministic portfolio
(plans, Zendesk / Jira / CSV tickets with comment threads, incident records with their Slack
channel exports, shared runbooks). ``scripts/build_sample_data.py`` reuses the same building
blocks to write the hand-curated ``data/sample`` dataset.

Everything is derived from ``random.Random(seed)`` (stdlib only, no network), so the same
arguments always produce byte-identical files.

The product world: *Parcelstream*, a B2B shipping API platform (labels, rates, tracking,
webhooks, bulk export, reporting) sold to retailers and logistics companies. All people,
companies, carriers, e-mail addresses and domains are fictional (``*.example``).

Layout of a portfolio folder::

    plans/<account>.yaml
    zendesk/tickets-<account>.json
    jira/<PROJECT>-search.json
    csv/tickets-<account>.csv + csv/comments-<account>.csv
    slack/channels.json, slack/users.json, slack/<channel>/<YYYY-MM-DD>.json
    incidents/<INC-id>.yaml
    runbooks/<id>.md
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable

import yaml

__all__ = [
    "AccountSpec",
    "CommentSpec",
    "IncidentSpec",
    "Person",
    "Portfolio",
    "SlackMessage",
    "TicketSpec",
    "COMPONENTS",
    "REGIONS",
    "SNAPSHOT",
    "WINDOW_END",
    "WINDOW_START",
    "assign_ticket_ids",
    "build_incident",
    "generate_accounts",
    "generate_portfolio",
    "generate_tickets",
    "plan_document",
    "sla_for_tier",
    "write_portfolio",
]

UTC = timezone.utc

# --- the product world ------------------------------------------------------------------

VENDOR = "Parcelstream"
VENDOR_DOMAIN = "parcelstream.example"
PRODUCT = "Parcelstream Shipping Platform"

SNAPSHOT = datetime(2026, 11, 16, 8, 0, 0, tzinfo=UTC)
"""The notional "now" of every generated portfolio: no timestamp is later than this."""
WINDOW_START = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)
WINDOW_END = datetime(2026, 11, 15, 23, 0, 0, tzinfo=UTC)
"""Tickets are created inside [WINDOW_START, WINDOW_END]."""

COMPONENTS: tuple[str, ...] = (
    "api-gateway",
    "auth",
    "sso",
    "label-api",
    "rates-engine",
    "tracking-ingest",
    "webhooks",
    "bulk-export",
    "reporting",
)
REGIONS: tuple[str, ...] = ("us-east-1", "eu-west-1", "ap-southeast-2")
REGION_SHORT = {"us-east-1": "use1", "eu-west-1": "euw1", "ap-southeast-2": "apse2"}

# Service / host naming per component (internal names: they belong in internal notes only).
SERVICE = {
    "api-gateway": ("edge-gw", "gw"),
    "auth": ("auth-svc", "auth"),
    "sso": ("sso-svc", "sso"),
    "label-api": ("label-svc", "lbl-worker"),
    "rates-engine": ("rates-svc", "rates-cache"),
    "tracking-ingest": ("track-ingest", "trk-consumer"),
    "webhooks": ("webhook-dispatcher", "whk-dispatch"),
    "bulk-export": ("export-svc", "exp-runner"),
    "reporting": ("report-svc", "rpt-query"),
}
ENDPOINT = {
    "api-gateway": "POST /v5/rates",
    "auth": "POST /v5/oauth/token",
    "sso": "POST /sso/saml/acs",
    "label-api": "POST /v5/labels",
    "rates-engine": "POST /v5/rates",
    "tracking-ingest": "GET /v5/trackers/{id}/events",
    "webhooks": "POST /v5/webhooks",
    "bulk-export": "POST /v5/exports",
    "reporting": "GET /v5/reports/carrier-performance",
}
CODENAMES = {
    "label-api": "Bluejay",  # label-svc rewrite
    "rates-engine": "Kingfisher",  # rates engine v2
    "api-gateway": "Osprey",  # multi-region failover
    "bulk-export": "Heron",  # new export service
}
GLOBAL_CODENAMES = ("Bluejay", "Kingfisher", "Osprey", "Heron")

RELEASES: tuple[tuple[str, date], ...] = (
    ("5.0.2", date(2025, 11, 18)),
    ("5.0.3", date(2026, 1, 13)),
    ("5.0.4", date(2026, 2, 17)),
    ("5.1.0", date(2026, 3, 10)),
    ("5.1.1", date(2026, 3, 31)),
    ("5.1.2", date(2026, 4, 21)),
    ("5.1.3", date(2026, 5, 12)),
    ("5.2.0", date(2026, 6, 2)),
    ("5.2.1", date(2026, 6, 9)),
    ("5.2.2", date(2026, 6, 15)),
    ("5.2.3", date(2026, 8, 4)),
    ("5.3.0", date(2026, 9, 15)),
    ("5.3.1", date(2026, 10, 20)),
)
NEXT_UNRELEASED = "5.3.2"

CARRIERS: tuple[str, ...] = (
    "SwiftPost",
    "Northline Parcel",
    "Atlas Courier",
    "Kiwi Express",
    "Cascade Couriers",
    "Polar Parcel",
    "Tasman Freightways",
    "Redline Logistics",
)
SERVICE_LEVELS = ("Express Saver", "Ground", "Next Day 10:30", "Economy International", "Two Day")
SITES = {
    "us-east-1": ("Columbus DC", "Reno fulfilment centre", "Atlanta hub", "Newark DC", "Memphis DC"),
    "eu-west-1": ("Leeds DC", "Rotterdam hub", "Dublin fulfilment centre", "Lyon DC", "Poznan hub"),
    "ap-southeast-2": ("Brisbane DC", "Auckland hub", "Melbourne fulfilment centre", "Perth DC"),
}
SDKS = (
    "the Parcelstream Java SDK (parcelstream-java 4.11.0)",
    "the Parcelstream Python SDK (parcelstream-py 3.8.2)",
    "the Parcelstream Node SDK (@parcelstream/node 6.2.1)",
    "direct REST calls from our in-house WMS",
    "our .NET middleware calling the REST API directly",
)

TIER_SLA: dict[str, dict[str, tuple[int, int]]] = {
    # priority: (first_response_minutes, update_cadence_minutes)
    "strategic": {"P1": (15, 30), "P2": (60, 120), "P3": (240, 720), "P4": (720, 2880)},
    "enterprise": {"P1": (30, 60), "P2": (120, 240), "P3": (480, 1440), "P4": (1440, 4320)},
    "growth": {"P1": (60, 120), "P2": (240, 480), "P3": (960, 2880), "P4": (2880, 5760)},
    "standard": {"P1": (120, 240), "P2": (480, 1440), "P3": (1440, 4320), "P4": (4320, 10080)},
}


def sla_for_tier(tier: str) -> dict[str, dict[str, int]]:
    """The SLA block of an account plan for a contract tier."""
    return {
        p: {"first_response_minutes": fr, "update_cadence_minutes": cad}
        for p, (fr, cad) in TIER_SLA[tier].items()
    }


def severity_policy_for_tier(tier: str) -> list[dict[str, Any]]:
    """The severity policy the contract defines (stricter wording for larger tiers)."""
    p1 = "Production down or data loss: label creation, rating or tracking unavailable for all users"
    p2 = "Major function degraded with no reasonable workaround (errors or timeouts on a core endpoint)"
    if tier in ("strategic", "enterprise"):
        p1 += ", or any single warehouse/site unable to ship"
        p2 = "Major function degraded for a subset of users or sites, or any core endpoint error rate above 5%"
    return [
        {"priority": "P1", "definition": p1,
         "keywords": ["outage", "down", "data loss", "cannot ship", "all requests failing"]},
        {"priority": "P2", "definition": p2,
         "keywords": ["degraded", "timeout", "504", "502", "intermittent", "delayed"]},
        {"priority": "P3", "definition": "Minor function impaired, or a workaround exists",
         "keywords": ["workaround", "single user", "report"]},
        {"priority": "P4", "definition": "Question, how-to, feature request or cosmetic issue",
         "keywords": ["question", "how to", "feature request", "documentation"]},
    ]


# --- records the generator works with ----------------------------------------------------


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
class SlackMessage:
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
    messages: list[SlackMessage]
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
class Portfolio:
    accounts: list[AccountSpec]
    tickets: list[TicketSpec]
    incidents: list[IncidentSpec]


# --- our people -----------------------------------------------------------------------------


def _staff(name: str, role: str, title: str) -> Person:
    local = name.lower().replace(" ", ".").replace("'", "")
    return Person(name=name, email=f"{local}@{VENDOR_DOMAIN}", role=role, title=title)


SUPPORT_AGENTS: dict[str, list[Person]] = {
    "eu-west-1": [
        _staff("Sam Okafor", "agent", "Senior Support Engineer"),
        _staff("Lena Fischer", "agent", "Support Engineer"),
        _staff("Ana Costa", "agent", "Support Engineer"),
    ],
    "us-east-1": [
        _staff("Raj Patel", "agent", "Senior Support Engineer"),
        _staff("Jonah Brooks", "agent", "Support Engineer"),
        _staff("Carla Mendes", "agent", "Support Engineer"),
    ],
    "ap-southeast-2": [
        _staff("Mei Lin", "agent", "Senior Support Engineer"),
        _staff("Ethan Cole", "agent", "Support Engineer"),
    ],
}
TAMS = [
    _staff("Priya Shah", "tam", "Technical Account Manager"),
    _staff("Tomas Ferreira", "tam", "Technical Account Manager"),
    _staff("Grace Whitfield", "tam", "Senior Technical Account Manager"),
    _staff("Kofi Mensah", "tam", "Technical Account Manager"),
]
ACCOUNT_EXECS = [
    _staff("Daniel Osei", "ae", "Strategic Account Executive"),
    _staff("Maya Lindqvist", "ae", "Account Executive"),
    _staff("Victor Hale", "ae", "Account Executive"),
]
SRES = [
    _staff("Chris Walker", "sre", "Site Reliability Engineer"),
    _staff("Ines Duarte", "sre", "SRE Lead"),
    _staff("Pavel Novak", "sre", "Site Reliability Engineer"),
]
INCIDENT_COMMANDERS = [
    _staff("Diego Ramos", "manager", "Incident Commander"),
    _staff("Hannah Kim", "manager", "Engineering Manager"),
]
ENG_MANAGERS = [
    _staff("Hannah Kim", "manager", "Engineering Manager"),
    _staff("Marcus Oyelaran", "manager", "Director of Engineering"),
]
SUPPORT_LEADS = [_staff("Ruth Adler", "agent", "Support Team Lead")]
COMPONENT_ENGINEERS: dict[str, Person] = {
    "api-gateway": _staff("Noah Schmidt", "engineer", "Platform Engineer"),
    "auth": _staff("Leila Haddad", "engineer", "Identity Engineer"),
    "sso": _staff("Leila Haddad", "engineer", "Identity Engineer"),
    "label-api": _staff("Oliver Grant", "engineer", "Senior Engineer, Labels"),
    "rates-engine": _staff("Farah Nasser", "engineer", "Senior Engineer, Rates"),
    "tracking-ingest": _staff("Ben Adeyemi", "engineer", "Senior Engineer, Tracking"),
    "webhooks": _staff("Yuki Tanaka", "engineer", "Engineer, Webhooks"),
    "bulk-export": _staff("Ravi Kulkarni", "engineer", "Engineer, Data Export"),
    "reporting": _staff("Sofia Marin", "engineer", "Engineer, Reporting"),
}
PAGERDUTY = Person(name="PagerDuty", email=f"pagerduty@{VENDOR_DOMAIN}", role="bot", title="Alerting bot")


def all_staff() -> list[Person]:
    people: dict[str, Person] = {}
    for group in (
        *SUPPORT_AGENTS.values(), TAMS, ACCOUNT_EXECS, SRES, INCIDENT_COMMANDERS, ENG_MANAGERS,
        SUPPORT_LEADS, list(COMPONENT_ENGINEERS.values()),
    ):
        for p in group:
            people.setdefault(p.name, p)
    return [people[k] for k in sorted(people)]


# --- small helpers ---------------------------------------------------------------------------


def iso_z(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_jira(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def iso_offset(dt: datetime, minutes: int) -> str:
    if minutes == 0:
        return iso_z(dt)
    return dt.astimezone(timezone(timedelta(minutes=minutes))).isoformat(timespec="seconds")


def hm(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%H:%M")


def _sec(dt: datetime) -> datetime:
    return dt.replace(microsecond=0)


def _hex(rng: random.Random, n: int) -> str:
    return format(rng.getrandbits(4 * n), f"0{n}x")


def _minutes(m: float) -> timedelta:
    return timedelta(seconds=int(round(m * 60)))


def _human_minutes(m: int) -> str:
    if m < 120:
        return f"{m} minutes"
    if m % 1440 == 0:
        d = m // 1440
        return "1 business day" if d == 1 else f"{d} days"
    return f"{m // 60} hours"


class _Strict(dict):
    def __missing__(self, key: str) -> str:  # pragma: no cover - authoring error
        raise KeyError(f"template placeholder {{{key}}} has no value")


def fill(template: str, ctx: dict[str, Any]) -> str:
    return template.format_map(_Strict(ctx))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _weighted(rng: random.Random, items: list[Any], weights: Iterable[float]) -> Any:
    return rng.choices(items, weights=list(weights), k=1)[0]


def release_for(day: date, lag: int = 0) -> str:
    idx = 0
    for i, (_, rel) in enumerate(RELEASES):
        if rel <= day:
            idx = i
    return RELEASES[max(0, idx - lag)][0]


def next_release_after(day: date) -> tuple[str, date | None]:
    for name, rel in RELEASES:
        if rel > day:
            return name, rel
    return NEXT_UNRELEASED, None


# --- ticket archetypes ------------------------------------------------------------------------
# Each archetype is one recurring kind of issue on one component. Placeholders are filled from
# the ticket context built by _ticket_context(); {ts}/{req}/{trace} in log lines are per line.


@dataclass(frozen=True)
class Archetype:
    key: str
    component: str
    code: str
    kind: str  # defect | question
    weights: tuple[float, float, float, float]  # P1..P4 affinity
    zd_type: str
    tag: str
    subjects: tuple[str, ...]
    symptoms: tuple[str, ...]
    logs: tuple[str, ...] = ()
    repro: tuple[str, ...] = ()
    impacts: tuple[str, ...] = ()
    workaround: str = ""
    asks: tuple[str, ...] = ()
    internal: tuple[str, ...] = ()
    followups: tuple[str, ...] = ()
    updates: tuple[str, ...] = ()
    causes: tuple[tuple[str, str], ...] = ()


ARCHETYPES: tuple[Archetype, ...] = (
    Archetype(
        key="gw-rate-limit", component="api-gateway", code="E-1001", kind="defect",
        weights=(0.0, 0.35, 0.5, 0.15), zd_type="problem", tag="rate_limit",
        subjects=(
            "Unexpected 429 Too Many Requests (E-1001) on /v5/rates",
            "Rate limiting during the {site} morning wave",
            "HTTP 429 / E-1001 well below our contracted request limit",
        ),
        symptoms=(
            "We're getting HTTP 429 with code E-1001 RATE_LIMITED from the API gateway although our "
            "traffic peaks at about {n} requests/minute, well under the 1,200 rpm in our order form. "
            "It started around {since} UTC and only hits the batch job that runs for the {site}.",
            "Since {since} UTC our rate-shopping batch gets E-1001 (HTTP 429) after roughly 40 seconds "
            "of every minute. X-RateLimit-Remaining drops to 0 and Retry-After is between 10 and 20 s.",
        ),
        logs=(
            "{ts} WARN edge-gw req_id={req} status=429 code=E-1001 key_id=key_{keyfrag} limit=600/min window=60s retry_after=17",
            "{ts} WARN edge-gw req_id={req} status=429 code=E-1001 key_id=key_{keyfrag} limit=600/min window=60s retry_after=9",
        ),
        repro=(
            "Run the rate-shopping batch (about {n} requests/minute from one API key)",
            "Watch X-RateLimit-Remaining drop to 0 after ~40 seconds",
            "Every further request that minute fails with 429 / E-1001",
        ),
        impacts=(
            "About {pct}% of the morning wave falls back to our default carrier, which costs more per parcel.",
            "The batch overruns its window by 20-30 minutes and delays pick lists at the {site}.",
        ),
        workaround="spread the batch across both API keys on the account, or pace requests with jittered "
                   "backoff that honours the Retry-After header (the per-key window resets every 60 seconds)",
        asks=(
            "Could you tell us which API key the batch uses (the key_ prefix only, please never the secret) "
            "and share the X-RateLimit-* headers from one failing response?",
        ),
        internal=(
            "Key key_{keyfrag} is still on the legacy 600 rpm plan in edge-gw config; the contract upgrade to "
            "1,200 rpm never got applied. Checked the config dump on {host_fqdn}.",
            "Traffic shape: {n} requests in the first 40 s of each minute. Token bucket refills per 60 s window "
            "so they drain it immediately. Not a gateway fault as such.",
        ),
        followups=(
            "Headers from a failing call: X-RateLimit-Limit: 600, X-RateLimit-Remaining: 0, Retry-After: 17. "
            "Key prefix key_{keyfrag}, req_id={req2}.",
            "We added backoff in the batch but still saw 429s at {ts2}.",
        ),
        updates=(
            "We found that this key is still on the older 600 requests/minute limit rather than the 1,200 in "
            "your order form. We're correcting the limit; no change is needed on your side.",
            "The limit on key_{keyfrag} now shows 1,200 rpm. Please let us know if you still see E-1001 on the "
            "next batch run.",
        ),
        causes=(
            ("the per-key limit for key_{keyfrag} was still the legacy 600 rpm plan; the contract upgrade had not "
             "been applied to the gateway configuration",
             "limit corrected to 1,200 rpm and plan changes are now audited against gateway config weekly"),
            ("the batch sends its requests in a burst at the start of each minute and exhausts the per-key token "
             "bucket within 40 seconds",
             "your team added jittered pacing to the batch; no product change was required"),
        ),
    ),
    Archetype(
        key="gw-bad-gateway", component="api-gateway", code="E-1007", kind="defect",
        weights=(0.25, 0.45, 0.25, 0.05), zd_type="incident", tag="gateway_5xx",
        subjects=(
            "Intermittent 502 Bad Gateway (E-1007) from api.parcelstream.example",
            "Random 502/504 errors across endpoints in {region}",
            "Spike of E-1007 responses since {since} UTC",
        ),
        symptoms=(
            "Roughly 1 in {n2} calls to the API in {region} returns HTTP 502 with error code E-1007 BAD_GATEWAY. "
            "It is not tied to one endpoint: labels, rates and trackers are all affected. Retrying the same "
            "request usually works.",
            "Since {since} UTC we see bursts of 502 (E-1007) and a few 504 (E-1003 UPSTREAM_TIMEOUT) from the "
            "gateway in {region}. Our own infrastructure is healthy and the errors carry your request IDs.",
        ),
        logs=(
            "{ts} ERROR edge-gw req_id={req} trace_id={trace} status=502 code=E-1007 upstream=label-svc upstream_status=connection_reset",
            "{ts} ERROR edge-gw req_id={req} trace_id={trace} status=504 code=E-1003 upstream=rates-svc upstream timeout after 30000ms",
        ),
        repro=(
            "Send a steady stream of requests to any /v5 endpoint in {region} (we use about {n} rpm)",
            "Within 10-15 minutes a handful of requests return 502 / E-1007",
            "The same request body succeeds on retry",
        ),
        impacts=(
            "Our retries hide most of it, but about {pct}% of label requests at the {site} need manual reprints.",
            "Peak-hour order processing slows down and our on-call is paged several times a night.",
        ),
        workaround="retry idempotent calls (send an Idempotency-Key header on POST requests) with exponential "
                   "backoff; retries land on a healthy gateway node",
        asks=(
            "Could you share a few failing request IDs with timestamps (UTC) so we can trace them through the "
            "gateway?",
            "Do the failures cluster at particular times, and are you connecting through a fixed egress IP?",
        ),
        internal=(
            "All failing req_ids in this ticket went through {host_fqdn}. That node still has the pre-deploy "
            "upstream pool; looks like the last deploy failed halfway on it.",
            "Gateway 5xx by node in {region}: one node at 14%, the rest under 0.1%. Asked SRE to drain it.",
        ),
        followups=(
            "More examples: req_id={req2} at {ts2}, req_id={req3} a minute later. Both 502.",
            "It happened again overnight, about 40 errors between 02:00 and 02:20 UTC.",
        ),
        updates=(
            "We traced your request IDs to a single gateway node in {region} that was routing a share of traffic "
            "to a drained backend. That node has been removed from rotation and error rates are back to normal.",
            "Error rates for your account have been at baseline since the node was replaced. We're keeping an "
            "eye on it before we close this out.",
        ),
        causes=(
            ("one gateway node in {region} kept a stale upstream pool after a partially failed deploy and routed "
             "about 1 in 6 requests to a drained backend",
             "the node was replaced and the deploy health check now verifies upstream pools before taking traffic"),
            ("a keep-alive timeout mismatch between the gateway (75 s) and label-svc (60 s) caused connection "
             "resets on reused connections",
             "{fix_ref} aligned the timeouts so the gateway closes idle connections first"),
        ),
    ),
    Archetype(
        key="auth-token-expired", component="auth", code="E-2001", kind="defect",
        weights=(0.05, 0.3, 0.5, 0.15), zd_type="problem", tag="oauth",
        subjects=(
            "OAuth access tokens rejected with 401 E-2001 before they expire",
            "401 TOKEN_EXPIRED on freshly issued tokens",
            "Sporadic 401 Unauthorized (E-2001) from the API",
        ),
        symptoms=(
            "Our integration requests a token from POST /v5/oauth/token and caches it for the expires_in it "
            "returns, but calls start failing with 401 E-2001 TOKEN_EXPIRED well before that. It started "
            "after we upgraded to {version}.",
            "About {pct}% of our calls fail with HTTP 401 and E-2001 even though the token was issued minutes "
            "earlier. The failures come in bursts every hour.",
        ),
        logs=(
            "{ts} WARN auth-svc req_id={req} status=401 code=E-2001 client_id=cli_{keyfrag} token_age_s=1812 reason=token_expired",
            "{ts} WARN edge-gw req_id={req} trace_id={trace} status=401 code=E-2001 path=/v5/labels",
        ),
        repro=(
            "Request a token with the client-credentials grant",
            "Cache it for the returned expires_in (3600 s)",
            "After ~30 minutes calls fail with 401 / E-2001",
        ),
        impacts=(
            "Each burst stops label creation for a couple of minutes until our client refreshes the token.",
            "The {site} sees failed label prints several times per shift.",
        ),
        workaround="refresh the token when it is older than 25 minutes, or retry once with a fresh token on "
                   "a 401 E-2001 response",
        asks=(
            "Can you check the expires_in value your client receives, and the clock offset on the host that "
            "caches the token?",
        ),
        internal=(
            "auth-svc logs show token_age_s around 1800 on every rejection. Token TTL for this client was "
            "lowered to 1800 s by the {version} policy migration but the token response still says 3600.",
            "Clock skew check: customer hosts are fine (<1 s). It's our side: expires_in vs actual TTL mismatch.",
        ),
        followups=(
            "expires_in is 3600 in every token response we log. Host clocks are NTP-synced, offset under 50 ms.",
            "Another burst at {ts2}, req_id={req2}.",
        ),
        updates=(
            "We confirmed the token lifetime enforced for your client is 30 minutes while the token response "
            "still advertises 60. Engineering is correcting the response; refreshing at 25 minutes avoids the "
            "errors in the meantime.",
            "The token response now reports the real lifetime. Please let us know if the 401 bursts stop on "
            "your side.",
        ),
        causes=(
            ("the {version} policy migration shortened the enforced token lifetime to 1,800 s for some clients "
             "while the token response still reported expires_in=3600",
             "{fix_ref} made the token response report the enforced lifetime"),
            ("the token cache on the integration host was shared between two client IDs, so tokens for one "
             "client were presented for the other",
             "your team split the cache per client ID; no product change needed"),
        ),
    ),
    Archetype(
        key="auth-key-revoked", component="auth", code="E-2010", kind="defect",
        weights=(0.15, 0.45, 0.3, 0.1), zd_type="incident", tag="api_key",
        subjects=(
            "API key suddenly returns 401 E-2010 KEY_REVOKED",
            "Production API key stopped working",
        ),
        symptoms=(
            "Our production API key key_{keyfrag} started returning HTTP 401 with E-2010 KEY_REVOKED at "
            "{since} UTC. Nobody on our side revoked it and the dashboard shows it as active.",
            "All calls from our production integration fail with E-2010 since {since} UTC. The key is listed "
            "as active in the portal.",
        ),
        logs=(
            "{ts} WARN auth-svc req_id={req} status=401 code=E-2010 key_id=key_{keyfrag} reason=revoked_by=secret-scanner",
        ),
        repro=(
            "Call any endpoint with key key_{keyfrag}",
            "Receive 401 / E-2010",
        ),
        impacts=(
            "No labels can be created from our production integration; we are printing from the portal by hand.",
        ),
        workaround="create a new key in the portal (Settings > API keys) and deploy it; revoked keys cannot be "
                   "re-activated",
        asks=(
            "Has the key been committed to a repository or shared in a public place recently? Our leaked-secret "
            "scanner revokes keys it finds in public sources.",
        ),
        internal=(
            "secret-scanner revoked key_{keyfrag} after finding it in a public code-hosting repo. Portal status "
            "page caches key state for 24 h, hence 'active'. Known bug {eng_ticket}.",
        ),
        followups=(
            "We found it: a contractor pushed a test script with the key to a public repository. It has been "
            "removed. We've rotated to a new key.",
        ),
        updates=(
            "Our leaked-secret scanner revoked this key after finding it in a public repository. Please rotate to "
            "a new key; we're also fixing the portal so revoked keys show as revoked immediately.",
        ),
        causes=(
            ("the key was published in a public code repository and was revoked automatically by the "
             "leaked-secret scanner; the portal showed a cached 'active' status",
             "the key was rotated by your team and the portal now reads key status live"),
        ),
    ),
    Archetype(
        key="sso-saml", component="sso", code="E-2101", kind="defect",
        weights=(0.05, 0.35, 0.45, 0.15), zd_type="problem", tag="saml",
        subjects=(
            "SSO login fails with E-2101 SAML_ASSERTION_INVALID",
            "Users cannot sign in to the dashboard via SSO",
            "SAML login broken after IdP certificate rotation",
        ),
        symptoms=(
            "Since {since} UTC our users get 'Sign-in failed (E-2101)' when logging into the Parcelstream "
            "dashboard through SSO. Password login for the break-glass admin still works.",
            "SSO fails for about {pct}% of our users with E-2101 SAML_ASSERTION_INVALID; others are fine. We "
            "rotated our IdP signing certificate this week.",
        ),
        logs=(
            "{ts} WARN sso-svc req_id={req} code=E-2101 reason=signature_invalid issuer=https://idp.{domain}/saml cert_fingerprint=sha256:{keyfrag}",
            "{ts} WARN sso-svc req_id={req} code=E-2105 reason=clock_skew not_before_delta_s=212",
        ),
        repro=(
            "Open https://dashboard.parcelstream.example and choose 'Sign in with SSO'",
            "Authenticate at the IdP",
            "The callback to /sso/saml/acs shows 'Sign-in failed (E-2101)'",
        ),
        impacts=(
            "Our {site} supervisors cannot reach the dashboard to reprint labels or check exceptions.",
            "About {n2} users are locked out of the dashboard.",
        ),
        workaround="upload the new IdP signing certificate under Settings > SSO (both certificates can be active "
                   "during the rollover); the break-glass admin login still works",
        asks=(
            "Could you send the SAML response from a failed login (a HAR file is ideal, with passwords removed) "
            "and confirm whether the IdP certificate changed recently?",
        ),
        internal=(
            "sso-svc sees signature_invalid: the assertion is signed with a cert whose fingerprint isn't in their "
            "SSO config. They uploaded the new cert to the wrong environment (sandbox).",
            "Some failures are E-2105 clock skew: their IdP node is 3.5 min ahead. Our allowed skew is 180 s.",
        ),
        followups=(
            "HAR attached (passwords removed). The IdP certificate was rotated on the {n2}th as part of our "
            "yearly renewal.",
            "Our identity team says the IdP node clocks are synced, we'll double-check.",
        ),
        updates=(
            "The assertions are signed with a certificate that isn't in your production SSO configuration; it "
            "appears to have been uploaded to the sandbox environment. Adding it to production will fix the "
            "E-2101 errors.",
            "Once the production configuration has the right certificate, sign-ins work immediately; please let "
            "us know if any user still sees an error after that.",
        ),
        causes=(
            ("the rotated IdP signing certificate was uploaded to the sandbox SSO configuration instead of "
             "production, so production rejected the signature",
             "the certificate was added to production; the SSO settings page now warns when a cert is close to expiry"),
            ("one IdP node's clock drifted 212 s ahead, beyond the 180 s skew allowance (E-2105)",
             "your identity team re-synced NTP on the node"),
        ),
    ),
    Archetype(
        key="sso-scim", component="sso", code="E-2110", kind="defect",
        weights=(0.0, 0.15, 0.55, 0.3), zd_type="problem", tag="scim",
        subjects=(
            "SCIM provisioning does not deactivate leavers (E-2110)",
            "SCIM sync errors for user deprovisioning",
        ),
        symptoms=(
            "Users we deactivate in our directory stay active in Parcelstream. The SCIM log in the dashboard "
            "shows E-2110 SCIM_SYNC_FAILED for PATCH requests since {since} UTC.",
        ),
        logs=(
            "{ts} WARN sso-svc req_id={req} code=E-2110 op=PATCH path=/scim/v2/Users status=400 detail=\"active: expected boolean\"",
        ),
        repro=(
            "Deactivate a user in the directory",
            "The directory sends PATCH /scim/v2/Users/<id> with active set to \"False\"",
            "Parcelstream answers 400 and the user stays active",
        ),
        impacts=(
            "Leavers keep dashboard access, which our security team flags as an audit finding.",
        ),
        workaround="deactivate leavers manually under Settings > Users until the sync is fixed",
        asks=(
            "Could you export the failing SCIM requests from your directory's provisioning log (user names can "
            "be redacted)?",
        ),
        internal=(
            "Their directory sends active as the string \"False\". Our SCIM parser became strict in {version}. "
            "Filed {eng_ticket} to accept string booleans as before.",
        ),
        followups=(
            "Provisioning log export attached, {n2} failures this week.",
        ),
        updates=(
            "The directory sends the active flag as a string, which the stricter SCIM parser introduced in "
            "{version} rejects. Engineering is restoring the previous, lenient behaviour.",
        ),
        causes=(
            ("the SCIM parser in {version} rejected string booleans (\"False\") that the previous version accepted",
             "{fix_ref} accepts string booleans again"),
        ),
    ),
    Archetype(
        key="label-carrier-timeout", component="label-api", code="E-3002", kind="defect",
        weights=(0.3, 0.45, 0.2, 0.05), zd_type="incident", tag="label_timeout",
        subjects=(
            "Label API returning 504 (E-3002) for {carrier} shipments",
            "Intermittent 504 Gateway Timeout on POST /v5/labels",
            "Label creation timing out in {region} since {since} UTC",
        ),
        symptoms=(
            "Since about {since} UTC we're getting HTTP 504 with error code E-3002 CARRIER_TIMEOUT from POST "
            "/v5/labels for {carrier} shipments. Roughly {pct}% of label requests in {region} fail; most succeed "
            "after one or two retries.",
            "Label creation for {carrier} ({service}) takes 30 seconds and then fails with 504 / E-3002. Other "
            "carriers are fine.",
        ),
        logs=(
            "{ts} ERROR label-svc req_id={req} trace_id={trace} status=504 code=E-3002 carrier={carrier_slug} upstream timeout after 30000ms",
            "{ts} ERROR label-svc req_id={req} trace_id={trace} status=504 code=E-3002 carrier={carrier_slug} upstream timeout after 30000ms",
            "{ts} WARN label-svc req_id={req} carrier={carrier_slug} retry=1 latency_ms=29874",
        ),
        repro=(
            "Call POST /v5/labels with a {carrier} {service} shipment",
            "Use a parcel over 2 kg going to a residential address",
            "The request hangs for ~30 s and returns 504 / E-3002",
        ),
        impacts=(
            "Our {site} cannot print labels for {carrier}; about {n} parcels an hour are queuing.",
            "Late trucks: the {carrier} collection at the {site} leaves at 17:00 and we're missing it.",
        ),
        workaround="retry with the same Idempotency-Key (it cannot create duplicate labels), or route urgent "
                   "parcels through the fallback carrier account",
        asks=(
            "Could you send two or three failing request IDs with the approximate times (UTC)?",
            "Is this limited to {carrier}, or do you see E-3002 for other carriers as well?",
        ),
        internal=(
            "label-svc p99 in {region} at 28 s for {carrier_slug}; carrier connector pool on {host_fqdn} "
            "saturated. Pulling in the labels on-call.",
            "{carrier} sandbox status page shows degraded API latency in the same window. Partly upstream, but our "
            "connector timeout (30 s) and pool size make it worse. {codename} redesign addresses this - do not "
            "mention {codename} to the customer.",
        ),
        followups=(
            "Another one just now: req_id={req2} at {ts2}. We've switched urgent parcels to our fallback carrier.",
            "Still failing for about a third of {carrier} requests. Can this be prioritised? The {site} is behind.",
        ),
        updates=(
            "We've confirmed elevated carrier-connector latency for {carrier} in {region}; engineering has "
            "increased connector capacity and is working with the carrier on the upstream latency.",
            "Error rates for {carrier} labels have dropped back to normal levels over the last hour. We're "
            "monitoring before closing.",
        ),
        causes=(
            ("the {carrier} connector's HTTP connection pool was too small for peak volume, so requests queued "
             "until the 30 s upstream timeout",
             "connection pool capacity was raised and {fix_ref} adds an alert on pool saturation"),
            ("{carrier}'s label API was degraded upstream for several hours; our connector waited the full 30 s "
             "timeout instead of failing fast",
             "the connector now fails fast after 10 s and reports E-3002 with the carrier's status"),
        ),
    ),
    Archetype(
        key="label-render", component="label-api", code="E-3005", kind="defect",
        weights=(0.05, 0.35, 0.45, 0.15), zd_type="problem", tag="label_render",
        subjects=(
            "E-3005 LABEL_RENDER_FAILED for international shipments",
            "ZPL labels fail to render when customs lines exceed 20",
            "500 error (E-3005) creating commercial-invoice labels",
        ),
        symptoms=(
            "Labels for international {carrier} shipments with many customs lines fail with HTTP 500 and "
            "E-3005 LABEL_RENDER_FAILED. Domestic shipments are fine.",
            "Since we moved to {version}, ZPL label creation fails (E-3005) whenever a shipment has more than "
            "20 customs items. PDF format works.",
        ),
        logs=(
            "{ts} ERROR label-svc req_id={req} trace_id={trace} status=500 code=E-3005 format=zpl customs_lines=23 error=\"template overflow: page 1\"",
        ),
        repro=(
            "Create an international shipment with 21 or more customs_items",
            "Request label_format=zpl",
            "Receive 500 / E-3005",
        ),
        impacts=(
            "Our {site} ships multi-item B2B orders abroad and has to print those labels as PDF on a different printer.",
        ),
        workaround="request label_format=pdf for shipments with more than 20 customs lines",
        asks=(
            "Could you share a request ID and the shipment payload (customs values can be masked)?",
        ),
        internal=(
            "ZPL template has a fixed-height customs block; overflow throws. Reproduced on staging {version}. "
            "{eng_ticket}. {codename} templates paginate properly but that's not shippable yet.",
        ),
        followups=(
            "Payload attached for req_id={req2} (values masked). 23 customs lines.",
        ),
        updates=(
            "We reproduced the failure: the ZPL template doesn't paginate the customs block beyond 20 lines. "
            "Engineering is adding pagination; PDF labels are unaffected in the meantime.",
        ),
        causes=(
            ("the ZPL label template had a fixed-height customs block that overflowed above 20 customs lines",
             "{fix_ref} paginates the customs block onto a continuation label"),
        ),
    ),
    Archetype(
        key="label-address", component="label-api", code="E-3011", kind="defect",
        weights=(0.0, 0.15, 0.55, 0.3), zd_type="problem", tag="address_validation",
        subjects=(
            "Address validation rejects valid apartment addresses (E-3011)",
            "E-3011 ADDRESS_INVALID for addresses with unit numbers",
        ),
        symptoms=(
            "Address validation rejects valid addresses that include an apartment or unit number in "
            "address_line2 with HTTP 422 and E-3011. The same addresses validated fine last month.",
        ),
        logs=(
            "{ts} INFO label-svc req_id={req} status=422 code=E-3011 field=address_line2 reason=unrecognised_secondary_unit",
        ),
        repro=(
            "Validate an address with address_line2 such as 'Unit 4B'",
            "Receive 422 / E-3011",
        ),
        impacts=(
            "Roughly {n2} orders a day need manual address correction by our customer-service team.",
        ),
        workaround="pass the unit in address_line1 (e.g. '4B/12 Harbour Street') or set validation=relaxed",
        asks=(
            "Could you send a few example addresses (with the name and phone removed)?",
        ),
        internal=(
            "Address provider update on our side changed secondary-unit parsing. Raised with the provider and "
            "{eng_ticket}.",
        ),
        followups=(
            "Examples: 'Unit 4B', 'Apt 12', 'Suite 300'. All rejected since the {n2}th.",
        ),
        updates=(
            "A data update from our address-data provider changed how unit numbers are parsed. We've raised it "
            "with them and added a rule on our side to accept the common unit formats.",
        ),
        causes=(
            ("an address-data provider update changed how secondary units in address_line2 are parsed",
             "a parsing rule for unit/apartment/suite prefixes was deployed"),
        ),
    ),
    Archetype(
        key="rates-timeout", component="rates-engine", code="E-3507", kind="defect",
        weights=(0.1, 0.45, 0.35, 0.1), zd_type="incident", tag="rates_latency",
        subjects=(
            "Rate quotes slow and timing out (E-3507) in {region}",
            "POST /v5/rates p95 above 8 seconds",
            "E-3507 QUOTE_TIMEOUT during checkout",
        ),
        symptoms=(
            "Rate quotes that normally return in under a second take 6-10 seconds since {since} UTC, and about "
            "{pct}% time out with HTTP 504 / E-3507 QUOTE_TIMEOUT. Our checkout shows 'shipping unavailable'.",
            "Checkout rate requests intermittently fail with E-3507 in {region}; p95 latency went from ~700 ms "
            "to over 8 s.",
        ),
        logs=(
            "{ts} ERROR rates-svc req_id={req} trace_id={trace} status=504 code=E-3507 carriers=5 slowest={carrier_slug} latency_ms=10012",
            "{ts} WARN rates-svc req_id={req} cache=miss rate_card={carrier_slug}-2026 latency_ms=7421",
        ),
        repro=(
            "Request rates for a 1 kg parcel with all carriers enabled",
            "Repeat a few times per minute",
            "Observe 6-10 s responses and occasional 504 / E-3507",
        ),
        impacts=(
            "Checkout conversion drops when shipping options don't load; our e-commerce team estimates {pct}% "
            "fewer completed orders during the slow periods.",
        ),
        workaround="request rates with carriers= limited to the two or three carriers you actually offer, which "
                   "avoids the slowest lookups",
        asks=(
            "Could you send a few slow request IDs and the list of carriers you request rates for?",
        ),
        internal=(
            "rates-cache hit ratio in {region} dropped from 94% to 51%; {host_fqdn} evicting hot rate cards. "
            "{codename} (rates v2) would remove the per-carrier fan-out - internal only.",
            "Slowest leg is always {carrier_slug}; their rate API is fine from us-east-1 tests. Pointing at our cache.",
        ),
        followups=(
            "Slow examples: req_id={req2} ({ts2}), 8.9 s. We request all 5 carriers.",
            "It's better this morning but we still see spikes around our lunchtime peak.",
        ),
        updates=(
            "Our rate cache in {region} was evicting frequently used rate cards, forcing slow live lookups. "
            "We've added cache capacity and latency is back under one second at p95.",
            "Latency has stayed normal through your peak today. We'll keep monitoring for another day.",
        ),
        causes=(
            ("the rate-card cache in {region} was undersized after a growth in carrier rate cards and evicted hot "
             "entries, forcing slow live lookups",
             "cache capacity was increased and an alert on hit ratio below 85% was added"),
            ("a {carrier} rate-card refresh job ran during business hours and invalidated the whole cache at once",
             "the refresh now warms the new rate card before swapping it in"),
        ),
    ),
    Archetype(
        key="rates-stale", component="rates-engine", code="E-3501", kind="defect",
        weights=(0.0, 0.2, 0.55, 0.25), zd_type="problem", tag="rate_card",
        subjects=(
            "Rate quotes don't include the new {carrier} fuel surcharge",
            "E-3501 RATE_QUOTE_STALE warnings on quotes",
        ),
        symptoms=(
            "Quotes for {carrier} still use last month's fuel surcharge; the invoice we received charges more. "
            "Some responses carry the warning E-3501 RATE_QUOTE_STALE.",
        ),
        logs=(
            "{ts} WARN rates-svc req_id={req} code=E-3501 carrier={carrier_slug} rate_card_version=2026-{n2} age_h=212",
        ),
        repro=(
            "Request a {carrier} quote",
            "Compare fuel_surcharge with the carrier's published surcharge for this month",
        ),
        impacts=(
            "We under-charge our own customers for shipping by a few percent until the rates are fixed.",
        ),
        workaround="none needed for label creation; invoiced amounts follow the carrier's actual surcharge",
        asks=(
            "Which service levels are affected, and from which date does the carrier's new surcharge apply?",
        ),
        internal=(
            "rate-card import for {carrier_slug} failed on schema change (new surcharge column). Importer alert "
            "went to a muted channel. {eng_ticket}.",
        ),
        followups=(
            "All {carrier} services, effective the 1st of this month according to their notice.",
        ),
        updates=(
            "The import of {carrier}'s new rate card failed because the carrier changed the file layout. We've "
            "fixed the import and quotes now use the current surcharge.",
        ),
        causes=(
            ("the monthly {carrier} rate-card import failed after the carrier changed its file layout, and the "
             "importer alert went unnoticed",
             "the importer was updated and its alert now pages the rates on-call"),
        ),
    ),
    Archetype(
        key="tracking-lag", component="tracking-ingest", code="E-5009", kind="defect",
        weights=(0.15, 0.45, 0.3, 0.1), zd_type="incident", tag="tracking_delay",
        subjects=(
            "Tracking events delayed by hours for {carrier}",
            "E-5009 EVENT_LAG: trackers not updating",
            "No {carrier} scan events since {since} UTC",
        ),
        symptoms=(
            "Tracking events for {carrier} shipments are arriving {n2}+ hours late since {since} UTC. Trackers "
            "show E-5009 EVENT_LAG in the dashboard and our customers are calling about missing updates.",
            "Our tracking page shows no {carrier} scans since {since} UTC although parcels are clearly moving "
            "(drivers are delivering).",
        ),
        logs=(
            "{ts} WARN track-ingest code=E-5009 carrier={carrier_slug} partition=7 consumer_lag=184233 oldest_event_age_s=15840",
            "{ts} INFO track-ingest req_id={req} GET /v5/trackers/trk_{keyfrag}/events last_event_at=stale",
        ),
        repro=(
            "Open any {carrier} tracker created after {since} UTC",
            "Compare its last event with the carrier's own tracking site",
        ),
        impacts=(
            "Our customer-service team received about {n} 'where is my order' contacts today.",
        ),
        workaround="none on your side; events are queued, not lost, and will arrive once the backlog drains",
        asks=(
            "Could you send a few tracker IDs that are behind so we can follow them through ingestion?",
        ),
        internal=(
            "Partition 7 of tracking-events stuck behind a poison message from {carrier_slug} (malformed "
            "timestamp). Consumer {host_fqdn} retrying it forever.",
            "Backlog draining at ~2k events/s after the skip-and-park fix; ETA about 90 min.",
        ),
        followups=(
            "Tracker IDs: trk_{keyfrag}, trk_{trk2}. Both show last scan yesterday.",
        ),
        updates=(
            "A malformed event from {carrier} blocked one of our ingestion partitions. We've moved the bad event "
            "aside and the backlog is processing; your trackers will catch up over the next couple of hours.",
            "The backlog is fully processed and {carrier} events are arriving within normal latency again.",
        ),
        causes=(
            ("a malformed {carrier} event with an invalid timestamp blocked one ingestion partition, because the "
             "consumer retried it indefinitely instead of parking it",
             "the consumer now parks unparseable events in a dead-letter queue after 3 attempts"),
        ),
    ),
    Archetype(
        key="tracking-dupes", component="tracking-ingest", code="E-5012", kind="defect",
        weights=(0.0, 0.15, 0.55, 0.3), zd_type="problem", tag="duplicate_events",
        subjects=(
            "Duplicate 'delivered' tracking events",
            "Customers receive two delivery notifications (E-5012)",
        ),
        symptoms=(
            "Some {carrier} trackers receive the same 'delivered' event twice, a few minutes apart, so our "
            "customers get two delivery e-mails. The second event carries warning E-5012 DUPLICATE_EVENT.",
        ),
        logs=(
            "{ts} INFO track-ingest carrier={carrier_slug} tracker=trk_{keyfrag} status=delivered dedupe=miss code=E-5012",
        ),
        repro=(
            "Subscribe to tracker.updated webhooks",
            "Watch {carrier} deliveries; about 1 in {n2} produce two delivered events",
        ),
        impacts=(
            "Duplicate notifications generate complaints and unsubscribes.",
        ),
        workaround="de-duplicate on (tracker_id, status, carrier_event_id) in your webhook consumer",
        asks=(
            "Could you share two or three affected tracker IDs?",
        ),
        internal=(
            "{carrier_slug} resends events with a new sequence number but the same event id; our dedupe keys on "
            "sequence. {eng_ticket}.",
        ),
        followups=(
            "Affected: trk_{keyfrag} and trk_{trk2}.",
        ),
        updates=(
            "{carrier} re-sends some events with a new sequence number; our de-duplication keyed on the sequence "
            "and let them through. We're changing it to use the carrier's event id.",
        ),
        causes=(
            ("{carrier} re-sent events with new sequence numbers and de-duplication keyed on the sequence rather "
             "than the carrier event id",
             "{fix_ref} de-duplicates on the carrier event id"),
        ),
    ),
    Archetype(
        key="webhook-signature", component="webhooks", code="E-6001", kind="defect",
        weights=(0.05, 0.35, 0.45, 0.15), zd_type="problem", tag="webhook_signature",
        subjects=(
            "Webhook signature verification fails after secret rotation",
            "E-6001 SIGNATURE_MISMATCH on webhook deliveries",
        ),
        symptoms=(
            "After rotating the webhook signing secret, our endpoint rejects every delivery because the "
            "Parcelstream-Signature header doesn't match. The delivery log shows E-6001 SIGNATURE_MISMATCH "
            "reported back by our endpoint.",
        ),
        logs=(
            "{ts} WARN webhook-dispatcher delivery_id=whd_{lineid} endpoint={webhook_url} status=401 code=E-6001 attempt=3",
        ),
        repro=(
            "Rotate the signing secret in Settings > Webhooks",
            "Deploy the new secret to the receiving endpoint",
            "Deliveries still fail verification for ~15 minutes",
        ),
        impacts=(
            "Tracking updates to our order system stop until deliveries are retried.",
        ),
        workaround="verify against both the old and new secret during the 24-hour rotation overlap (the header "
                   "carries one signature per active secret)",
        asks=(
            "Does your verifier check all v1= signatures in the header, or only the first?",
        ),
        internal=(
            "During rotation we sign with old and new secret; customer verifier only checks the first v1= "
            "value, which is the old secret. Docs are unclear.",
        ),
        followups=(
            "Our verifier only checked the first signature. Fixed on our side, thanks.",
        ),
        updates=(
            "During the rotation window each delivery is signed with both the old and the new secret. Your "
            "verifier checks only the first signature; checking all v1= values fixes it.",
        ),
        causes=(
            ("the receiving endpoint verified only the first signature in the header, which during the rotation "
             "overlap is the old secret's",
             "your team updated the verifier; we clarified the rotation section of the webhook documentation"),
        ),
    ),
    Archetype(
        key="webhook-retry", component="webhooks", code="E-6004", kind="defect",
        weights=(0.1, 0.4, 0.4, 0.1), zd_type="incident", tag="webhook_delivery",
        subjects=(
            "Webhook endpoint disabled after E-6004 retries exhausted",
            "Webhook endpoint disabled (E-6004) after E-6008 timeouts",
            "We stopped receiving tracker.updated webhooks",
        ),
        symptoms=(
            "We stopped receiving tracker.updated webhooks at {since} UTC. The dashboard says the endpoint was "
            "disabled after E-6004 DELIVERY_RETRY_EXHAUSTED. Our endpoint was briefly down for a deploy but has "
            "been up since.",
            "Our webhook endpoint {webhook_url} was disabled at {since} UTC with E-6004 DELIVERY_RETRY_EXHAUSTED. "
            "Before that, deliveries failed with E-6008 ENDPOINT_TIMEOUT although our endpoint answers in under "
            "200 ms.",
        ),
        logs=(
            "{ts} WARN webhook-dispatcher delivery_id=whd_{lineid} endpoint={webhook_url} code=E-6008 timeout_ms=10000 attempt=5",
            "{ts} ERROR webhook-dispatcher endpoint={webhook_url} code=E-6004 attempts=12 action=endpoint_disabled",
        ),
        repro=(
            "Make the endpoint unavailable for about 30 minutes",
            "Bring it back",
            "The endpoint stays disabled and no deliveries resume",
        ),
        impacts=(
            "Order status in our storefront is stale; customer-service contacts up by {pct}%.",
        ),
        workaround="re-enable the endpoint under Settings > Webhooks and use 'Replay failed deliveries' for the "
                   "affected window",
        asks=(
            "Could you confirm the window when your endpoint was unavailable and whether it returned 5xx or timed out?",
        ),
        internal=(
            "Retry schedule compressed to 12 attempts in 35 min by the {version} dispatcher config, previous was "
            "24 h. {eng_ticket}.",
            "Dispatcher {host_fqdn} shows TLS handshake to customer endpoint at 9.8 s from {region}; their WAF "
            "may be challenging our egress IPs.",
        ),
        followups=(
            "Endpoint was down from about {since} to 40 minutes later for a database migration, returning 503.",
        ),
        updates=(
            "The endpoint was disabled after 12 failed attempts. We've re-enabled it and replayed the missed "
            "deliveries; engineering is restoring the longer retry schedule.",
        ),
        causes=(
            ("the {version} dispatcher configuration compressed the retry schedule to 35 minutes, so a 40-minute "
             "endpoint outage disabled the endpoint",
             "{fix_ref} restored the 24-hour retry schedule"),
            ("the receiving side's web application firewall challenged our new egress IPs, delaying TLS handshakes "
             "beyond the 10 s delivery timeout",
             "your team allow-listed the published egress ranges"),
        ),
    ),
    Archetype(
        key="export-cursor", component="bulk-export", code="E-4012", kind="defect",
        weights=(0.05, 0.45, 0.4, 0.1), zd_type="problem", tag="export_cursor",
        subjects=(
            "Scheduled export fails with E-4012 EXPORT_CURSOR_EXPIRED",
            "Nightly shipment export stalls and fails (E-4012)",
            "Bulk export job fails after ~30 minutes",
        ),
        symptoms=(
            "Our nightly shipments export (job {job}) runs for about 30 minutes and then fails with E-4012 "
            "EXPORT_CURSOR_EXPIRED. Smaller date ranges work. The export is roughly {rows} rows.",
            "Exports over a few million rows fail with E-4012 since {since} UTC; our finance reconciliation "
            "depends on this file.",
        ),
        logs=(
            "{ts} ERROR export-svc job_id={job} req_id={req} code=E-4012 cursor_age_s=1802 rows_written=2140000 status=failed",
            "{ts} WARN export-svc job_id={job} page=4280 latency_ms=912",
        ),
        repro=(
            "Create an export of shipments for a 90-day range (several million rows)",
            "Let it run; after ~30 min it fails with E-4012",
        ),
        impacts=(
            "Finance can't reconcile carrier invoices for the month without this file.",
        ),
        workaround="split the export into 7-day ranges, or use page_size=5000 so each page is fetched well "
                   "within the cursor lifetime",
        asks=(
            "Could you send the job ID and the filter you use, so we can replay it internally?",
        ),
        internal=(
            "Cursor TTL is 30 min since export-svc {version}; job {job} needs ~48 min at the default page size. "
            "{codename} streaming export fixes this class of issue - internal.",
        ),
        followups=(
            "Job {job}, filter created_at last 90 days, default page size.",
        ),
        updates=(
            "Export cursors expire after 30 minutes, and at the default page size this export needs about 48. "
            "Engineering is extending the cursor lifetime; splitting the range works in the meantime.",
        ),
        causes=(
            ("export cursors expire after 30 minutes while large exports at the default page size need longer",
             "{fix_ref} renews the cursor while the job is making progress"),
        ),
    ),
    Archetype(
        key="export-s3", component="bulk-export", code="E-4031", kind="defect",
        weights=(0.0, 0.3, 0.5, 0.2), zd_type="problem", tag="export_delivery",
        subjects=(
            "Export delivery to S3 fails with E-4031 S3_ACCESS_DENIED",
            "Bulk export files not arriving in our bucket",
        ),
        symptoms=(
            "Export job {job} completes but delivery to our S3 bucket fails with E-4031 S3_ACCESS_DENIED since "
            "{since} UTC. We haven't changed the bucket policy as far as we know.",
        ),
        logs=(
            "{ts} ERROR export-svc job_id={job} code=E-4031 dest=s3://exports-{keyfrag}/parcelstream/ error=AccessDenied",
        ),
        repro=(
            "Run any export with S3 delivery configured",
            "Job finishes, delivery step fails with E-4031",
        ),
        impacts=(
            "Our data warehouse load for shipments is missing since {since} UTC.",
        ),
        workaround="download the export from the dashboard (Exports > job > Download) until delivery works",
        asks=(
            "Could you check the bucket policy for the Parcelstream role ARN shown under Settings > Exports, "
            "including any KMS key policy?",
        ),
        internal=(
            "Delivery role assumed fine; PutObject denied. Bucket moved to SSE-KMS with a customer key, our role "
            "lacks kms:GenerateDataKey.",
        ),
        followups=(
            "Our cloud team switched the bucket to a KMS key last week. We've added the permission.",
        ),
        updates=(
            "The bucket now requires a KMS key the Parcelstream delivery role can't use. Granting "
            "kms:GenerateDataKey on that key to the role will fix delivery.",
        ),
        causes=(
            ("the destination bucket was switched to a customer-managed KMS key that the delivery role had no "
             "permission to use",
             "your team granted the role kms:GenerateDataKey; the E-4031 message now names the missing permission"),
        ),
    ),
    Archetype(
        key="report-timeout", component="reporting", code="E-7002", kind="defect",
        weights=(0.0, 0.2, 0.5, 0.3), zd_type="problem", tag="report_timeout",
        subjects=(
            "Carrier performance report times out (E-7002) for 90-day range",
            "Reporting dashboard fails with REPORT_QUERY_TIMEOUT",
        ),
        symptoms=(
            "The carrier performance report fails with E-7002 REPORT_QUERY_TIMEOUT when we select more than 60 "
            "days. It worked for 90 days until recently.",
        ),
        logs=(
            "{ts} WARN report-svc req_id={req} code=E-7002 report=carrier_performance range_days=90 query_ms=60000 rows_scanned=48211377",
        ),
        repro=(
            "Open Reports > Carrier performance",
            "Select the last 90 days and all carriers",
            "After 60 s the page shows E-7002",
        ),
        impacts=(
            "Our monthly carrier review with leadership relies on the 90-day view.",
        ),
        workaround="run the report for two 45-day ranges, or schedule it as an export overnight",
        asks=(
            "Which filters do you use, and roughly when did it stop working?",
        ),
        internal=(
            "Query plan regressed after the reporting index rebuild; full scan on shipment_events. {host_fqdn} "
            "CPU pinned during the window. {eng_ticket}.",
        ),
        followups=(
            "All carriers, all services. It last worked at the start of the month.",
        ),
        updates=(
            "An index rebuild changed the query plan for this report and large ranges now time out. Engineering "
            "is restoring the previous plan.",
        ),
        causes=(
            ("a reporting index rebuild changed the query plan for the carrier-performance report to a full scan",
             "the index was restored and the query is now pinned to it"),
        ),
    ),
    Archetype(
        key="report-stale", component="reporting", code="E-7010", kind="defect",
        weights=(0.0, 0.1, 0.5, 0.4), zd_type="problem", tag="dashboard_stale",
        subjects=(
            "Dashboard numbers lag a day behind (E-7010 DASHBOARD_STALE)",
            "Shipment volume dashboard not updating",
        ),
        symptoms=(
            "The shipment volume dashboard still shows yesterday's numbers at midday and a banner with E-7010 "
            "DASHBOARD_STALE.",
        ),
        logs=(
            "{ts} WARN report-svc code=E-7010 dataset=shipment_volume last_refresh_age_h=26",
        ),
        repro=(
            "Open Dashboards > Shipment volume around 12:00 UTC",
            "The last-refresh timestamp is from the previous day",
        ),
        impacts=(
            "Our operations stand-up uses these figures every morning.",
        ),
        workaround="use the live shipments list with a date filter, which is not cached",
        asks=(
            "Is it every dashboard or only shipment volume?",
        ),
        internal=(
            "Nightly refresh DAG failing on a schema drift in the {region} replica. {eng_ticket}.",
        ),
        followups=(
            "Only shipment volume as far as we can tell.",
        ),
        updates=(
            "The nightly refresh for this dashboard failed on a schema change. It has been fixed and the data is "
            "current again.",
        ),
        causes=(
            ("the nightly refresh job failed after a schema change in the reporting replica",
             "the refresh job was updated and now alerts on failure"),
        ),
    ),
    # --- how-to questions (mostly P4) ---
    Archetype(
        key="q-key-rotation", component="auth", code="", kind="question",
        weights=(0.0, 0.0, 0.2, 0.8), zd_type="question", tag="how_to",
        subjects=("How do we rotate API keys without downtime?", "Question: API key rotation"),
        symptoms=(
            "Our security policy requires rotating API keys every 90 days. What's the recommended way to do "
            "this without interrupting label creation?",
        ),
        updates=(
            "Each account can have two active keys at once. Create the new key, deploy it everywhere, confirm "
            "traffic on the new key in Settings > API keys > Last used, then revoke the old one.",
        ),
        followups=("Thanks, that's clear. Is there an API for creating keys, or only the portal?",),
        causes=(("how-to question about key rotation; answered with the documented two-key procedure", ""),),
    ),
    Archetype(
        key="q-webhook-ips", component="webhooks", code="", kind="question",
        weights=(0.0, 0.0, 0.2, 0.8), zd_type="question", tag="how_to",
        subjects=("Which IP ranges do webhooks come from?", "Webhook egress IPs for our firewall allow-list"),
        symptoms=(
            "Our network team wants to allow-list the source IPs for webhook deliveries in {region}. Where can "
            "we find them, and are they stable?",
        ),
        updates=(
            "The egress ranges are published at https://docs.parcelstream.example/webhooks/ips and change with at "
            "least 30 days' notice via the status page. Verifying signatures is still recommended.",
        ),
        followups=("Perfect, thank you.",),
        causes=(("how-to question about webhook egress IPs; answered with the published ranges", ""),),
    ),
    Archetype(
        key="q-void-label", component="label-api", code="", kind="question",
        weights=(0.0, 0.0, 0.25, 0.75), zd_type="question", tag="how_to",
        subjects=("Difference between voiding and cancelling a label?", "Are voided labels refunded?"),
        symptoms=(
            "What's the difference between POST /v5/labels/{{id}}/void and cancelling the shipment, and when are "
            "voided {carrier} labels refunded?",
        ),
        updates=(
            "Void cancels the label with the carrier; refunds follow the carrier's rules ({carrier} refunds unused "
            "labels after 14 days). Cancelling the shipment only changes its status in Parcelstream.",
        ),
        followups=("Understood, thanks.",),
        causes=(("how-to question about voiding labels; answered from the label documentation", ""),),
    ),
    Archetype(
        key="q-export-timezone", component="bulk-export", code="", kind="question",
        weights=(0.0, 0.0, 0.3, 0.7), zd_type="question", tag="how_to",
        subjects=("Which timezone do scheduled exports use?", "Export schedule timezone question"),
        symptoms=(
            "Our scheduled export is set for 02:00 but the file arrives at a different hour. Which timezone do "
            "schedules use?",
        ),
        updates=(
            "Schedules run in UTC unless a timezone is set on the schedule (Exports > Schedule > Timezone). "
            "Timestamps inside the file are always UTC.",
        ),
        followups=("That explains it. We've set the timezone on the schedule.",),
        causes=(("how-to question about export schedules; schedules default to UTC", ""),),
    ),
    Archetype(
        key="q-report-fields", component="reporting", code="", kind="question",
        weights=(0.0, 0.0, 0.3, 0.7), zd_type="task", tag="feature_request",
        subjects=("Feature request: customs value column in shipment report", "Can we add custom fields to reports?"),
        symptoms=(
            "We'd like the shipment report to include the declared customs value and the cost centre we pass "
            "in metadata. Is that possible today?",
        ),
        updates=(
            "Metadata fields can be added as columns under Reports > Columns > Metadata. Declared customs value "
            "isn't available as a column yet; I've logged it as a feature request for the product team "
            "(no date committed).",
        ),
        followups=("The metadata column works for us, thanks. Please keep us posted on customs value.",),
        causes=(("feature request; metadata columns already available, customs value logged for the product team", ""),),
    ),
)

ARCHETYPES_BY_KEY = {a.key: a for a in ARCHETYPES}

CUSTOMER_OPENERS = ("Hi team,", "Hello,", "Hi Parcelstream support,", "Hi,", "Hello support team,")
CUSTOMER_FOLLOWUPS = (
    "Any update on this? The {site} team is asking whether to switch to the manual process.",
    "We saw it again at {ts2}, req_id={req2}.",
    "Quick note: the failures line up with our shift start at the {site}.",
    "Is there anything else you need from us?",
)
CUSTOMER_CONFIRMS = (
    "Confirmed on our side: no errors since the change. Thanks for the help.",
    "We've been clean for 24 hours now. Happy for you to close this.",
    "Looks good from here, the {site} team confirms it's working again.",
    "Thanks, that resolved it.",
)
AGENT_FR_LEADS = (
    "Thanks for the detailed report. I'm {agent_first} from Parcelstream Support and I've picked this up.",
    "Thanks for reaching out. I've taken ownership of this ticket and I'm checking our logs for {region} now.",
    "Thank you for the report and the log excerpt; I'm looking into it now.",
    "Thanks, {agent_first} here. I'm on this and have started investigating.",
)
AGENT_CLOSERS = ("Best regards,\n{agent}\nParcelstream Support", "Kind regards,\n{agent}", "Thanks,\n{agent}")
NEUTRAL_UPDATES = (
    "Engineering has narrowed this down to {component} in {region} and is working on the fix. Thanks for the "
    "examples; they matched what we see in our logs.",
    "We've identified the cause and a fix is being prepared. I'll confirm here as soon as it is in place.",
    "The fix is in place on our side. Could you confirm whether you still see {code} errors?",
)
INTERNAL_GENERIC = (
    "Escalated to {component} on-call as {eng_ticket}; linked this ticket.",
    "Customer is on {version}. Checked logs on {host_fqdn}: matches {eng_ticket}.",
    "Reproduced on staging with {version}. Waiting on engineering ({eng_ticket}).",
)


# --- runbooks (shared across accounts) -------------------------------------------------------


@dataclass(frozen=True)
class RunbookSpec:
    id: str
    title: str
    component: str
    tags: tuple[str, ...]
    sections: tuple[tuple[str, str], ...]


RUNBOOKS: tuple[RunbookSpec, ...] = (
    RunbookSpec(
        "RB-api-gateway-rate-limits", "API gateway rate limiting (E-1001 / HTTP 429)", "api-gateway",
        ("api-gateway", "E-1001", "429", "rate-limit"),
        (
            ("Symptoms", "- Clients receive HTTP 429 with `code=E-1001` (RATE_LIMITED).\n"
                         "- `X-RateLimit-Remaining: 0` and a `Retry-After` header between 1 and 60 seconds.\n"
                         "- Usually one API key, often a batch job with bursty traffic."),
            ("Diagnosis", "1. Get the key prefix (`key_xxxxxx`) from the ticket. Never ask for the secret.\n"
                          "2. Check the key's plan in the edge-gw config dump: `gwctl keys show key_xxxxxx`.\n"
                          "3. Compare the configured limit with the order form in the account plan / CRM.\n"
                          "4. Plot requests per second for the key: bursts at the top of each minute point to a "
                          "client pacing problem, not a gateway fault."),
            ("Mitigation", "- If the configured plan is wrong, correct it with `gwctl keys set-plan` (change "
                           "ticket required) and confirm in the next window.\n"
                           "- Otherwise advise jittered pacing that honours `Retry-After`, or a second key for "
                           "parallel batches."),
            ("Escalation", "- Escalate to the platform on-call only if 429s appear for keys far below their "
                           "limit (possible token-bucket bug).\n- Severity: P2 if a core flow is blocked, otherwise P3."),
            ("Customer communication", "Explain the limit and window in plain terms. Do not share other "
                                       "customers' limits or internal config paths."),
        ),
    ),
    RunbookSpec(
        "RB-api-gateway-5xx", "Gateway 502/504 errors (E-1007 / E-1003)", "api-gateway",
        ("api-gateway", "E-1007", "E-1003", "502", "504"),
        (
            ("Symptoms", "- HTTP 502 `E-1007` (BAD_GATEWAY) or 504 `E-1003` (UPSTREAM_TIMEOUT) across several "
                         "endpoints.\n- Retries of the same request usually succeed."),
            ("Diagnosis", "1. Collect 3-5 failing `req_id` values with UTC timestamps.\n"
                          "2. Look them up in the gateway access log: `gwlog req <req_id>`; note the gateway "
                          "node and upstream.\n"
                          "3. Break the 5xx rate down by gateway node. One hot node means a bad node; all nodes "
                          "means an upstream problem.\n"
                          "4. Check recent deploys for the gateway and the upstream service."),
            ("Mitigation", "- Bad node: drain it (`gwctl node drain <node>`) and let the autoscaler replace it.\n"
                           "- Upstream problem: follow the upstream component's runbook.\n"
                           "- Keep-alive resets: confirm gateway idle timeout < upstream idle timeout."),
            ("Escalation", "- Page platform on-call if the 5xx rate is above 5% for 10 minutes in a region "
                           "(P1 if label creation is affected for all users)."),
            ("Verification", "5xx rate below 0.1% for 30 minutes, and the customer's retry rate back to baseline."),
        ),
    ),
    RunbookSpec(
        "RB-auth-token-errors", "OAuth token and API key errors (E-2001 / E-2004 / E-2010)", "auth",
        ("auth", "E-2001", "E-2004", "E-2010", "401", "403"),
        (
            ("Symptoms", "- 401 `E-2001` TOKEN_EXPIRED on tokens that should still be valid.\n"
                         "- 403 `E-2004` SCOPE_DENIED after a scope change.\n"
                         "- 401 `E-2010` KEY_REVOKED on a key the portal shows as active."),
            ("Diagnosis", "1. For E-2001 compare `token_age_s` in auth-svc logs with the `expires_in` the "
                          "client received.\n"
                          "2. For E-2010 check the revocation reason: `revoked_by=secret-scanner` means the key "
                          "was found in a public source.\n"
                          "3. Check clock skew only if the token age at rejection is close to zero."),
            ("Mitigation", "- E-2001: advise refreshing at 80% of the enforced lifetime.\n"
                           "- E-2010: the key cannot be re-activated; guide the customer through rotation "
                           "(two active keys per account).\n"
                           "- Never ask a customer to paste a key or secret into a ticket. If they do, treat it "
                           "as leaked and advise rotation."),
            ("Escalation", "- Identity on-call for suspected auth-svc regressions after a release."),
            ("Customer communication", "Do not repeat key material in replies. Redact any pasted secret from "
                                       "quoted text."),
        ),
    ),
    RunbookSpec(
        "RB-sso-saml-failures", "SSO / SAML sign-in failures (E-2101 / E-2105)", "sso",
        ("sso", "saml", "E-2101", "E-2105"),
        (
            ("Symptoms", "- Dashboard SSO sign-in fails with E-2101 SAML_ASSERTION_INVALID or E-2105 CLOCK_SKEW.\n"
                         "- Often right after the customer rotates the IdP signing certificate."),
            ("Diagnosis", "1. Ask for a HAR file of a failed sign-in (passwords removed).\n"
                          "2. Compare the assertion's certificate fingerprint with the certificates in the "
                          "account's SSO configuration (production, not sandbox).\n"
                          "3. For E-2105 check `not_before_delta_s`; the allowance is 180 s."),
            ("Mitigation", "- Upload the new certificate alongside the old one; both can be active during "
                           "rollover.\n- Break-glass admin login still works for urgent dashboard tasks."),
            ("Escalation", "- Identity on-call if signatures validate offline but sso-svc still rejects them."),
        ),
    ),
    RunbookSpec(
        "RB-sso-scim-sync", "SCIM provisioning failures (E-2110)", "sso",
        ("sso", "scim", "E-2110"),
        (
            ("Symptoms", "- Users are not created or deactivated; SCIM log shows E-2110 SCIM_SYNC_FAILED."),
            ("Diagnosis", "1. Export the failing requests from the directory's provisioning log.\n"
                          "2. Check the 400 detail in sso-svc logs (`op=PATCH path=/scim/v2/Users`).\n"
                          "3. Known cause: string booleans (`\"False\"`) rejected by the strict parser."),
            ("Mitigation", "- Deactivate leavers manually under Settings > Users until sync recovers."),
            ("Escalation", "- Identity engineering for parser issues; security team if leavers kept access "
                           "for more than 24 hours."),
        ),
    ),
    RunbookSpec(
        "RB-label-api-carrier-timeouts", "Label API 504 / carrier timeouts (E-3002)", "label-api",
        ("label-api", "E-3002", "504", "carrier"),
        (
            ("Symptoms", "- POST /v5/labels returns 504 with `code=E-3002` (CARRIER_TIMEOUT) after ~30 s.\n"
                         "- Usually one carrier, one region; retries partly succeed."),
            ("Diagnosis", "1. Check label-svc p99 latency per carrier and region.\n"
                          "2. Check carrier-connector pool utilisation on lbl-worker pods "
                          "(`carrier_pool_active / carrier.http.max_conns`).\n"
                          "3. Check the carrier's API status and our synthetic checks against it.\n"
                          "4. Check the rendered config after any release: `carrier.http.max_conns` must be 200."),
            ("Mitigation", "- Pool saturation after a release: roll back label-svc in the region "
                           "(see RB-release-rollback) or restore the pool size.\n"
                           "- Carrier-side latency: enable fail-fast for the carrier connector "
                           "(`labelctl carrier fail-fast <carrier> --timeout 10s`) and advise the fallback "
                           "carrier account."),
            ("Escalation", "- Page labels on-call when the E-3002 rate is above 5% for 10 minutes; P1 when a "
                           "customer site cannot ship."),
            ("Customer communication", "Advise retries with the same Idempotency-Key (no duplicate labels). "
                                       "Do not name the carrier's internal contacts or our hosts."),
        ),
    ),
    RunbookSpec(
        "RB-label-api-render-failures", "Label render and address validation failures (E-3005 / E-3011)",
        "label-api", ("label-api", "E-3005", "E-3011", "zpl"),
        (
            ("Symptoms", "- 500 `E-3005` LABEL_RENDER_FAILED, typically ZPL with many customs lines.\n"
                         "- 422 `E-3011` ADDRESS_INVALID for addresses with unit numbers."),
            ("Diagnosis", "1. Get a request ID and the (masked) payload.\n"
                          "2. E-3005: count `customs_items`; more than 20 overflows the ZPL template.\n"
                          "3. E-3011: check `reason` in label-svc logs; compare with the address provider's "
                          "changelog."),
            ("Mitigation", "- E-3005: use `label_format=pdf` for large customs declarations.\n"
                           "- E-3011: put the unit in address_line1 or use `validation=relaxed`."),
            ("Escalation", "- Labels engineering via a bug ticket (P3) unless a site cannot ship (P2)."),
        ),
    ),
    RunbookSpec(
        "RB-rates-engine-latency", "Rate quote latency and timeouts (E-3507 / E-3501)", "rates-engine",
        ("rates-engine", "E-3507", "E-3501", "cache"),
        (
            ("Symptoms", "- POST /v5/rates p95 above 2 s; 504 `E-3507` QUOTE_TIMEOUT at 10 s.\n"
                         "- `E-3501` RATE_QUOTE_STALE warnings when a rate card is older than its refresh period."),
            ("Diagnosis", "1. Check rates-cache hit ratio per region (normal: above 90%).\n"
                          "2. Check evictions and memory on rates-cache nodes.\n"
                          "3. Identify the slowest carrier leg from `slowest=` in rates-svc logs.\n"
                          "4. For E-3501 check the rate-card import job history."),
            ("Mitigation", "- Scale the rates-cache cluster (`ratesctl cache scale --nodes N`).\n"
                           "- Advise limiting `carriers=` to the carriers the customer actually offers.\n"
                           "- Re-run a failed rate-card import after fixing the parser."),
            ("Escalation", "- Rates on-call for hit ratio below 80% or p95 above 5 s for 15 minutes (P2)."),
            ("Monitoring", "Keep the incident in monitoring until one full daily peak has passed at normal "
                           "latency; cache regressions often return at the next peak."),
        ),
    ),
    RunbookSpec(
        "RB-tracking-feed-auth", "Carrier feed authentication failures (E-5003)", "tracking-ingest",
        ("tracking-ingest", "E-5003", "mtls", "certificate"),
        (
            ("Symptoms", "- No new tracking events for one or more carriers; track-ingest logs "
                         "`code=E-5003 FEED_AUTH_FAILED`.\n- Carrier side returns TLS handshake failures."),
            ("Diagnosis", "1. Check the client certificate expiry for the carrier feed: "
                          "`trkctl feeds certs --carrier <carrier>`.\n"
                          "2. Check the cert-rotation job history and its permissions on the secrets store.\n"
                          "3. Confirm the carrier has not rotated its CA."),
            ("Mitigation", "- Issue and install a new client certificate manually "
                           "(`trkctl feeds certs renew --carrier <carrier>`), then restart feed pollers.\n"
                           "- Start a backfill for the gap (`trkctl backfill --from <start>`)."),
            ("Escalation", "- P1 when tracking is stale for all customers of a major carrier. Page tracking "
                           "on-call and inform TAMs of affected strategic accounts."),
            ("Customer communication", "Events during the gap are backfilled, not lost. Give the backfill "
                                       "progress, not a completion time, until it is complete."),
        ),
    ),
    RunbookSpec(
        "RB-tracking-event-lag", "Tracking event lag and duplicates (E-5009 / E-5012)", "tracking-ingest",
        ("tracking-ingest", "E-5009", "E-5012", "kafka"),
        (
            ("Symptoms", "- Trackers behind the carrier's own site; `E-5009 EVENT_LAG`.\n"
                         "- Duplicate delivered events, `E-5012 DUPLICATE_EVENT`."),
            ("Diagnosis", "1. Check consumer lag per partition of `tracking-events`.\n"
                          "2. One partition stuck: look for a poison message (parse errors repeating at the "
                          "same offset).\n"
                          "3. Duplicates: compare `carrier_event_id` and sequence numbers of the two events."),
            ("Mitigation", "- Park the poison message in the dead-letter queue "
                           "(`trkctl dlq park --partition N --offset O`).\n"
                           "- Scale consumers temporarily to drain the backlog."),
            ("Escalation", "- Tracking on-call when the oldest event age exceeds 30 minutes."),
        ),
    ),
    RunbookSpec(
        "RB-webhooks-signature", "Webhook signature mismatches (E-6001)", "webhooks",
        ("webhooks", "E-6001", "signature"),
        (
            ("Symptoms", "- Customer endpoint rejects deliveries; delivery log shows E-6001 SIGNATURE_MISMATCH."),
            ("Diagnosis", "1. Ask whether the signing secret was rotated recently.\n"
                          "2. During the 24-hour overlap each delivery carries one `v1=` signature per active "
                          "secret; verifiers must accept any of them.\n"
                          "3. Check the customer is hashing the raw body, not re-serialised JSON."),
            ("Mitigation", "- Replay failed deliveries once the verifier is fixed."),
            ("Escalation", "- Webhooks engineering only if our signature fails offline verification."),
        ),
    ),
    RunbookSpec(
        "RB-webhooks-delivery-backlog", "Webhook delivery delays and disabled endpoints (E-6004 / E-6008)",
        "webhooks", ("webhooks", "E-6004", "E-6008", "kafka", "consumer-lag"),
        (
            ("Symptoms", "- Deliveries delayed; `E-6008 ENDPOINT_TIMEOUT`; endpoints disabled after "
                         "`E-6004 DELIVERY_RETRY_EXHAUSTED`."),
            ("Diagnosis", "1. Check dispatcher consumer lag on `webhook-events` per partition. Partitions with "
                          "no owner after a rebalance show flat, growing lag.\n"
                          "2. Check the endpoint's response times from the dispatcher side (TLS handshake time "
                          "suggests a WAF challenge).\n"
                          "3. Check the retry schedule in the dispatcher config."),
            ("Mitigation", "- Unowned partitions: restart dispatcher pods with static group membership enabled.\n"
                           "- Re-enable disabled endpoints and replay the window (`whkctl replay --account <id> "
                           "--from --to`)."),
            ("Escalation", "- P2 when delivery lag exceeds 15 minutes for all customers in a region."),
            ("Verification", "Lag at zero for all partitions, replay complete, p95 delivery under 5 s."),
        ),
    ),
    RunbookSpec(
        "RB-export-cursor-expired", "Bulk export failures (E-4012 EXPORT_CURSOR_EXPIRED)", "bulk-export",
        ("bulk-export", "E-4012", "export"),
        (
            ("Symptoms", "- Large exports fail after ~30 minutes with E-4012 EXPORT_CURSOR_EXPIRED."),
            ("Diagnosis", "1. Get the job ID; check `cursor_age_s` and `rows_written` in export-svc logs.\n"
                          "2. Estimate duration: rows / (page_size x pages per second)."),
            ("Mitigation", "- Split the export into 7-day ranges or raise `page_size` to 5000.\n"
                           "- Re-run the failed job after the fix; do not re-run in a loop."),
            ("Escalation", "- Export engineering (P2 if finance or compliance deadlines depend on the file)."),
        ),
    ),
    RunbookSpec(
        "RB-export-s3-delivery", "Export delivery failures (E-4031 / E-4020)", "bulk-export",
        ("bulk-export", "E-4031", "E-4020", "s3", "kms"),
        (
            ("Symptoms", "- Export completes but delivery fails: E-4031 S3_ACCESS_DENIED or E-4020 "
                         "EXPORT_SIZE_LIMIT."),
            ("Diagnosis", "1. Confirm the delivery role ARN in Settings > Exports matches the bucket policy.\n"
                          "2. Check for SSE-KMS: the role needs kms:GenerateDataKey on the customer key.\n"
                          "3. E-4020: single files are limited to 5 GB; enable splitting."),
            ("Mitigation", "- Download from the dashboard until delivery works.\n"
                           "- Never ask the customer for their cloud access keys; the delivery uses our role."),
            ("Escalation", "- Export engineering only if the role and policy are correct."),
        ),
    ),
    RunbookSpec(
        "RB-reporting-query-timeouts", "Reporting timeouts and stale dashboards (E-7002 / E-7010)",
        "reporting", ("reporting", "E-7002", "E-7010"),
        (
            ("Symptoms", "- Reports fail with E-7002 REPORT_QUERY_TIMEOUT at 60 s.\n"
                         "- Dashboards show an E-7010 DASHBOARD_STALE banner."),
            ("Diagnosis", "1. Check the query plan for the report; full scans on `shipment_events` indicate a "
                          "missing index.\n2. For stale dashboards check the nightly refresh DAG status."),
            ("Mitigation", "- Advise smaller ranges or scheduled exports.\n- Re-run the refresh DAG after fixing "
                           "the failure."),
            ("Escalation", "- Reporting engineering; P3 unless a contractual report is missing (P2)."),
        ),
    ),
    RunbookSpec(
        "RB-incident-comms", "Customer communication during incidents", "",
        ("incident", "communication", "sla"),
        (
            ("Purpose", "How TAMs and support keep customers informed while an incident is open."),
            ("Cadence", "- Use the update cadence from the account plan's SLA for the incident's priority.\n"
                        "- Every update states the next update time in UTC.\n"
                        "- Post updates on the customer's ticket; note them in the incident channel."),
            ("Update structure", "1. What we know.\n2. What we don't know yet.\n3. What we are doing.\n"
                                 "4. Workaround, if any.\n5. Next update time."),
            ("Do not", "- Promise fix dates or say it will never happen again.\n"
                       "- Name internal hosts, services, codenames or other customers.\n"
                       "- State a root cause before engineering has confirmed it."),
            ("Escalation", "- Involve the incident commander before sharing anything about data loss or "
                           "security."),
        ),
    ),
    RunbookSpec(
        "RB-release-rollback", "Rolling back a regional release", "",
        ("release", "rollback", "deploy"),
        (
            ("When to use", "A release correlates with a regression (error rate, latency) in one region and "
                            "no quick config fix is available."),
            ("Procedure", "1. Announce in the incident channel; the IC approves.\n"
                          "2. `deployctl rollback <service> --region <region> --to <previous version>`.\n"
                          "3. Watch error rate and latency per batch of pods.\n"
                          "4. Pause the release train for the service."),
            ("Verification", "Error rate back to baseline for 30 minutes, and no new alerts."),
            ("Escalation", "Engineering manager for the service if the rollback fails or the previous version "
                           "has a known incompatibility."),
        ),
    ),
    RunbookSpec(
        "RB-region-failover", "Regional failover for the public API", "api-gateway",
        ("api-gateway", "failover", "dns", "region"),
        (
            ("When to use", "A full regional outage of label creation or rating with no mitigation within 60 "
                            "minutes. Requires incident commander approval."),
            ("Procedure", "1. Confirm the target region has capacity (`capctl headroom --region <target>`).\n"
                          "2. Shift traffic with weighted DNS in 25% steps.\n"
                          "3. Customers with region-pinned data (data residency) must not be failed over; "
                          "check the account plan."),
            ("Verification", "Error rate in the target region stays below 0.5% at full shifted load."),
            ("Escalation", "Director of Engineering and the TAMs of affected strategic accounts."),
        ),
    ),
)

# --- incident scenarios -------------------------------------------------------------------------
# A scenario is a scripted incident channel. Messages are anchored to phases between milestones:
# detect [detected, engaged), engage [engaged, mitigated), mitigate [mitigated, resolved),
# resolve [resolved, +90 min), monitor [mitigated, end of monitoring) for incidents still open.
# Flags: start (posted exactly at the phase's milestone), identified (status -> identified),
# root_cause / hypothesis (the message an incident record cites), ticket (after the ticket exists).


@dataclass(frozen=True)
class ScenarioMsg:
    phase: str
    role: str  # bot | sre | sre2 | ic | eng | em | tam | support
    text: str
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    key: str
    component: str
    priority: str
    code: str
    ongoing: bool
    title: str
    summary: str
    customer_impact: str
    workaround: str
    durations: dict[str, tuple[int, int]]  # minutes: detect, engage, mitigate, resolve
    ticket_offset: tuple[int, int]  # minutes after impact start that the customer opens a ticket
    ticket_subject: str
    ticket_body: str
    ticket_logs: tuple[str, ...]
    symptom_short: str
    recovery: str
    root_cause: str
    root_cause_customer: str
    contributing: tuple[str, ...]
    actions: tuple[tuple[str, str, int, str], ...]  # action, role, due in days, status
    messages: tuple[ScenarioMsg, ...]


def _m(phase: str, role: str, text: str, *flags: str) -> ScenarioMsg:
    return ScenarioMsg(phase, role, text, tuple(flags))


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        key="label-504", component="label-api", priority="P1", code="E-3002", ongoing=False,
        title="Label API returning 504 (E-3002) in {region}",
        summary="POST /v5/labels in {region} returned HTTP 504 / E-3002 for a large share of requests after "
                "label-svc {version} exhausted its carrier-connector connection pool at peak load. Rolling back "
                "to {prev_version} mitigated it; {fix_version} fixed it.",
        customer_impact="{account_name} could not create shipping labels for roughly {pct}% of requests in {region} "
                        "between {started_hm} and {mitigated_hm} UTC; parcels queued at the {site}.",
        workaround="Retry label creation with the same Idempotency-Key (retries succeeded about 60% of the "
                   "time), or route urgent parcels through the fallback carrier account.",
        durations={"detect": (8, 18), "engage": (8, 20), "mitigate": (80, 130), "resolve": (1200, 1700)},
        ticket_offset=(12, 25),
        ticket_subject="URGENT: label creation failing with 504 (E-3002) in {region}",
        ticket_body="Since about {impact_hm} UTC roughly {pct}% of label requests from our {site} fail with HTTP "
                    "504 and error code E-3002 after about 30 seconds; retries only sometimes succeed. It affects "
                    "every carrier, not just one.\n\nEnvironment: API {version}, region {region}, {sdk}.\n\n"
                    "Log excerpt:\n{logs}\n\nImpact: the {site} cannot ship most parcels and the afternoon "
                    "collections are at risk. Please treat as P1.",
        ticket_logs=(
            "{ts} ERROR label-svc req_id={req} trace_id={trace} status=504 code=E-3002 carrier={carrier_slug} upstream timeout after 30000ms",
        ),
        symptom_short="errors creating shipping labels (HTTP 504, error code E-3002)",
        recovery="label creation error rates are back to normal",
        root_cause="The {version} configuration-schema migration dropped the carrier.http.max_conns override for "
                   "label-svc, so the carrier-connector pool fell back to the library default of 20 connections; "
                   "at peak load requests waited for a connection until the 30 s upstream timeout and returned "
                   "504 / E-3002.",
        root_cause_customer="a configuration change in a recent release reduced the capacity of the service that "
                            "connects to carriers, so requests timed out at peak load. The configuration has "
                            "been corrected and a safeguard added so it cannot start with that setting again",
        contributing=(
            "Canary traffic in the region (~5%) never exercised more than 20 concurrent carrier connections.",
            "Alerting covered the 5xx rate only; there was no alert on connector pool saturation.",
            "The config-schema migration had no check for overrides that were dropped.",
        ),
        actions=(
            ("Add a startup guard that fails label-svc if carrier.http.max_conns is below 50", "eng", 14, "done"),
            ("Alert on carrier-connector pool utilisation above 80% for 5 minutes", "sre", 21, "done"),
            ("Add a rendered-config diff to the release checklist for schema migrations", "em", 30, "in_progress"),
            ("Run canary at peak concurrency before regional rollout", "ic", 45, "open"),
        ),
        messages=(
            _m("detect", "bot", "[Triggered] label-svc {region}: 5xx rate {pct}% > 5% for 5m (PD #{pd})", "start"),
            _m("detect", "sre", "Ack. label-svc 504s in {region}, p99 pinned at 30 s, which is the upstream timeout. "
                                "Other regions look clean."),
            _m("detect", "sre", "Response code on the failures is E-3002 CARRIER_TIMEOUT, across all carriers, not "
                                "just one. Looking at the lbl-worker pods."),
            _m("detect", "support", "Heads-up: {account_name} just opened {ticket} as urgent: label creation failing "
                                    "at their {site}. Same symptom.", "ticket"),
            _m("engage", "ic", "I'm IC. Declaring P1: customer impact confirmed via {ticket}. {eng_first}, please "
                               "join; {tam_first} is on customer comms.", "start"),
            _m("engage", "tam", "Here. I own comms for {account_name}. Their P1 update cadence is {cadence} "
                                "minutes; I'll keep to it."),
            _m("engage", "eng", "Connector pool metrics: active connections pinned at 20/20 on every lbl-worker "
                                "since about {started_hm}. Queue depth climbing."),
            _m("engage", "eng", "20 is wrong, it should be 200. {version} moved carrier.http.max_conns into the new "
                                "config schema; I think the override didn't carry over. Checking the rendered "
                                "config.", "identified"),
            _m("engage", "sre", "Confirmed: rendered config on lbl-worker-07.prod.{rs}.parcelstream.internal has "
                                "carrier.http.max_conns=20."),
            _m("engage", "ic", "Options: roll back label-svc in {region} to {prev_version}, or hot-patch the config. "
                               "Rollback is the documented path (RB-release-rollback). Going with rollback unless "
                               "anyone objects."),
            _m("engage", "em", "No objection, roll back."),
            _m("engage", "sre", "Rolling back label-svc {region} to {prev_version} in batches of 25%, ETA about 15 "
                                "minutes."),
            _m("engage", "sre", "50% of pods on {prev_version}. 5xx down to 11%."),
            _m("mitigate", "sre", "All label-svc pods in {region} on {prev_version}. 5xx 0.3%, p99 1.8 s. "
                                  "Mitigated.", "start"),
            _m("mitigate", "ic", "Moving to monitoring. The incident stays open until the fixed build is out and "
                                 "we've seen a full peak."),
            _m("mitigate", "eng", "PR up: restores carrier.http.max_conns=200 in the new schema and adds a startup "
                                  "check that refuses to boot below 50."),
            _m("mitigate", "eng", "Root cause confirmed: the {version} config-schema migration dropped the "
                                  "carrier.http.max_conns override, so label-svc fell back to the library default of "
                                  "20 connections. At peak, requests queued for a connection until the 30 s upstream "
                                  "timeout and returned 504 / E-3002.", "root_cause"),
            _m("mitigate", "em", "Why didn't canary catch it? Canary in {region} takes ~5% of traffic and never gets "
                                 "near 20 concurrent carrier connections."),
            _m("mitigate", "tam", "{account_name} asked whether labels created during the window are valid. "
                                  "{eng_first} confirmed: every 2xx label is valid, failed requests created nothing."),
            _m("mitigate", "sre", "{fix_version} with the fix is built. Deploying to {region} canary, then full."),
            _m("mitigate", "sre", "{fix_version} fully deployed in {region}. Waiting for the next peak before "
                                  "resolving."),
            _m("resolve", "sre", "Peak passed on {fix_version}: zero E-3002, p99 1.1 s. Resolving.", "start"),
            _m("resolve", "ic", "Resolved. PIR owner {em_first}; corrective actions are in the incident record."),
            _m("resolve", "em", "PIR scheduled. Thanks everyone."),
        ),
    ),
    Scenario(
        key="webhook-lag", component="webhooks", priority="P2", code="E-6008", ongoing=False,
        title="Webhook deliveries delayed up to 90 minutes in {region}",
        summary="After an autoscaling-triggered consumer-group rebalance, 4 of 12 webhook-events partitions had no "
                "active consumer, so webhook deliveries for those partitions queued for up to 90 minutes until "
                "dispatchers were restarted with static membership.",
        customer_impact="Webhook deliveries (tracker.updated, label.created) to {account_name} arrived up to 90 "
                        "minutes late between {started_hm} and {mitigated_hm} UTC; no events were lost.",
        workaround="Poll GET /v5/trackers/{{id}}/events for time-critical shipments until deliveries catch up.",
        durations={"detect": (25, 40), "engage": (10, 18), "mitigate": (55, 90), "resolve": (700, 1100)},
        ticket_offset=(15, 25),
        ticket_subject="Webhooks arriving very late (up to an hour) in {region}",
        ticket_body="Since about {impact_hm} UTC our tracker.updated webhooks arrive 30-60 minutes late, some "
                    "later. Our endpoint {webhook_url} responds in under 200 ms and shows no errors. Deliveries "
                    "for some trackers are on time, others are very late.\n\nEnvironment: API {version}, region "
                    "{region}.\n\nFrom our receiver log:\n{logs}\n\nImpact: order status in our storefront is "
                    "stale and customer-service contacts are rising.",
        ticket_logs=(
            "{ts} INFO webhook-receiver event=tracker.updated delivery_id=whd_{lineid} event_created_at_lag_s={lag}",
        ),
        symptom_short="delays in webhook deliveries",
        recovery="deliveries are on time again and the delayed events have been delivered",
        root_cause="An autoscaling-triggered rebalance of the webhook-events consumer group hit a known assignor bug "
                   "in the Kafka client (3.4), leaving 4 of 12 partitions without an active consumer; events on those "
                   "partitions queued until dispatchers were restarted with static group membership.",
        root_cause_customer="a rebalancing problem in our webhook delivery service left part of the delivery queue "
                            "without a worker after a routine scale-up; events waited in the queue until workers "
                            "were restarted. No events were lost",
        contributing=(
            "The consumer-lag alert threshold was 30 minutes, so detection lagged the customer report.",
            "The Kafka client version with the assignor bug had a fix available that had not been rolled out.",
        ),
        actions=(
            ("Upgrade the dispatcher Kafka client to 3.7", "eng", 21, "in_progress"),
            ("Alert on unowned partitions in the webhook-events consumer group", "sre", 14, "done"),
            ("Enable static group membership by default for all dispatcher deployments", "eng", 7, "done"),
        ),
        messages=(
            _m("detect", "bot", "[Triggered] webhook-dispatcher {region}: consumer lag > 30 min on webhook-events "
                                "(PD #{pd})", "start"),
            _m("detect", "sre", "Ack. Lag growing on 4 of 12 partitions of webhook-events; the other 8 are at zero."),
            _m("detect", "support", "{account_name} reported this already in {ticket}: webhooks up to an hour late. "
                                    "Their ticket came in before the alert.", "ticket"),
            _m("engage", "ic", "IC here. P2: delivery delays for customers with webhooks in {region}, no data loss so "
                               "far. {eng_first} joining. {tam_first} on comms for {account_name}.", "start"),
            _m("engage", "eng", "Partitions 3, 5, 8 and 11 have no owner in the consumer group. There was a "
                                "rebalance at {started_hm} when the autoscaler added two dispatcher pods."),
            _m("engage", "eng", "Matches the cooperative-sticky assignor bug in our Kafka client version: partitions "
                                "revoked in the first round never get reassigned.", "identified"),
            _m("engage", "sre", "whk-dispatch-3 and -4 on {rs} log 'Attempt to heartbeat failed since group is "
                                "rebalancing' in a loop."),
            _m("engage", "ic", "Mitigation: restart the dispatchers with static group membership so the rebalance "
                               "doesn't cascade. Go."),
            _m("engage", "sre", "Rolling restart started with group.instance.id set per pod."),
            _m("engage", "tam", "{account_name} asks whether the delayed events will still arrive. {eng_first}?"),
            _m("engage", "eng", "Yes, nothing is dropped; they're queued in the topic, and order within a tracker is "
                                "preserved."),
            _m("mitigate", "sre", "All 12 partitions owned again. Lag draining at about 3x normal throughput.", "start"),
            _m("mitigate", "eng", "Backlog is about 1.9M events, roughly 70 minutes to drain at this rate."),
            _m("mitigate", "eng", "Root cause confirmed: the autoscaling rebalance hit the known assignor bug in "
                                  "client 3.4 and left 4 partitions unowned; their events queued until the restart. "
                                  "Static membership avoids the revoke cascade; client 3.7 fixes the bug.",
               "root_cause"),
            _m("mitigate", "em", "Detection took {detect_min} minutes because the lag alert threshold is 30 minutes. "
                                 "We should alert on unowned partitions directly."),
            _m("mitigate", "sre", "Lag at zero on all partitions. p95 delivery latency 2.1 s."),
            _m("mitigate", "ic", "Keeping it in monitoring through the next scheduled scale-up."),
            _m("resolve", "sre", "Scheduled scale-up ran with static membership: no lag. Resolving.", "start"),
            _m("resolve", "ic", "Resolved. Corrective actions tracked in the incident record; PIR draft by "
                                "{em_first}."),
        ),
    ),
    Scenario(
        key="tracking-cert", component="tracking-ingest", priority="P1", code="E-5003", ongoing=False,
        title="Tracking events not updating for {carrier} and two other carriers",
        summary="The mTLS client certificate used by tracking-ingest for three carrier feeds expired; no tracking "
                "events were ingested for those carriers until a new certificate was installed, after which "
                "the gap was backfilled.",
        customer_impact="Trackers for {carrier} and two other carriers showed no new events for {account_name} "
                        "between {started_hm} and {mitigated_hm} UTC; missed events were backfilled by "
                        "{resolved_hm} UTC.",
        workaround="None for tracking data; carrier tracking sites were accurate during the gap.",
        durations={"detect": (70, 90), "engage": (12, 20), "mitigate": (130, 170), "resolve": (900, 1300)},
        ticket_offset=(30, 45),
        ticket_subject="No tracking updates for {carrier} since this morning",
        ticket_body="None of our {carrier} trackers have received a scan since about {impact_hm} UTC, although "
                    "drivers are delivering normally (the carrier's own site shows scans). Other carriers look "
                    "affected too.\n\nEnvironment: API {version}, region {region}.\n\nExample:\n{logs}\n\n"
                    "Impact: our customer-service team is getting 'where is my order' calls and our delivery "
                    "promise dashboard is blank.",
        ticket_logs=(
            "{ts} INFO tracking-poller tracker=trk_{lineid} carrier={carrier_slug} last_event_at={started_iso} events_since=0",
        ),
        symptom_short="missing tracking updates for several carriers",
        recovery="live tracking events are flowing again for all affected carriers",
        root_cause="The mTLS client certificate that tracking-ingest uses for three carrier feeds expired because "
                   "the rotation job had been failing for two weeks after an IAM policy change removed its "
                   "permission to write to the secrets store; its failures only logged at WARN.",
        root_cause_customer="a security certificate used to connect to the affected carriers expired because the "
                            "automated renewal had been failing. A new certificate was installed and the missed "
                            "events were backfilled",
        contributing=(
            "The certificate-rotation job's failures were logged at WARN and did not alert.",
            "The feed-silence alert fired only after 60 minutes without events.",
            "An IAM policy change removed the rotation role's write permission without a dependency check.",
        ),
        actions=(
            ("Alert when any feed client certificate expires within 14 days", "sre", 7, "done"),
            ("Page on rotation-job failure instead of logging at WARN", "eng", 14, "done"),
            ("Lower the feed-silence alert from 60 to 15 minutes for major carriers", "sre", 14, "in_progress"),
            ("Add IAM policy-change review for roles used by rotation jobs", "em", 30, "open"),
        ),
        messages=(
            _m("detect", "bot", "[Triggered] track-ingest {region}: event rate for 3 carrier feeds at 0 for 60m "
                                "(PD #{pd})", "start"),
            _m("detect", "sre", "Ack. Feeds for {carrier} and two other carriers on the mTLS connector fail with "
                                "E-5003 FEED_AUTH_FAILED since {started_hm}."),
            _m("detect", "support", "{account_name} opened {ticket} a while ago: no {carrier} scans since early "
                                    "morning. The customer noticed before our alerting did.", "ticket"),
            _m("engage", "ic", "IC. P1: tracking stale for all customers on three carriers. {eng_first}, please join. "
                               "{tam_first} on comms for {account_name}.", "start"),
            _m("engage", "eng", "TLS handshake to the carrier endpoints fails with 'certificate expired'. Our client "
                                "cert for the mTLS feeds expired at {started_hm} UTC.", "identified"),
            _m("engage", "eng", "The rotation job should have renewed it two weeks ago. Its last 15 runs failed with "
                                "AccessDenied writing to the secrets store and only logged at WARN."),
            _m("engage", "sre", "An IAM change last month removed secretsmanager:PutSecretValue from the rotation "
                                "role. That explains the failures."),
            _m("engage", "ic", "Plan: issue a new cert manually (RB-tracking-feed-auth), restart the feed pollers, "
                               "then backfill. {sre_first} on the cert, {eng_first} on backfill prep."),
            _m("engage", "sre", "New client cert issued and stored. Restarting pollers."),
            _m("mitigate", "sre", "Feeds connected; live events flowing again for all three carriers.", "start"),
            _m("mitigate", "eng", "Backfill started from {started_hm} for the three feeds. The carriers' replay APIs "
                                  "are rate limited, so this will take hours."),
            _m("mitigate", "eng", "Root cause confirmed: the mTLS client certificate for the carrier feeds expired "
                                  "because the rotation job had been failing for two weeks after an IAM policy change "
                                  "removed its write permission; the failures only logged at WARN.", "root_cause"),
            _m("mitigate", "tam", "{account_name} asks when the backfill will finish. I'm giving progress only, no "
                                  "completion time, until we're done."),
            _m("mitigate", "eng", "Backfill 40% done."),
            _m("mitigate", "em", "Contributing factors so far: no alert on cert expiry, and the feed-silence alert "
                                 "only fires after 60 minutes."),
            _m("mitigate", "eng", "Backfill 85% done; the remaining carrier has the slowest replay API."),
            _m("resolve", "eng", "Backfill complete: all events between {started_hm} and mitigation are ingested and "
                                 "trackers match the carriers' sites.", "start"),
            _m("resolve", "ic", "Resolved. Corrective actions assigned; PIR this week."),
        ),
    ),
    Scenario(
        key="rates-latency", component="rates-engine", priority="P2", code="E-3507", ongoing=True,
        title="Rate quote latency and E-3507 timeouts in {region}",
        summary="Rate quotes in {region} slowed to 6-10 s at p95 with intermittent 504 / E-3507 after the rates "
                "cache hit ratio collapsed. Scaling the cache mitigated it; the root cause is still being "
                "investigated and the incident is in monitoring.",
        customer_impact="Checkout at {account_name} intermittently could not load shipping options between "
                        "{started_hm} and {mitigated_hm} UTC (about 4% of rate requests timed out and p95 latency "
                        "reached 8 s); smaller latency spikes have recurred since.",
        workaround="Request rates only for the carriers offered at checkout (carriers= parameter), which avoids "
                   "the slowest lookups.",
        durations={"detect": (10, 20), "engage": (15, 30), "mitigate": (180, 300), "resolve": (0, 0)},
        ticket_offset=(20, 30),
        ticket_subject="Checkout can't load shipping rates: E-3507 timeouts",
        ticket_body="Since about {impact_hm} UTC our checkout intermittently shows 'shipping unavailable'. Rate "
                    "requests take 6-10 seconds and some fail with HTTP 504 / E-3507 QUOTE_TIMEOUT.\n\n"
                    "Environment: API {version}, region {region}, {sdk}.\n\nExamples:\n{logs}\n\nImpact: "
                    "abandoned checkouts during our afternoon peak.",
        ticket_logs=(
            "{ts} ERROR checkout-svc upstream=parcelstream req_id={req} status=504 code=E-3507 latency_ms=10004",
        ),
        symptom_short="slow rate quotes and intermittent timeouts (error code E-3507)",
        recovery="rate quote latency is back within normal range",
        root_cause="Suspected, not confirmed: a rate-card cache eviction storm after the {version} key-format "
                   "change, while old and new cache keys coexisted. Staging reproduction and heap-dump analysis "
                   "have not yet supported the hypothesis.",
        root_cause_customer="",
        contributing=(
            "Cache memory headroom in the region was below 10% before the release.",
        ),
        actions=(
            ("Reproduce the eviction pattern in staging with production key distribution", "eng", 7, "in_progress"),
            ("Alert on rates-cache hit ratio below 85%", "sre", 14, "open"),
            ("Keep rates-cache at 9 nodes until the root cause is confirmed", "sre", 3, "done"),
        ),
        messages=(
            _m("detect", "bot", "[Triggered] rates-svc {region}: p95 latency 7.8s > 2s for 10m (PD #{pd})", "start"),
            _m("detect", "sre", "Ack. rates-svc p95 around 8 s in {region}; about 4% of quotes time out with E-3507. "
                                "Started shortly after {started_hm}."),
            _m("detect", "sre", "rates-cache hit ratio dropped from 93% to 48%. Evictions spiking on all six nodes."),
            _m("detect", "support", "{account_name} opened {ticket}: their checkout can't load shipping options "
                                    "intermittently.", "ticket"),
            _m("engage", "ic", "IC. P2 for rates latency in {region}. {eng_first} joining; {tam_first} has comms "
                               "for {account_name}.", "start"),
            _m("engage", "eng", "{version} went out to {region} recently and changed the rate-card key format. "
                                "Hypothesis: an eviction storm while old and new keys coexist. Not confirmed.",
               "hypothesis"),
            _m("engage", "eng", "Memory per cache node is at the limit and eviction is LRU, so hot cards could be "
                                "pushed out by duplicated keys. Still only a hypothesis."),
            _m("engage", "ic", "Mitigation first: scale rates-cache from 6 to 9 nodes. Rolling back {version} is "
                               "possible but it also carries the surcharge fix customers need.", "identified"),
            _m("engage", "sre", "Scaling rates-cache to 9 nodes in {region}. Rebalancing will take a while."),
            _m("engage", "tam", "{account_name} asks whether to reduce the carriers they request. Suggesting the "
                                "workaround from RB-rates-engine-latency."),
            _m("engage", "sre", "Hit ratio back to 81%, p95 3.1 s. Improving."),
            _m("monitor", "sre", "Hit ratio 92%, p95 850 ms, no E-3507 in 30 minutes. Mitigated; moving to "
                                 "monitoring.", "start"),
            _m("monitor", "eng", "Tried to reproduce the eviction storm in staging with the {version} key format: no "
                                 "luck so far. Root cause still unconfirmed."),
            _m("monitor", "sre", "Short latency spike just now: p95 2.4 s for 6 minutes, a few dozen E-3507. "
                                 "Much smaller than the first one."),
            _m("monitor", "eng", "Heap dumps from two cache nodes collected. Not seeing duplicated keys at the volume "
                                 "the hypothesis needs. Could also be the carrier fan-out; Kingfisher removes the "
                                 "fan-out but is nowhere near ready."),
            _m("monitor", "ic", "Staying in monitoring until we have a confirmed cause. Nobody gives the customer a "
                                "root cause yet."),
        ),
    ),
    Scenario(
        key="export-stall", component="bulk-export", priority="P2", code="E-4012", ongoing=False,
        title="Scheduled exports failing with E-4012 in {region}",
        summary="Large scheduled exports in {region} failed with E-4012 EXPORT_CURSOR_EXPIRED after export-svc "
                "{version} shortened the cursor lifetime to 30 minutes; a configuration rollback mitigated it "
                "and {fix_version} made cursor renewal permanent.",
        customer_impact="Nightly exports above roughly 2M rows failed for {account_name} between {started_hm} and "
                        "{mitigated_hm} UTC and had to be re-run.",
        workaround="Split exports into 7-day ranges or raise page_size to 5000.",
        durations={"detect": (20, 45), "engage": (10, 25), "mitigate": (60, 120), "resolve": (600, 1200)},
        ticket_offset=(10, 30),
        ticket_subject="Nightly export failed with E-4012 EXPORT_CURSOR_EXPIRED",
        ticket_body="Our nightly shipments export failed after about 30 minutes with E-4012 EXPORT_CURSOR_EXPIRED, "
                    "starting with the run at {impact_hm} UTC.\n\nEnvironment: API {version}, region {region}."
                    "\n\nLog:\n{logs}\n\nImpact: finance reconciliation is blocked until the file arrives.",
        ticket_logs=(
            "{ts} ERROR export-client job_id=exp_{lineid} code=E-4012 status=failed rows_written={lag}000",
        ),
        symptom_short="failing scheduled exports (error code E-4012)",
        recovery="scheduled exports are completing normally",
        root_cause="export-svc {version} reduced the export cursor lifetime from 2 hours to 30 minutes; exports "
                   "needing longer at the default page size failed with E-4012 when the cursor expired.",
        root_cause_customer="a change in a recent release shortened how long an export may take, so large "
                            "exports stopped part-way. The previous limit was restored and exports now renew "
                            "their position while they are making progress",
        contributing=("Release notes did not mention the cursor lifetime change.",),
        actions=(
            ("Renew export cursors while the job is making progress", "eng", 14, "done"),
            ("Add large-export scenario to the export-svc release tests", "em", 30, "in_progress"),
        ),
        messages=(
            _m("detect", "bot", "[Triggered] export-svc {region}: failed jobs > 20 in 15m (PD #{pd})", "start"),
            _m("detect", "sre", "Ack. Failures are all E-4012 EXPORT_CURSOR_EXPIRED on jobs over ~2M rows."),
            _m("detect", "support", "{account_name} reported a failed nightly export in {ticket}.", "ticket"),
            _m("engage", "ic", "IC. P2: large exports failing in {region}. {eng_first} joining; {tam_first} on "
                               "comms.", "start"),
            _m("engage", "eng", "{version} changed cursor TTL from 2h to 30m. That's it.", "identified"),
            _m("engage", "ic", "Roll the TTL back by config now, code fix after."),
            _m("engage", "sre", "Config change applied to export-runner pods in {region}."),
            _m("mitigate", "sre", "Re-ran three failed jobs; all completed.", "start"),
            _m("mitigate", "eng", "Root cause confirmed: {version} shortened the export cursor lifetime to 30 "
                                  "minutes, so exports needing longer failed with E-4012.", "root_cause"),
            _m("mitigate", "tam", "Asked {account_name} to re-run their export; confirmed received."),
            _m("mitigate", "eng", "{fix_version} renews the cursor while the job makes progress; deploying."),
            _m("mitigate", "sre", "{fix_version} deployed in {region}."),
            _m("resolve", "sre", "Overnight scheduled exports all completed. Resolving.", "start"),
            _m("resolve", "ic", "Resolved. PIR to follow."),
        ),
    ),
)
SCENARIOS_BY_KEY = {s.key: s for s in SCENARIOS}

# --- tickets ------------------------------------------------------------------------------------

PRIORITIES = ("P1", "P2", "P3", "P4")
COMMENT_RANGE = {"P1": (5, 8), "P2": (4, 8), "P3": (3, 6), "P4": (2, 5)}
REGION_UTC_OFFSET_H = {"us-east-1": -5, "eu-west-1": 0, "ap-southeast-2": 10}
OPEN_FROM = datetime(2026, 10, 1, tzinfo=UTC)
_REF = re.compile(r"\[\[ticket:([^\]]+)\]\]")


def ticket_ref(key: str) -> str:
    """A placeholder for a ticket's final id, resolved when the portfolio is written."""
    return f"[[ticket:{key}]]"


def _pick_agent(rng: random.Random, spec: AccountSpec, region: str) -> Person:
    local = [a for a in spec.agents if a in SUPPORT_AGENTS.get(region, [])]
    return rng.choice(local or spec.agents)


def _ticket_context(
    rng: random.Random, spec: AccountSpec, component: str, created: datetime, version: str,
    region: str, requester: Person, agent: Person,
) -> dict[str, Any]:
    carrier = rng.choice(CARRIERS)
    _, host_prefix = SERVICE[component]
    host = f"{rng.randint(1, 24):02d}"
    rs = REGION_SHORT[region]
    return {
        "version": version,
        "fix_version": next_release_after(created.date())[0],
        "region": region,
        "rs": rs,
        "req": "req_" + _hex(rng, 8),
        "req2": "req_" + _hex(rng, 8),
        "req3": "req_" + _hex(rng, 8),
        "trace": _hex(rng, 32),
        "ts": iso_z(created - timedelta(minutes=rng.randint(5, 60))),
        "ts2": iso_z(created + timedelta(minutes=rng.randint(20, 90))),
        "since": hm(created - timedelta(minutes=rng.randint(20, 180))),
        "host": host,
        "host_fqdn": f"{host_prefix}-{host}.prod.{rs}.parcelstream.internal",
        "carrier": carrier,
        "carrier_slug": re.sub(r"[^a-z]", "", carrier.lower()),
        "service": rng.choice(SERVICE_LEVELS),
        "pct": rng.choice((5, 8, 10, 12, 15, 20, 25, 30, 35, 40)),
        "n": rng.choice((240, 380, 450, 600, 750, 900, 1100, 1400)),
        "n2": rng.randint(3, 28),
        "site": rng.choice(SITES[region]),
        "endpoint": ENDPOINT[component],
        "job": "exp_" + _hex(rng, 10),
        "rows": f"{rng.uniform(2.2, 6.5):.1f}M",
        "keyfrag": _hex(rng, 6),
        "trk2": _hex(rng, 6),
        "eng_ticket": f"ENG-{rng.randint(4100, 9800)}",
        "codename": CODENAMES.get(component, rng.choice(GLOBAL_CODENAMES)),
        "first": requester.first,
        "account_name": spec.name,
        "domain": spec.domain,
        "component": component,
        "sdk": rng.choice(SDKS),
        "webhook_url": f"https://hooks.{spec.domain}/parcelstream/events",
        "agent": agent.name,
        "agent_first": agent.first,
    }


def _log_lines(rng: random.Random, templates: tuple[str, ...], ctx: dict[str, Any], before: datetime,
               count: int) -> list[str]:
    t = before - timedelta(minutes=rng.randint(4, 50), seconds=rng.randint(0, 59))
    lines = []
    for _ in range(count):
        local = dict(ctx, ts=iso_z(t), req="req_" + _hex(rng, 8), trace=_hex(rng, 32), lineid=_hex(rng, 6),
                     lag=rng.randint(1500, 4200))
        lines.append(fill(rng.choice(templates), local))
        t += timedelta(seconds=rng.randint(1, 95))
    return lines


def _signature(rng: random.Random, person: Person, spec: AccountSpec) -> str:
    style = rng.random()
    if style < 0.4:
        return f"Thanks,\n{person.first}"
    if style < 0.75:
        title = f"{person.title}, " if person.title else ""
        return f"Regards,\n{person.name}\n{title}{spec.name}"
    return f"Cheers,\n{person.first}"


def _description(rng: random.Random, arch: Archetype, ctx: dict[str, Any], requester: Person,
                 spec: AccountSpec, created: datetime) -> str:
    parts = [rng.choice(CUSTOMER_OPENERS), fill(rng.choice(arch.symptoms), ctx)]
    if arch.kind == "defect":
        parts.append(f"Environment: API {ctx['version']}, region {ctx['region']}, {ctx['sdk']}.")
        if arch.repro and rng.random() < 0.8:
            steps = "\n".join(f"{i}. {fill(s, ctx)}" for i, s in enumerate(arch.repro, 1))
            parts.append("Steps to reproduce:\n" + steps)
        if arch.logs and rng.random() < 0.9:
            lines = _log_lines(rng, arch.logs, ctx, created, rng.randint(1, 3))
            parts.append("Log excerpt:\n" + "\n".join(lines))
        if arch.impacts:
            parts.append("Impact: " + fill(rng.choice(arch.impacts), ctx))
    parts.append(_signature(rng, requester, spec))
    return "\n\n".join(parts)


def _agent_body(agent: Person, first: str, text: str, rng: random.Random) -> str:
    closer = fill(rng.choice(AGENT_CLOSERS), {"agent": agent.name})
    return f"Hi {first},\n\n{text}\n\n{closer}"


def _next_update_line(at: datetime, cadence: int) -> str:
    nxt = at + timedelta(minutes=cadence)
    return f"Next update by {nxt.strftime('%Y-%m-%d %H:%M')} UTC."


def _plan_beats(rng: random.Random, arch: Archetype, priority: str, zendesk: bool, solved: bool) -> list[str]:
    lo, hi = COMMENT_RANGE[priority]
    if arch.kind == "question":
        lo, hi = 2, 4
    n = rng.randint(lo, hi)
    head = ["desc"] if zendesk else []
    head.append("fr")
    tail = ["resolution"] if solved else []
    budget = max(0, n - len(head) - len(tail))
    if arch.kind == "question":
        middle = ["customer"] * min(budget, 1)
        if budget > 1:
            middle.append("update")
        return head + middle + tail
    middle: list[str] = []
    pre_internal = budget > 0 and rng.random() < 0.25
    if pre_internal:
        budget -= 1
    prev = "fr"
    for _ in range(budget):
        if prev in ("fr", "update"):
            nxt = _weighted(rng, ["customer", "internal", "update"], [0.65, 0.27, 0.08])
        elif prev == "customer":
            nxt = _weighted(rng, ["update", "internal"], [0.6, 0.4])
        else:
            nxt = _weighted(rng, ["update", "customer"], [0.7, 0.3])
        middle.append(nxt)
        prev = nxt
    if solved and middle and middle[-1] != "customer" and rng.random() < 0.6:
        middle[-1] = "confirm"
    if pre_internal:
        head = head[:-1] + ["internal", "fr"]
    return head + middle + tail


def _beat_offsets(rng: random.Random, beats: list[str], fr_delay: float, cadence: int,
                  slip: float) -> list[timedelta]:
    """When each beat of a thread happens, relative to ticket creation.

    Public agent updates follow the update cadence (with some slip, so a few miss it); customer
    replies and internal notes fall in between.
    """
    t_fr = _minutes(fr_delay)
    out: list[timedelta] = []
    cursor = timedelta(0)
    last_pub = t_fr
    for i, beat in enumerate(beats):
        if beat == "desc":
            t = timedelta(0)
        elif beat == "fr":
            t = t_fr
        elif beat == "internal" and cursor < t_fr:
            t = _minutes(fr_delay * rng.uniform(0.3, 0.85))
        elif beat == "update":
            t = max(last_pub + _minutes(cadence * rng.uniform(0.45, 1.0 + slip)), cursor + timedelta(minutes=3))
        elif beat in ("customer", "confirm"):
            t = cursor + _minutes(max(4.0, min(cadence, 720) * rng.uniform(0.1, 0.7)))
        elif beat == "internal":
            t = cursor + _minutes(max(3.0, min(cadence, 480) * rng.uniform(0.05, 0.4)))
        elif i and beats[i - 1] == "confirm":  # resolution right after the customer confirms
            t = cursor + _minutes(rng.uniform(10, 240))
        else:  # resolution
            t = max(last_pub + _minutes(cadence * rng.uniform(0.4, 1.0 + slip)), cursor + timedelta(minutes=5))
        t = timedelta(seconds=int(t.total_seconds()))
        if beat in ("fr", "update", "resolution"):
            last_pub = t
        out.append(t)
        cursor = max(cursor, t)
    return out


def build_ticket(
    rng: random.Random, spec: AccountSpec, arch: Archetype, priority: str, created: datetime,
    source: str, want_open: bool | None = None,
) -> TicketSpec:
    """One ticket with a realistic thread, first response and (if solved) a stated root cause."""
    region = spec.region if rng.random() < 0.85 else rng.choice(REGIONS)
    requester = rng.choice(spec.contacts)
    agent = _pick_agent(rng, spec, region)
    lag = spec.version_lag if rng.random() < 0.7 else max(0, spec.version_lag - 1)
    fr_target = spec.first_response_target(priority)
    cadence = spec.cadence(priority)
    breach = rng.random() < spec.breach_rate
    fr_delay = fr_target * (rng.uniform(1.1, 2.6) if breach else rng.uniform(0.15, 0.95))
    latest = min(WINDOW_END, SNAPSHOT - _minutes(fr_delay) - timedelta(minutes=rng.randint(30, 240)))
    if created > latest:
        created = _sec(latest)
    if want_open is None:
        p_open = 0.0
        if created >= OPEN_FROM and priority != "P1":  # generated P1s get solved within hours
            p_open = 0.12 + 0.38 * (created - OPEN_FROM) / (WINDOW_END - OPEN_FROM)
        want_open = rng.random() < p_open
    zendesk = source == "zendesk"
    # Plan the whole thread as if it ran to resolution; an open ticket is one whose thread the
    # snapshot cuts, so it always shows recent activity rather than weeks of silence.
    beats = _plan_beats(rng, arch, priority, zendesk, solved=True)
    offsets = _beat_offsets(rng, beats, fr_delay, cadence, spec.cadence_slip)
    if want_open:
        # created so that the snapshot falls after the first response but before the resolution
        newest = min(latest, SNAPSHOT - offsets[beats.index("fr")] - timedelta(minutes=10))
        oldest = max(OPEN_FROM, SNAPSHOT - offsets[-1])
        if oldest >= newest:
            oldest = newest - timedelta(hours=12)
        created = _sec(oldest + (newest - oldest) * rng.random())
    times = [_sec(created + o) for o in offsets]

    # --- open tickets: keep what happened before the snapshot
    status = "solved"
    if times[-1] > SNAPSHOT:
        want_open = True
    if want_open:
        beats, times = beats[:-1], times[:-1]  # no resolution
        beats = ["customer" if b == "confirm" else b for b in beats]
        keep = [i for i, t in enumerate(times) if t <= SNAPSHOT]
        rest = [i for i, t in enumerate(times) if t > SNAPSHOT]
        beats_kept, times_kept = [beats[i] for i in keep], [times[i] for i in keep]
        if len(beats_kept) < 2:
            nxt = beats[rest[0]] if rest else "customer"
            beats_kept.append(nxt)
            times_kept.append(_sec(times_kept[-1] + (SNAPSHOT - times_kept[-1]) * rng.uniform(0.2, 0.8)))
        beats, times = beats_kept, times_kept
    version = release_for(created.date(), lag)
    ctx = _ticket_context(rng, spec, arch.component, created, version, region, requester, agent)
    ctx["cadence_text"] = _human_minutes(cadence)
    ctx["code"] = arch.code or "these"
    subject = fill(rng.choice(arch.subjects), ctx)
    description = _description(rng, arch, ctx, requester, spec, created)

    # --- text
    comments: list[CommentSpec] = []
    internal_pool = list(arch.internal) + list(INTERNAL_GENERIC)
    rng.shuffle(internal_pool)
    cause_idx = rng.randrange(len(arch.causes)) if arch.causes else 0
    cause, fix = arch.causes[cause_idx] if arch.causes else ("", "")
    # archetype updates describe the first cause; other causes get neutral progress notes
    update_pool = list(arch.updates) if cause_idx == 0 or arch.kind == "question" else list(NEUTRAL_UPDATES)
    follow_pool = list(arch.followups) + list(CUSTOMER_FOLLOWUPS)
    rng.shuffle(follow_pool)
    if arch.kind == "defect":
        follow_pool = list(arch.followups) + [f for f in follow_pool if f not in arch.followups]
    tam_updates = spec.tier in ("strategic", "enterprise") and priority in ("P1", "P2")
    root_cause = ""
    for beat, t in zip(beats, times):
        local = dict(ctx, ts2=iso_z(t - timedelta(minutes=rng.randint(3, 40))), req2="req_" + _hex(rng, 8))
        if beat == "desc":
            comments.append(CommentSpec(requester, t, description, True))
        elif beat == "fr":
            if arch.kind == "question":
                text = fill(update_pool.pop(0) if update_pool else "Here is how this works.", local)
            else:
                lead = fill(rng.choice(AGENT_FR_LEADS), local)
                text = lead + " " + fill(rng.choice(arch.asks), local) if arch.asks else lead
                if priority in ("P1", "P2") and arch.workaround:
                    text += f"\n\nIn the meantime, you can {fill(arch.workaround, local)}."
                if priority in ("P1", "P2"):
                    text += "\n\n" + _next_update_line(t, cadence)
            comments.append(CommentSpec(agent, t, _agent_body(agent, requester.first, text, rng), True))
        elif beat == "internal":
            note = fill(internal_pool.pop(0) if internal_pool else "Still investigating.", local)
            comments.append(CommentSpec(agent, t, note, False))
        elif beat in ("customer", "confirm"):
            who = requester if rng.random() < 0.8 else rng.choice(spec.contacts)
            if beat == "confirm":
                text = fill(rng.choice(CUSTOMER_CONFIRMS), local)
            else:
                text = fill(follow_pool.pop(0) if follow_pool else "Any update?", local)
            comments.append(CommentSpec(who, t, f"{text}\n\n{who.first}", True))
        elif beat == "update":
            author = spec.tam if tam_updates and rng.random() < 0.4 else agent
            if update_pool:
                text = fill(update_pool.pop(0), local)
            else:
                text = ("We're still working through this with engineering and will share findings as soon as we "
                        "have them.")
            if priority in ("P1", "P2"):
                text += "\n\n" + _next_update_line(t, cadence)
            comments.append(CommentSpec(author, t, _agent_body(author, requester.first, text, rng), True))
        else:  # resolution
            fix_name, fix_date = next_release_after(created.date())
            fix_ref = (f"release {fix_name}" if fix_date and fix_date <= t.date()
                       else f"a server-side fix deployed to {region}")
            local["fix_ref"] = fix_ref
            root_cause = fill(cause, local)
            lines = [f"Root cause: {root_cause}."]
            if fix:
                lines.append(f"Fix: {fill(fix, local)}.")
            text = "\n".join(lines) + (
                "\n\nI'm marking this ticket as solved. Reply here if you see it again and it will reopen."
            )
            comments.append(CommentSpec(agent, t, _agent_body(agent, requester.first, text, rng), True))

    if want_open:
        last = beats[-1]
        if last in ("fr", "update"):
            status = "pending" if rng.random() < 0.6 else "open"
        elif last == "internal":
            status = "on_hold" if rng.random() < 0.5 else "open"
        else:
            status = "open"
    elif zendesk and rng.random() < 0.1:
        status = "closed"
    elif not zendesk and rng.random() < 0.15:
        status = "closed"

    tags = [arch.tag]
    if priority in ("P1", "P2") and any(not c.public for c in comments):
        tags.append("escalated")
    return TicketSpec(
        account_id=spec.id, source=source, subject=subject, description=description, priority=priority,
        status=status, created_at=created, requester=requester, assignee=agent, component=arch.component,
        version=version, region=region, type=arch.zd_type, tags=tags, comments=comments,
        resolved_at=None if want_open else times[-1], root_cause=root_cause,
    )


def _pick_archetype(rng: random.Random, spec: AccountSpec, priority: str) -> Archetype:
    p = PRIORITIES.index(priority)
    items = [a for a in ARCHETYPES if a.weights[p] > 0]
    weights = [a.weights[p] * (3.0 if a.component in spec.hot_components else 1.0) for a in items]
    return _weighted(rng, items, weights)


def _pick_created(rng: random.Random, spec: AccountSpec, start: datetime, end: datetime,
                  priority: str) -> datetime:
    u = rng.random()
    if spec.trend == "declining":
        x = 1 - math.sqrt(1 - u)
    elif spec.trend == "rising":
        x = math.sqrt(u)
    else:
        x = u
    day = start + (end - start) * x
    if priority in ("P3", "P4") or rng.random() < 0.6:
        local_hour = rng.uniform(8.0, 17.5)
        day = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
            hours=local_hour - REGION_UTC_OFFSET_H[spec.region])
    return _sec(min(max(day, start), end))


def generate_tickets(rng: random.Random, spec: AccountSpec, count: int | None = None,
                     start: datetime = WINDOW_START, end: datetime = WINDOW_END) -> list[TicketSpec]:
    """The account's everyday ticket flow: volume, severity mix and components follow the spec."""
    count = spec.ticket_count if count is None else count
    sources = list(spec.sources)
    weights = [spec.source_weights.get(s, 1.0) for s in sources]
    tickets = []
    for _ in range(count):
        priority = _weighted(rng, list(PRIORITIES), spec.severity_weights)
        arch = _pick_archetype(rng, spec, priority)
        created = _pick_created(rng, spec, start, end, priority)
        source = _weighted(rng, sources, weights)
        tickets.append(build_ticket(rng, spec, arch, priority, created, source))
    return tickets


def ensure_open_tickets(rng: random.Random, spec: AccountSpec, tickets: list[TicketSpec], priority: str,
                        count: int) -> list[TicketSpec]:
    """Add open tickets of a priority (created in Oct-Nov) until the account has ``count`` of them."""
    have = sum(1 for t in tickets if t.priority == priority and t.is_open)
    added = []
    for _ in range(max(0, count - have)):
        arch = _pick_archetype(rng, spec, priority)
        created = _sec(OPEN_FROM + (WINDOW_END - OPEN_FROM) * rng.uniform(0.55, 0.98))
        source = _weighted(rng, list(spec.sources), [spec.source_weights.get(s, 1.0) for s in spec.sources])
        added.append(build_ticket(rng, spec, arch, priority, created, source, want_open=True))
    return added

# --- incidents ----------------------------------------------------------------------------------


def _slack_ts(rng: random.Random, at: datetime, used: set[str]) -> str:
    while True:
        ts = f"{int(at.timestamp())}.{rng.randint(100, 999899):06d}"
        if ts not in used:
            used.add(ts)
            return ts


def build_incident(
    rng: random.Random,
    spec: AccountSpec,
    scenario_key: str,
    incident_id: str,
    started_at: datetime,
    *,
    durations: dict[str, float] | None = None,
    source: str | None = None,
    channel: str | None = None,
    region: str | None = None,
    carrier: str | None = None,
    second_ticket_source: str | None = None,
    monitor_until: datetime | None = None,
    priority_label: str = "",
) -> tuple[IncidentSpec, list[TicketSpec]]:
    """An incident record, its Slack channel and the customer ticket(s) it relates to.

    Milestones follow the scenario's duration ranges (or ``durations`` in minutes: detect,
    engage, mitigate, resolve). Customer updates on the primary ticket follow the account's
    update cadence for the priority; each one is also noted in the channel by the TAM.
    """
    sc = SCENARIOS_BY_KEY[scenario_key]
    region = region or spec.region
    carrier = carrier or rng.choice(CARRIERS)
    d = {k: float(rng.randint(*v)) if v[1] else 0.0 for k, v in sc.durations.items()}
    d.update(durations or {})
    started = _sec(started_at)
    detected = _sec(started + _minutes(d["detect"]))
    engaged = _sec(detected + _minutes(d["engage"]))
    mitigated = _sec(engaged + _minutes(d["mitigate"]))
    resolved = None if sc.ongoing else _sec(mitigated + _minutes(d["resolve"]))
    end = resolved + timedelta(minutes=90) if resolved else (
        monitor_until or min(SNAPSHOT - timedelta(hours=2), mitigated + timedelta(hours=30)))
    channel = channel or f"inc-{spec.id}-{started:%m%d}"
    source = source or spec.sources[0]
    prio = sc.priority
    cadence = spec.cadence(prio)

    # people
    sre = rng.choice(SRES)
    sre2 = rng.choice([s for s in SRES if s.name != sre.name])
    ic = rng.choice(INCIDENT_COMMANDERS)
    em = rng.choice([m for m in ENG_MANAGERS if m.name != ic.name])
    eng = COMPONENT_ENGINEERS[sc.component]
    tam = spec.tam
    support = _pick_agent(rng, spec, region)
    roles = {"bot": PAGERDUTY, "sre": sre, "sre2": sre2, "ic": ic, "eng": eng, "em": em, "tam": tam,
             "support": support}

    version = release_for(started.date(), 0)
    idx = [r[0] for r in RELEASES].index(version)
    prev_version = RELEASES[max(0, idx - 1)][0]
    major, minor, patch = version.split(".")
    fix_version = f"{major}.{minor}.{int(patch) + 1}"
    requester = spec.contacts[0]
    ticket_key = f"{incident_id}:t1"
    ctx: dict[str, Any] = {
        "region": region, "rs": REGION_SHORT[region], "account_name": spec.name, "carrier": carrier,
        "carrier_slug": re.sub(r"[^a-z]", "", carrier.lower()), "version": version,
        "prev_version": prev_version, "fix_version": fix_version, "cadence": cadence,
        "started_hm": hm(started), "mitigated_hm": hm(mitigated),
        "resolved_hm": hm(resolved) if resolved else "", "detect_min": int(d["detect"]),
        "pd": f"P{rng.randint(1000000, 9999999)}", "pct": rng.choice((20, 25, 30, 35, 40, 45)),
        "site": rng.choice(SITES[region]), "webhook_url": f"https://hooks.{spec.domain}/parcelstream/events",
        "sdk": rng.choice(SDKS), "keyfrag": _hex(rng, 6), "incident_id": incident_id, "channel": channel,
        "ticket": ticket_ref(ticket_key), "started_iso": iso_z(started),
        **{f"{r}_first": p.first for r, p in roles.items()},
    }

    # --- primary customer ticket
    t_created = _sec(started + timedelta(minutes=rng.randint(*sc.ticket_offset)))
    ctx["impact_hm"] = hm(started)
    logs = _log_lines(rng, sc.ticket_logs, dict(ctx), t_created, 2)
    body = fill(sc.ticket_body, dict(ctx, logs="\n".join(logs)))
    description = f"{rng.choice(CUSTOMER_OPENERS)}\n\n{body}\n\n{_signature(rng, requester, spec)}"
    # --- channel messages
    phases: dict[str, tuple[datetime, datetime]] = {
        "detect": (detected, engaged),
        "engage": (engaged, mitigated),
    }
    if resolved:
        phases["mitigate"] = (mitigated, resolved)
        phases["resolve"] = (resolved, resolved + timedelta(minutes=90))
    else:
        phases["monitor"] = (mitigated, end)
    used: set[str] = set()
    messages: list[SlackMessage] = []
    for phase, (p_start, p_end) in phases.items():
        script = [m for m in sc.messages if m.phase == phase]
        span = (p_end - p_start).total_seconds()
        n = len(script)
        for k, m in enumerate(script):
            if "start" in m.flags:
                at = p_start
            else:
                frac = (k + rng.uniform(0.15, 0.85)) / (n + 0.5)
                if span > 4 * 3600:  # long phases: conversation is dense early, sparse later
                    frac = frac ** 2
                at = p_start + timedelta(seconds=span * frac)
            if "ticket" in m.flags:
                at = max(at, t_created + timedelta(minutes=rng.randint(2, 6)))
            at = _sec(at)
            messages.append(SlackMessage(at, roles[m.role], fill(m.text, ctx), flags=m.flags))
    fr_at = _sec(t_created + _minutes(spec.first_response_target(prio) * rng.uniform(0.3, 0.85)))
    zendesk = source == "zendesk"
    fixed = (1 if zendesk else 0) + 1 + 1 + 1 + (1 if resolved else 0)  # desc, fr, internal, mitigated, final
    budget = 8 - fixed
    followup = budget >= 3
    max_updates = budget - (1 if followup else 0)

    ident_at = next((m.at for m in messages if "identified" in m.flags), None)

    def state_at(t: datetime) -> str:
        return "identified" if ident_at and t >= ident_at else "investigating"

    # The TAM's updates start once the incident is engaged, then follow the account's cadence.
    update_times: list[datetime] = []
    t = _sec(max(fr_at + _minutes(cadence * rng.uniform(0.75, 0.98)),
                 engaged + timedelta(minutes=rng.randint(6, 15))))
    while len(update_times) < max_updates and t < mitigated:
        update_times.append(t)
        t = _sec(t + _minutes(cadence * rng.uniform(0.75, 0.98)))
    mitigated_update = _sec(mitigated + timedelta(minutes=rng.randint(5, 14)))
    monitor_updates: list[datetime] = []
    if not resolved:
        t = mitigated_update
        spare = max_updates - len(update_times)
        while len(monitor_updates) < spare:
            t = _sec(t + _minutes(cadence * rng.uniform(0.8, 0.98)))
            if t > end:
                break
            monitor_updates.append(t)
    final_update = _sec(resolved + timedelta(minutes=rng.randint(10, 35))) if resolved else None

    comments: list[CommentSpec] = []
    if zendesk:
        comments.append(CommentSpec(requester, t_created, description, True))
    symptom = fill(sc.symptom_short, ctx)
    wk = fill(sc.workaround, ctx)
    fr_text = (f"Thank you for reporting this. We are investigating {symptom} in {region} with high priority "
               f"and have engaged our engineering team. Workaround: {wk}\n\n{_next_update_line(fr_at, cadence)}")
    comments.append(CommentSpec(support, fr_at, _agent_body(support, requester.first, fr_text, rng), True))
    note_at = _sec(max(engaged, fr_at) + timedelta(minutes=rng.randint(2, 8)))
    comments.append(CommentSpec(support, note_at, f"Linked to {incident_id} (#{channel}). IC is {ic.name}; "
                                f"{tam.name} owns customer comms. Internal updates go in the channel, not here.",
                                False))
    if followup and update_times:
        fu_at = _sec(fr_at + (update_times[0] - fr_at) * rng.uniform(0.3, 0.8))
        comments.append(CommentSpec(rng.choice(spec.contacts), fu_at,
                                    f"Still affected on our side. The {ctx['site']} is holding work until this "
                                    f"is fixed. Is there anything we should change in the meantime?", True))
    slack_notes: list[tuple[datetime, str]] = []
    for i, at in enumerate(update_times, 1):
        if state_at(at) == "identified":
            text = (f"Update: we have identified the area causing {symptom} and are applying a mitigation. "
                    f"We don't yet have a confirmed time for recovery. Workaround: {wk}")
        else:
            text = (f"Update: we are still investigating {symptom} in {region}. Engineering, SRE and support "
                    f"are engaged. Workaround: {wk}")
        text += "\n\n" + _next_update_line(at, cadence)
        comments.append(CommentSpec(tam, at, _agent_body(tam, requester.first, text, rng), True))
        slack_notes.append((at, f"Customer update #{i} posted on {ctx['ticket']} ({state_at(at)}). Next one due "
                                f"{(at + timedelta(minutes=cadence)).strftime('%H:%M')} UTC."))
    rec = fill(sc.recovery, ctx)
    if resolved:
        mt = (f"Update: a mitigation was applied at {hm(mitigated)} UTC and {rec}. We are monitoring closely "
              f"before closing the incident.\n\n{_next_update_line(mitigated_update, cadence)}")
    else:
        mt = (f"Update: a mitigation was applied at {hm(mitigated)} UTC and {rec}. The underlying cause is "
              f"still under investigation, so we are keeping the incident open and monitoring.\n\n"
              f"{_next_update_line(mitigated_update, cadence)}")
    comments.append(CommentSpec(tam, mitigated_update, _agent_body(tam, requester.first, mt, rng), True))
    slack_notes.append((mitigated_update, f"Customer told mitigation is in place, monitoring. Posted on "
                                          f"{ctx['ticket']}."))
    monitor_texts = [
        "Update: the service has remained stable since the mitigation. We saw one short latency spike, much "
        "smaller than the original impact, and are tracking it. The root cause is not yet confirmed.",
        "Update: no change in the last period: performance is within the normal range. Engineering is still "
        "testing possible causes; we will share the root cause once it is confirmed.",
        "Update: the incident remains in monitoring. Performance is normal and the investigation into the "
        "cause continues; we'll keep the incident open until it is confirmed.",
    ]
    for i, at in enumerate(monitor_updates):
        text = f"{monitor_texts[i % len(monitor_texts)]}\n\n{_next_update_line(at, cadence)}"
        comments.append(CommentSpec(tam, at, _agent_body(tam, requester.first, text, rng), True))
        slack_notes.append((at, f"Monitoring update posted on {ctx['ticket']}. No root cause shared."))
    if final_update:
        rc = fill(sc.root_cause_customer, ctx)
        text = (f"This incident is resolved as of {hm(resolved)} UTC on {resolved:%Y-%m-%d}.\n\nRoot cause: {rc}."
                f"\n\nA post-incident review with the timeline and corrective actions will follow. I'm marking "
                f"this ticket as solved.")
        comments.append(CommentSpec(tam, final_update, _agent_body(tam, requester.first, text, rng), True))
        slack_notes.append((final_update, f"Resolution posted to {spec.name} on {ctx['ticket']}; PIR promised."))
    comments.sort(key=lambda c: c.created_at)
    last_update = max(c.created_at for c in comments if c.public and c.author.is_agent)
    ticket = TicketSpec(
        account_id=spec.id, source=source, subject=fill(sc.ticket_subject, ctx), description=description,
        priority=prio, status="solved" if resolved else "open", created_at=t_created, requester=requester,
        assignee=support, component=sc.component, version=version, region=region, type="incident",
        tags=["incident", "escalated"], comments=comments, resolved_at=final_update,
        root_cause=fill(sc.root_cause, ctx) if resolved else "", key=ticket_key,
    )
    tickets = [ticket]

    if second_ticket_source:
        other = spec.contacts[1 % len(spec.contacts)]
        t2 = _sec(t_created + timedelta(minutes=rng.randint(15, 45)))
        fr2 = _sec(t2 + _minutes(spec.first_response_target("P2") * rng.uniform(0.2, 0.7)))
        key2 = f"{incident_id}:t2"
        c2 = [
            CommentSpec(support, fr2, _agent_body(support, other.first,
                        f"Thanks for flagging this. It is part of an ongoing incident ({symptom}); "
                        f"all updates are being posted on {ctx['ticket']}, which your colleague "
                        f"{requester.name} opened. I'll keep this ticket linked.", rng), True),
            CommentSpec(support, _sec(fr2 + timedelta(minutes=3)), f"Duplicate of {ctx['ticket']} / {incident_id}.",
                        False),
        ]
        if resolved:
            c2.append(CommentSpec(tam, _sec(final_update + timedelta(minutes=6)), _agent_body(
                tam, other.first, f"The incident is resolved.\n\nRoot cause: as described on {ctx['ticket']} "
                                  f"(incident {incident_id}); the post-incident review will follow there. Closing "
                                  f"this one as a duplicate.", rng), True))
        desc2 = (f"Hi,\n\nWe're seeing {symptom} from our {ctx['site']} integration too, since about "
                 f"{hm(started)} UTC. Is this related to what {requester.first} reported?\n\n"
                 f"{_signature(rng, other, spec)}")
        if second_ticket_source == "zendesk":
            c2.insert(0, CommentSpec(other, t2, desc2, True))
        tickets.append(TicketSpec(
            account_id=spec.id, source=second_ticket_source, subject=f"Also seeing {symptom}",
            description=desc2, priority="P2", status="solved" if resolved else "open", created_at=t2,
            requester=other, assignee=support, component=sc.component, version=version, region=region,
            type="incident", tags=["incident", "duplicate"], comments=c2,
            resolved_at=c2[-1].created_at if resolved else None, key=key2,
        ))

    for at, text in slack_notes:
        if at <= end:
            messages.append(SlackMessage(_sec(at + timedelta(seconds=rng.randint(20, 90))), tam, text))
    messages.sort(key=lambda m: (m.at, m.author.name))
    for m in messages:
        m.ts = _slack_ts(rng, m.at, used)

    def msg_with(flag: str) -> SlackMessage | None:
        return next((m for m in messages if flag in m.flags), None)

    ident = msg_with("identified")
    rc_msg = msg_with("root_cause") or msg_with("hypothesis")
    status_events = [
        {"at": _sec(detected + timedelta(minutes=rng.randint(3, 8))), "status": "investigating",
         "text": f"We are investigating {symptom} in {region}."},
    ]
    if ident:
        status_events.append({"at": ident.at, "status": "identified",
                              "text": f"The cause of {symptom} has been identified and a mitigation is in progress."})
    status_events.append({"at": mitigated, "status": "monitoring",
                          "text": f"A mitigation has been applied and {rec}. We are monitoring."})
    if resolved:
        status_events.append({"at": resolved, "status": "resolved", "text": "This incident has been resolved."})
    due_base = (resolved or mitigated).date()
    actions = []
    for i, (action, role, days, status) in enumerate(sc.actions, 1):
        due = due_base + timedelta(days=days)
        if due > SNAPSHOT.date() and status == "done":
            status = "in_progress"
        actions.append({"id": f"CA-{i}", "action": fill(action, ctx), "owner": roles[role].name, "due": due,
                        "status": status})
    incident = IncidentSpec(
        id=incident_id, account_id=spec.id, title=fill(sc.title, ctx), priority=prio,
        status="resolved" if resolved else "monitoring", channel=channel, summary=fill(sc.summary, ctx),
        customer_impact=fill(sc.customer_impact, ctx), workaround=wk, started_at=started, detected_at=detected,
        engaged_at=engaged, mitigated_at=mitigated, resolved_at=resolved, last_customer_update_at=last_update,
        related=tickets,
        root_cause={
            "status": "confirmed" if resolved else "unconfirmed",
            "summary": fill(sc.root_cause, ctx),
            "source": f"slack:{channel}:{rc_msg.ts}" if rc_msg else "",
        },
        contributing_factors=[fill(c, ctx) for c in sc.contributing], corrective_actions=actions,
        status_events=status_events, messages=messages, component=sc.component, region=region,
        priority_label=priority_label,
    )
    if channel not in spec.slack_channels:
        spec.slack_channels.append(channel)
    return incident, tickets

# --- ids ------------------------------------------------------------------------------------------


def _stable_int(text: str, digits: int) -> int:
    h = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)
    return 10 ** (digits - 1) + h % (9 * 10 ** (digits - 1))


def _stable_code(prefix: str, text: str, length: int = 9) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    h = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)
    out = []
    for _ in range(length):
        h, r = divmod(h, len(alphabet))
        out.append(alphabet[r])
    return prefix + "".join(out)


def assign_ticket_ids(rng: random.Random, accounts: list[AccountSpec], tickets: list[TicketSpec]) -> None:
    """Give every ticket its native id, in creation order per system (idempotent)."""
    todo = [t for t in tickets if not t.native_id]
    order = lambda t: (t.created_at, t.account_id, t.subject)  # noqa: E731
    by_id = {a.id: a for a in accounts}
    # Zendesk: one instance, ids sequential over time across all organisations.
    taken = {int(t.native_id) for t in tickets if t.source == "zendesk" and t.native_id}
    n = max(taken, default=4000 + rng.randint(50, 400))
    for t in sorted((t for t in todo if t.source == "zendesk"), key=order):
        n += rng.randint(1, 4)
        t.native_id, t.record_id = str(n), f"ZD-{n}"
    # Jira: one project per account.
    for acc in accounts:
        items = sorted((t for t in todo if t.source == "jira" and t.account_id == acc.id), key=order)
        if not items:
            continue
        if not acc.jira_key:
            raise ValueError(f"account {acc.id} has Jira tickets but no jira_key")
        k = rng.randint(40, 400)
        for t in items:
            k += rng.randint(1, 3)
            t.native_id = t.record_id = f"{acc.jira_key}-{k}"
    # CSV: ServiceNow-style numbers from one global sequence; spreadsheet ids per account.
    snow = sorted((t for t in todo if t.source == "csv" and by_id[t.account_id].csv_style == "servicenow"),
                  key=order)
    n = 31000 + rng.randint(0, 900)
    for t in snow:
        n += rng.randint(1, 25)
        t.native_id = t.record_id = f"INC{n:07d}"
    for acc in accounts:
        if acc.csv_style != "sheet":
            continue
        items = sorted((t for t in todo if t.source == "csv" and t.account_id == acc.id), key=order)
        k = rng.randint(1000, 1900)
        for t in items:
            k += 1
            t.native_id = t.record_id = f"{acc.short}-{k}"
    ids = [t.record_id for t in tickets]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate ticket ids assigned")


def resolve_refs(value: Any, key_map: dict[str, str]) -> Any:
    """Replace [[ticket:KEY]] placeholders (recursively) with final ticket ids."""
    if isinstance(value, str):
        if "[[" not in value:
            return value

        def sub(m: re.Match[str]) -> str:
            if m.group(1) not in key_map:
                raise KeyError(f"unknown ticket reference {m.group(0)}")
            return key_map[m.group(1)]

        return _REF.sub(sub, value)
    if isinstance(value, list):
        return [resolve_refs(v, key_map) for v in value]
    if isinstance(value, dict):
        return {k: resolve_refs(v, key_map) for k, v in value.items()}
    return value


# --- writers ------------------------------------------------------------------------------------


def pretty_json(doc: Any) -> str:
    """Byte-for-byte ``json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)``, about twice as
    fast (the stdlib falls back to its pure-Python encoder whenever ``indent`` is set)."""
    out: list[str] = []
    app = out.append
    esc = json.encoder.encode_basestring  # type: ignore[attr-defined]

    def enc(o: Any, ind: str) -> None:
        if isinstance(o, str):
            app(esc(o))
        elif o is None:
            app("null")
        elif o is True:
            app("true")
        elif o is False:
            app("false")
        elif isinstance(o, int):
            app(int.__repr__(o))
        elif isinstance(o, float):
            app(float.__repr__(o))
        elif isinstance(o, dict):
            if not o:
                app("{}")
                return
            inner = ind + "  "
            sep = "{\n" + inner
            for k in sorted(o):
                app(sep)
                sep = ",\n" + inner
                app(esc(k))
                app(": ")
                enc(o[k], inner)
            app("\n" + ind + "}")
        elif isinstance(o, (list, tuple)):
            if not o:
                app("[]")
                return
            inner = ind + "  "
            sep = "[\n" + inner
            for v in o:
                app(sep)
                sep = ",\n" + inner
                enc(v, inner)
            app("\n" + ind + "]")
        else:
            raise TypeError(f"cannot serialise {type(o).__name__}")

    enc(doc, "")
    return "".join(out)


def _dump_json(path: Path, doc: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(pretty_json(doc) + "\n", encoding="utf-8")


# libyaml's emitter is ~5x faster and produces the same bytes for these documents.
class _YamlDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:  # no &id001 anchors for repeated values
        return True


def _repr_datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", iso_z(value))


_YamlDumper.add_representer(datetime, _repr_datetime)


def _dump_yaml(path: Path, doc: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(doc, Dumper=_YamlDumper, sort_keys=False, allow_unicode=True, width=110,
                     default_flow_style=False)
    path.write_text(text, encoding="utf-8")


def plan_document(spec: AccountSpec) -> dict[str, Any]:
    """The account plan in the YAML shape of docs/formats.md."""
    mappings: dict[str, Any] = {
        "zendesk_organization_ids": [spec.zendesk_org_id] if spec.zendesk_org_id else [],
        "jira_project_keys": [spec.jira_key] if spec.jira_key and "jira" in spec.sources else [],
        "csv_customer_names": [spec.csv_customer] if spec.csv_customer and "csv" in spec.sources else [],
        "slack_channels": sorted(spec.slack_channels),
    }
    return {
        "account": {
            "id": spec.id, "name": spec.name, "aliases": list(spec.aliases), "email_domains": [spec.domain],
            "industry": spec.industry, "region": spec.region, "health": spec.health,
        },
        "contract": {
            "arr": spec.arr, "currency": spec.currency, "tier": spec.tier, "start_date": spec.start_date,
            "renewal_date": spec.renewal_date, "renewal_stage": spec.renewal_stage,
        },
        "sla": spec.sla_policy(),
        "severity_policy": spec.severity_policy or severity_policy_for_tier(spec.tier),
        "mappings": mappings,
        "stakeholders": list(spec.stakeholders),
        "objectives": list(spec.objectives),
        "value_realization": list(spec.value_realization),
        "risks": list(spec.risks),
        "whitespace": list(spec.whitespace),
        "success_plan": list(spec.success_plan),
        "roadmap": list(spec.roadmap),
        "internal_codenames": list(spec.internal_codenames),
    }


def _zendesk_user_id(p: Person) -> int:
    return _stable_int("zendesk-user:" + p.email, 11)


class IdCounter:
    """Sequential ids for one system (comment ids, issue ids), shared across accounts."""

    def __init__(self, start: int) -> None:
        self.value = start

    def next(self, step: int = 1) -> int:
        self.value += step
        return self.value


def zendesk_document(spec: AccountSpec, tickets: list[TicketSpec], key_map: dict[str, str],
                     comment_ids: IdCounter | None = None) -> dict[str, Any]:
    """The side-loaded Zendesk export for one organisation."""
    prio = {"P1": "urgent", "P2": "high", "P3": "normal", "P4": "low"}
    status = {"new": "new", "open": "open", "pending": "pending", "on_hold": "hold", "solved": "solved",
              "closed": "closed"}
    users: dict[int, dict[str, Any]] = {}
    comment_ids = comment_ids or IdCounter(18_200_000_000)

    def uid(p: Person) -> int:
        i = _zendesk_user_id(p)
        role = "end-user" if not p.is_agent else ("admin" if p in SUPPORT_LEADS else "agent")
        users[i] = {"id": i, "name": p.name, "email": p.email, "role": role,
                    "organization_id": spec.zendesk_org_id if not p.is_agent else None}
        return i

    out, comments = [], {}
    for t in sorted(tickets, key=lambda t: int(t.native_id)):
        version_tag = f"v{t.version}" if spec.zendesk_version_tag == "v" else f"version:{t.version}"
        tags = sorted({f"component:{t.component}", version_tag, f"region:{t.region}", *t.tags})
        via = "web" if t.priority in ("P3", "P4") else ("email" if len(t.comments) % 2 else "web")
        out.append({
            "id": int(t.native_id),
            "url": f"https://parcelstream.zendesk.example/api/v2/tickets/{t.native_id}.json",
            "subject": resolve_refs(t.subject, key_map),
            "description": resolve_refs(t.description, key_map),
            "priority": prio[t.priority],
            "status": status[t.status],
            "type": t.type,
            "tags": tags,
            "organization_id": spec.zendesk_org_id,
            "requester_id": uid(t.requester),
            "submitter_id": uid(t.requester),
            "assignee_id": uid(t.assignee) if t.assignee else None,
            "created_at": iso_z(t.created_at),
            "updated_at": iso_z(t.updated_at),
            "via": {"channel": via},
            "custom_fields": [{"id": 360004817231, "value": spec.tier}],
        })
        thread = []
        for c in sorted(t.comments, key=lambda c: c.created_at):
            cid = comment_ids.next(7)
            thread.append({"id": cid, "type": "Comment", "author_id": uid(c.author),
                           "body": resolve_refs(c.body, key_map), "public": c.public,
                           "created_at": iso_z(c.created_at)})
        comments[t.native_id] = thread
    return {
        "tickets": out,
        "users": [users[k] for k in sorted(users)],
        "organizations": [{"id": spec.zendesk_org_id, "name": spec.name, "domain_names": [spec.domain]}],
        "comments": comments,
    }


_LOGLINE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
_STEP = re.compile(r"^\d+\. ")


def _adf_text(text: str) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            nodes.append({"type": "hardBreak"})
        if line:
            nodes.append({"type": "text", "text": line})
    return nodes


def to_adf(text: str) -> dict[str, Any]:
    """Plain text -> Atlassian Document Format (paragraphs, numbered steps, log lines as code)."""
    content: list[dict[str, Any]] = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        head, rest = lines[0], lines[1:]
        if rest and head.endswith(":") and all(_LOGLINE.match(x) for x in rest):
            content.append({"type": "paragraph", "content": _adf_text(head)})
            content.append({"type": "codeBlock", "attrs": {"language": "text"},
                            "content": [{"type": "text", "text": "\n".join(rest)}]})
        elif rest and head.endswith(":") and all(_STEP.match(x) for x in rest):
            content.append({"type": "paragraph", "content": _adf_text(head)})
            content.append({"type": "orderedList", "content": [
                {"type": "listItem", "content": [
                    {"type": "paragraph", "content": _adf_text(_STEP.sub("", x, count=1))}]}
                for x in rest]})
        elif all(_LOGLINE.match(x) for x in lines):
            content.append({"type": "codeBlock", "attrs": {"language": "text"},
                            "content": [{"type": "text", "text": block}]})
        else:
            content.append({"type": "paragraph", "content": _adf_text(block)})
    return {"type": "doc", "version": 1, "content": content}


JIRA_PRIORITY = {
    "standard": {"P1": "Highest", "P2": "High", "P3": "Medium", "P4": "Low"},
    "classic": {"P1": "Blocker", "P2": "Critical", "P3": "Major", "P4": "Minor"},
    "sev": {"P1": "Sev1", "P2": "Sev2", "P3": "Sev3", "P4": "Sev4"},
}


def _jira_user(p: Person) -> dict[str, Any]:
    return {"accountId": hashlib.sha256(p.email.encode()).hexdigest()[:24], "displayName": p.name,
            "emailAddress": p.email}


def jira_document(spec: AccountSpec, tickets: list[TicketSpec], key_map: dict[str, str],
                  issue_ids: IdCounter | None = None, comment_ids: IdCounter | None = None) -> dict[str, Any]:
    """The body of GET /rest/api/3/search for the account's project."""
    body = to_adf if spec.jira_adf else (lambda s: s)
    issue_ids = issue_ids or IdCounter(10000)
    comment_ids = comment_ids or IdCounter(100000)
    issues = []
    for t in sorted(tickets, key=lambda t: int(t.native_id.split("-")[1])):
        number = int(t.native_id.split("-")[1])
        last_customer = t.comments and not sorted(t.comments, key=lambda c: c.created_at)[-1].author.is_agent
        status = {
            "new": "Open", "open": "Open" if last_customer else "In Progress", "pending": "Waiting for customer",
            "on_hold": "In Progress", "solved": "Resolved" if spec.jira_priority_style != "classic" else "Done",
            "closed": "Closed",
        }[t.status]
        comments = []
        for c in sorted(t.comments, key=lambda c: c.created_at):
            comments.append({
                "id": str(comment_ids.next(3)),
                "author": _jira_user(c.author), "body": body(resolve_refs(c.body, key_map)),
                "created": iso_jira(c.created_at), "updated": iso_jira(c.created_at), "jsdPublic": c.public,
            })
        issue_id = str(issue_ids.next())
        issues.append({
            "id": issue_id,
            "key": t.native_id,
            "self": f"https://support.{VENDOR_DOMAIN}/rest/api/3/issue/{issue_id}",
            "fields": {
                "summary": resolve_refs(t.subject, key_map),
                "description": body(resolve_refs(t.description, key_map)),
                "issuetype": {"name": {"question": "Question", "task": "Task"}.get(t.type, "Bug")},
                "project": {"key": spec.jira_key, "name": f"{spec.name} Support"},
                "priority": {"name": JIRA_PRIORITY[spec.jira_priority_style][t.priority]},
                "status": {"name": status},
                "resolution": {"name": "Done"} if t.resolved_at else None,
                "created": iso_jira(t.created_at),
                "updated": iso_jira(t.updated_at),
                "resolutiondate": iso_jira(t.resolved_at) if t.resolved_at else None,
                "labels": sorted({f"region:{t.region}", *t.tags}),
                "components": [{"name": t.component}],
                "versions": [{"name": t.version}],
                "reporter": _jira_user(t.requester),
                "assignee": _jira_user(t.assignee) if t.assignee else None,
                "comment": {"comments": comments, "maxResults": len(comments), "total": len(comments),
                            "startAt": 0},
            },
            "_sort": number,
        })
    for i in issues:
        i.pop("_sort")
    return {"expand": "names,schema", "startAt": 0, "maxResults": max(50, len(issues)), "total": len(issues),
            "issues": issues}


CSV_TICKET_HEADER = ["ticket_id", "customer", "subject", "description", "priority", "status", "created_at",
                     "updated_at", "resolved_at", "component", "version", "region", "requester", "assignee", "tags"]
CSV_COMMENT_HEADER = ["ticket_id", "comment_id", "author", "author_role", "public", "created_at", "body"]
CSV_PRIORITY = {
    "servicenow": {"P1": "1 - Critical", "P2": "2 - High", "P3": "3 - Moderate", "P4": "4 - Low"},
    "sheet": {"P1": "P1", "P2": "P2", "P3": "P3", "P4": "P4"},
}
CSV_STATUS = {"new": "New", "open": "In Progress", "pending": "Pending", "on_hold": "On Hold",
              "solved": "Resolved", "closed": "Closed"}


def csv_documents(spec: AccountSpec, tickets: list[TicketSpec], key_map: dict[str, str],
                  comment_ids: IdCounter | None = None) -> tuple[str, str]:
    """(tickets.csv, comments.csv) text for one account. Comment ids are numeric, as in an export."""
    comment_ids = comment_ids or IdCounter(700000)
    off = spec.csv_utc_offset_minutes
    tbuf, cbuf = io.StringIO(), io.StringIO()
    tw = csv.writer(tbuf, lineterminator="\n")
    cw = csv.writer(cbuf, lineterminator="\n")
    tw.writerow(CSV_TICKET_HEADER)
    cw.writerow(CSV_COMMENT_HEADER)
    for t in sorted(tickets, key=lambda t: t.native_id):
        tw.writerow([
            t.native_id, spec.csv_customer, resolve_refs(t.subject, key_map),
            resolve_refs(t.description, key_map), CSV_PRIORITY[spec.csv_style][t.priority], CSV_STATUS[t.status],
            iso_offset(t.created_at, off), iso_offset(t.updated_at, off),
            iso_offset(t.resolved_at, off) if t.resolved_at else "", t.component, t.version, t.region,
            t.requester.name, t.assignee.name if t.assignee else "", ";".join(sorted(t.tags)),
        ])
        for c in sorted(t.comments, key=lambda c: c.created_at):
            cw.writerow([
                t.native_id, str(comment_ids.next(3)), c.author.name, "agent" if c.author.is_agent else "customer",
                "true" if c.public else "false", iso_offset(c.created_at, off), resolve_refs(c.body, key_map),
            ])
    return tbuf.getvalue(), cbuf.getvalue()


def _slack_user_id(p: Person) -> str:
    return _stable_code("U0", "slack:" + p.email)


def _handle(p: Person) -> str:
    return p.email.split("@")[0]


def slack_documents(incidents: list[IncidentSpec], key_map: dict[str, str]) -> tuple[list, list, dict]:
    """(channels.json, users.json, {channel: {day: [messages]}})."""
    people = {p.email: p for p in all_staff()}
    people[PAGERDUTY.email] = PAGERDUTY
    for inc in incidents:
        for m in inc.messages:
            people.setdefault(m.author.email, m.author)
    users = []
    for p in sorted(people.values(), key=lambda p: _slack_user_id(p)):
        users.append({
            "id": _slack_user_id(p), "team_id": "T0PARCELS1", "name": _handle(p), "real_name": p.name,
            "deleted": False, "is_bot": p.role == "bot", "tz": "Etc/UTC",
            "profile": {"real_name": p.name, "display_name": p.first if p.role != "bot" else "PagerDuty",
                        "title": p.title, "email": p.email},
        })
    channels, days = [], {}
    for inc in sorted(incidents, key=lambda i: i.channel):
        members = sorted({_slack_user_id(m.author) for m in inc.messages})
        first = inc.messages[0]
        creator = next((m.author for m in inc.messages if m.author.role != "bot"), first.author)
        channels.append({
            "id": _stable_code("C0", "slack-channel:" + inc.channel),
            "name": inc.channel,
            "created": int(first.at.timestamp()),
            "creator": _slack_user_id(creator),
            "is_archived": inc.status == "resolved",
            "is_general": False,
            "members": members,
            "topic": {"value": f"{inc.id} | {inc.priority} | {inc.title}", "creator": _slack_user_id(creator),
                      "last_set": int(first.at.timestamp())},
            "purpose": {"value": f"Incident channel for {inc.id}", "creator": _slack_user_id(creator),
                        "last_set": int(first.at.timestamp())},
        })
        per_day: dict[str, list] = {}
        for m in inc.messages:
            msg: dict[str, Any] = {
                "type": "message", "user": _slack_user_id(m.author), "text": resolve_refs(m.text, key_map),
                "ts": m.ts, "team": "T0PARCELS1",
                "user_profile": {"real_name": m.author.name, "display_name": m.author.first
                                 if m.author.role != "bot" else "PagerDuty", "name": _handle(m.author)},
            }
            if m.author.role == "bot":
                msg["bot_id"] = "B0PAGERDTY"
            per_day.setdefault(m.at.strftime("%Y-%m-%d"), []).append(msg)
        days[inc.channel] = per_day
    return channels, users, days


def incident_document(inc: IncidentSpec, key_map: dict[str, str]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": inc.id, "account": inc.account_id, "title": inc.title,
        "priority": inc.priority_label or inc.priority, "status": inc.status, "channel": inc.channel,
        "summary": inc.summary, "customer_impact": inc.customer_impact, "workaround": inc.workaround,
        "started_at": inc.started_at, "detected_at": inc.detected_at, "engaged_at": inc.engaged_at,
    }
    if inc.mitigated_at:
        doc["mitigated_at"] = inc.mitigated_at
    if inc.resolved_at:
        doc["resolved_at"] = inc.resolved_at
    if inc.last_customer_update_at:
        doc["last_customer_update_at"] = inc.last_customer_update_at
    doc["related_tickets"] = [t.record_id for t in inc.related]
    doc["root_cause"] = dict(inc.root_cause)
    doc["contributing_factors"] = list(inc.contributing_factors)
    doc["corrective_actions"] = list(inc.corrective_actions)
    doc["status_events"] = list(inc.status_events)
    return {"incident": resolve_refs(doc, key_map)}


def runbook_markdown(rb: RunbookSpec) -> str:
    front = {"id": rb.id, "title": rb.title, "component": rb.component, "product": PRODUCT,
             "tags": list(rb.tags)}
    if not rb.component:
        front.pop("component")
    head = yaml.dump(front, Dumper=_YamlDumper, sort_keys=False, allow_unicode=True, width=110,
                     default_flow_style=None)
    body = "\n\n".join(f"## {h}\n\n{text}" for h, text in rb.sections)
    return f"---\n{head}---\n\n# {rb.title}\n\n{body}\n"


def write_runbooks(out_dir: Path) -> int:
    folder = out_dir / "runbooks"
    folder.mkdir(parents=True, exist_ok=True)
    for rb in RUNBOOKS:
        (folder / f"{rb.id[3:]}.md").write_text(runbook_markdown(rb), encoding="utf-8")
    return len(RUNBOOKS)


def write_portfolio(out_dir: Path, portfolio: Portfolio, rng: random.Random) -> dict[str, Any]:
    """Assign ids, resolve references and write every file of the portfolio. Returns counts."""
    out_dir = Path(out_dir)
    accounts, tickets, incidents = portfolio.accounts, portfolio.tickets, portfolio.incidents
    assign_ticket_ids(rng, accounts, tickets)
    key_map = {t.key: t.record_id for t in tickets if t.key}
    by_account: dict[str, list[TicketSpec]] = {}
    for t in tickets:
        by_account.setdefault(t.account_id, []).append(t)
    counts: dict[str, Any] = {"accounts": len(accounts), "plans": 0, "tickets": 0, "comments": 0,
                              "tickets_by_source": {"zendesk": 0, "jira": 0, "csv": 0}, "incidents": 0,
                              "slack_channels": 0, "slack_messages": 0, "runbooks": 0}
    zd_comments, jira_issues, jira_comments = IdCounter(18_200_000_000), IdCounter(10000), IdCounter(100000)
    csv_comments = IdCounter(700000)
    for acc in sorted(accounts, key=lambda a: a.id):
        plan = resolve_refs(plan_document(acc), key_map)
        _dump_yaml(out_dir / "plans" / f"{acc.id}.yaml", plan)
        counts["plans"] += 1
        mine = by_account.get(acc.id, [])
        zd = [t for t in mine if t.source == "zendesk"]
        if zd:
            _dump_json(out_dir / "zendesk" / f"tickets-{acc.id}.json",
                       zendesk_document(acc, zd, key_map, zd_comments))
        jr = [t for t in mine if t.source == "jira"]
        if jr:
            _dump_json(out_dir / "jira" / f"{acc.jira_key}-search.json",
                       jira_document(acc, jr, key_map, jira_issues, jira_comments))
        cs = [t for t in mine if t.source == "csv"]
        if cs:
            ttext, ctext = csv_documents(acc, cs, key_map, csv_comments)
            (out_dir / "csv").mkdir(parents=True, exist_ok=True)
            (out_dir / "csv" / f"tickets-{acc.id}.csv").write_text(ttext, encoding="utf-8")
            (out_dir / "csv" / f"comments-{acc.id}.csv").write_text(ctext, encoding="utf-8")
        for t in mine:
            counts["tickets"] += 1
            counts["comments"] += len(t.comments)
            counts["tickets_by_source"][t.source] += 1
    for inc in incidents:
        _dump_yaml(out_dir / "incidents" / f"{inc.id}.yaml", incident_document(inc, key_map))
        counts["incidents"] += 1
    if incidents:
        channels, users, days = slack_documents(incidents, key_map)
        _dump_json(out_dir / "slack" / "channels.json", channels)
        _dump_json(out_dir / "slack" / "users.json", users)
        for channel, per_day in days.items():
            for day, msgs in per_day.items():
                _dump_json(out_dir / "slack" / channel / f"{day}.json", msgs)
                counts["slack_messages"] += len(msgs)
        counts["slack_channels"] = len(channels)
    counts["runbooks"] = write_runbooks(out_dir)
    return counts

# --- random accounts (generate-portfolio) -------------------------------------------------------

NAME_PREFIXES = (
    "Apex", "Birchwood", "Cobalt", "Driftwood", "Ember", "Fjordline", "Granite", "Helix", "Ironbark", "Juniper",
    "Keystone", "Lumen", "Maplewood", "Northgate", "Orchid", "Pioneer", "Quarry", "Redwood", "Summit",
    "Timberline", "Unity", "Vantage", "Willowbrook", "Yarrow", "Zephyr", "Amberly", "Bramble", "Canyon",
    "Dovetail", "Evergreen", "Foxglove", "Goldcrest", "Hollowell", "Inkwell", "Jetty", "Kingsbridge",
)
NAME_SUFFIXES = (
    ("Logistics", "Logistics"), ("Freight", "Logistics"), ("Retail", "Retail"), ("Supply Co", "Wholesale"),
    ("Outfitters", "Retail"), ("Foods", "Food & beverage"), ("Pharma", "Healthcare distribution"),
    ("Home", "Home goods e-commerce"), ("Electronics", "Consumer electronics"),
    ("Marketplace", "Online marketplace"), ("Apparel", "Fashion e-commerce"), ("Distribution", "Wholesale"),
)
FIRST_NAMES = (
    "Alex", "Bianca", "Callum", "Dana", "Elena", "Felix", "Gemma", "Hugo", "Isla", "Jonas", "Keira", "Leon",
    "Mira", "Nico", "Olga", "Pedro", "Quinn", "Rosa", "Soren", "Tara", "Umar", "Vera", "Wes", "Xena", "Yara",
    "Zane", "Amir", "Beth", "Cyrus", "Delia", "Emil", "Fern", "Gideon", "Hana", "Ivo", "Jade",
)
LAST_NAMES = (
    "Abbott", "Brennan", "Castillo", "Dalton", "Eriksen", "Fairley", "Galloway", "Hartman", "Ingram", "Jansen",
    "Kowalski", "Lindgren", "Moreau", "Nakamura", "Oduya", "Pereira", "Quinlan", "Rasmussen", "Salazar",
    "Thorne", "Ulrich", "Vasquez", "Whitaker", "Yilmaz", "Zeller", "Ashby", "Benedetti", "Carrow", "Draper",
)
STAKEHOLDER_ROLES = (
    # seniority, buying role, function, titles
    ("executive", "economic_buyer", "executive", ("CTO", "COO", "VP Operations", "Chief Digital Officer")),
    ("director", "champion", "engineering",
     ("Director of Platform Engineering", "Head of Logistics Technology", "Director of E-commerce Operations")),
    ("manager", "technical_buyer", "engineering", ("Engineering Manager", "Integration Lead", "IT Manager")),
    ("individual", "user", "engineering", ("Senior Developer", "Integration Engineer", "Site Reliability Engineer")),
    ("manager", "influencer", "finance", ("Finance Controller", "FP&A Manager")),
    ("manager", "influencer", "procurement", ("Procurement Manager", "Vendor Manager")),
)
VALUE_TEMPLATES = (
    ("label-api", "Label creation p95 latency cut from {b} ms to {c} ms", "p95 label latency", "{b} ms", "{c} ms",
     (900, 1400), (240, 420)),
    ("tracking-ingest", "Tracking event freshness improved from {b} to {c} minutes at p95",
     "tracking freshness p95", "{b} min", "{c} min", (35, 60), (4, 9)),
    ("rates-engine", "Checkout rate-quote p95 reduced from {b} ms to {c} ms", "rate quote p95", "{b} ms",
     "{c} ms", (1500, 2600), (500, 800)),
    ("webhooks", "Order-status sync moved from polling to webhooks; status lag from {b} minutes to {c} seconds",
     "status lag", "{b} min", "{c} s", (10, 20), (3, 9)),
    ("bulk-export", "Monthly carrier-invoice reconciliation cut from {b} days to {c} days",
     "reconciliation time", "{b} days", "{c} days", (5, 9), (1, 2)),
    ("label-api", "Failed deliveries from bad addresses down from {b}% to {c}%", "failed-delivery rate",
     "{b}%", "{c}%", (3, 5), (1, 2)),
    ("api-gateway", "New carrier onboarding time cut from {b} weeks to {c} days", "carrier onboarding time",
     "{b} weeks", "{c} days", (5, 8), (7, 12)),
    ("sso", "Dashboard access provisioning automated via SCIM: from {b} days to {c} hours",
     "provisioning time", "{b} days", "{c} hours", (2, 5), (1, 4)),
)
RISK_TEMPLATES = (
    ("Repeat {component} incidents erode confidence", "medium", "high",
     "Share PIR corrective-action progress monthly"),
    ("Integration still on an old API version", "medium", "medium", "Joint upgrade plan with their engineering team"),
    ("No executive sponsor engaged this half", "medium", "high", "Executive business review before renewal"),
    ("Peak-season volume above tested capacity", "low", "high", "Capacity reservation and load test in Q4"),
    ("Budget pressure on renewal", "medium", "medium", "Value review with quantified outcomes"),
)
SUCCESS_TEMPLATES = (
    ("Upgrade all integrations to 5.3.x", "customer"),
    ("Peak-season readiness review and load test", "tam"),
    ("Enable webhooks for tracking updates", "customer"),
    ("Quarterly business review with executive sponsor", "tam"),
    ("Close open corrective actions from this year's incidents", "tam"),
    ("Adopt address validation for all sites", "customer"),
)
ROADMAP_LINES = (
    "Regional failover for label creation (in design; no date committed)",
    "Streaming exports for very large date ranges (planned)",
    "Rates engine v2 with per-carrier fallbacks (exploration)",
    "Customs documents for more destinations (planned)",
    "Webhook delivery dashboard with replay history (planned)",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WHITESPACE = ("Analytics add-on", "Returns API", "Address validation for all sites", "Premium support",
              "Additional region (ap-southeast-2)", "SSO + SCIM")


def _person(rng: random.Random, used: set[str], domain: str, title: str) -> Person:
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in used:
            used.add(name)
            break
    email = f"{name.lower().replace(' ', '.')}@{domain}"
    return Person(name=name, email=email, role="customer", title=title)


def _random_account(rng: random.Random, index: int, name: str, industry: str, used_keys: set[str]) -> AccountSpec:
    acc_id = slugify(name)[:40].strip("-")
    words = [w for w in re.split(r"[^A-Za-z]+", name) if w]
    short = "".join(w[0] for w in words).upper()
    if len(short) < 3:
        short = (words[0][:3]).upper()
    base, k = short, 1
    while short in used_keys:
        k += 1
        short = f"{base}{k}"
    used_keys.add(short)
    domain = slugify(name).replace("-", "") + ".example"
    tier = _weighted(rng, ["strategic", "enterprise", "growth", "standard"], [0.1, 0.3, 0.35, 0.25])
    health = _weighted(rng, ["green", "yellow", "red"], [0.55, 0.3, 0.15])
    region = _weighted(rng, list(REGIONS), [0.45, 0.35, 0.2])
    arr_range = {"strategic": (900_000, 2_400_000), "enterprise": (350_000, 900_000),
                 "growth": (90_000, 350_000), "standard": (20_000, 90_000)}[tier]
    arr = round(rng.randint(*arr_range), -3)
    renewal = date(2026, 12, 1) + timedelta(days=rng.randint(0, 395))
    start = date(renewal.year - rng.randint(1, 3), renewal.month, 1)
    counts = {"strategic": (30, 60), "enterprise": (20, 45), "growth": (10, 30), "standard": (5, 18)}[tier]
    sources = [_weighted(rng, ["zendesk", "jira", "csv"], [0.45, 0.3, 0.25])]
    if rng.random() < 0.15:
        sources.append(rng.choice([s for s in ("zendesk", "jira", "csv") if s != sources[0]]))
    p1 = rng.uniform(0.01, 0.08)
    p2 = rng.uniform(0.1, 0.25)
    p3 = rng.uniform(0.4, 0.55)
    used_names: set[str] = set()
    stakeholders: list[dict[str, Any]] = []
    contacts: list[Person] = []
    champion_left = rng.random() < 0.12
    for seniority, role, function, titles in STAKEHOLDER_ROLES:
        if function == "finance" and rng.random() < 0.45:
            continue
        if function == "procurement" and rng.random() < 0.5:
            continue
        if function == "executive" and rng.random() < 0.15:
            continue
        p = _person(rng, used_names, domain, rng.choice(titles))
        entry: dict[str, Any] = {
            "name": p.name, "title": p.title, "email": p.email, "function": function, "seniority": seniority,
            "buying_role": role, "relationship_strength": rng.randint(2, 5),
            "sentiment": _weighted(rng, ["positive", "neutral", "negative", "unknown"], [0.4, 0.35, 0.1, 0.15]),
        }
        if role == "champion" and champion_left:
            entry.update(status="left", left_on=date(2026, rng.randint(7, 10), rng.randint(1, 28)),
                         sentiment="unknown", relationship_strength=1)
        else:
            if function in ("engineering",):
                contacts.append(p)
        stakeholders.append(entry)
    while len(contacts) < 2:
        contacts.append(_person(rng, used_names, domain, rng.choice(("Developer", "Operations Analyst"))))
    tam = TAMS[index % len(TAMS)]
    ae = ACCOUNT_EXECS[index % len(ACCOUNT_EXECS)]
    stakeholders.append({"name": tam.name, "title": tam.title, "email": tam.email, "function": "support",
                         "seniority": "manager", "buying_role": "none", "relationship_strength": 4,
                         "sentiment": "positive", "internal": True})
    stakeholders.append({"name": ae.name, "title": ae.title, "email": ae.email, "function": "sales",
                         "seniority": "manager", "buying_role": "none", "relationship_strength": 3,
                         "sentiment": "neutral", "internal": True})
    hot = rng.sample(list(COMPONENTS), 3)
    values = []
    for i, (comp, outcome, metric, b_tpl, c_tpl, b_rng, c_rng) in enumerate(
            rng.sample(VALUE_TEMPLATES, rng.randint(1, 3)), 1):
        b, c = rng.randint(*b_rng), rng.randint(*c_rng)
        achieved = date(2026, rng.randint(4, 9), rng.randint(1, 28))
        values.append({"id": f"V{i}", "outcome": outcome.format(b=b, c=c), "metric": metric,
                       "baseline": b_tpl.format(b=b), "current": c_tpl.format(c=c), "achieved_on": achieved,
                       "evidence": f"Monthly service review, {MONTHS[achieved.month - 1]} 2026"})
    risks = []
    for i, (title, like, imp, mit) in enumerate(rng.sample(RISK_TEMPLATES, rng.randint(1, 3)), 1):
        risks.append({"id": f"R{i}", "title": title.format(component=hot[0]), "likelihood": like, "impact": imp,
                      "mitigation": mit, "owner": tam.name, "status": rng.choice(["open", "mitigating"])})
    if champion_left:
        risks.append({"id": f"R{len(risks) + 1}", "title": "Champion left the company", "likelihood": "high",
                      "impact": "high", "mitigation": "Identify and develop a new technical champion",
                      "owner": tam.name, "status": "open"})
    success = []
    for i, (item, owner) in enumerate(rng.sample(SUCCESS_TEMPLATES, rng.randint(2, 3)), 1):
        success.append({"id": f"S{i}", "item": item, "owner": tam.name if owner == "tam" else contacts[0].name,
                        "due": date(2026, rng.randint(11, 12), rng.randint(1, 28)),
                        "status": rng.choice(["planned", "in_progress"]), "quarter": "2026Q4"})
    return AccountSpec(
        id=acc_id, name=name, short=short, domain=domain, industry=industry, region=region, health=health,
        tier=tier, arr=arr, start_date=start, renewal_date=renewal,
        renewal_stage=rng.choice(["not started", "value review scheduled", "commercial review", "verbal commit"]),
        tam=tam, account_exec=ae, agents=SUPPORT_AGENTS[region] + SUPPORT_AGENTS["us-east-1"][:1],
        contacts=contacts, stakeholders=stakeholders, aliases=[words[0]], sources=sources,
        zendesk_org_id=360000 + 101 * (index + 1) if "zendesk" in sources else None,
        zendesk_version_tag=rng.choice(["v", "version:"]),
        jira_key=short if "jira" in sources else None,
        jira_priority_style=rng.choice(["standard", "classic", "sev"]), jira_adf=rng.random() < 0.7,
        csv_customer=name if "csv" in sources else None, csv_style=rng.choice(["servicenow", "sheet"]),
        csv_utc_offset_minutes=600 if region == "ap-southeast-2" and rng.random() < 0.5 else 0,
        ticket_count=rng.randint(*counts), severity_weights=(p1, p2, p3, max(0.05, 1 - p1 - p2 - p3)),
        breach_rate=rng.uniform(0.04, 0.25), cadence_slip=rng.uniform(0.05, 0.35), hot_components=hot,
        trend=_weighted(rng, ["flat", "declining", "rising"], [0.6, 0.2, 0.2]), version_lag=rng.randint(0, 2),
        objectives=[f"Keep {hot[0]} incidents below one per quarter", "Complete the 5.3.x upgrade"],
        value_realization=values, risks=risks, whitespace=rng.sample(WHITESPACE, 2), success_plan=success,
        roadmap=rng.sample(ROADMAP_LINES, 2), internal_codenames=list(GLOBAL_CODENAMES),
    )


def generate_accounts(rng: random.Random, count: int) -> list[AccountSpec]:
    combos = [(p, s) for p in NAME_PREFIXES for s in NAME_SUFFIXES]
    if count > len(combos):
        raise ValueError(f"at most {len(combos)} accounts can be generated")
    picked = rng.sample(combos, count)
    used_keys: set[str] = set()
    return [_random_account(rng, i, f"{p} {s}", industry, used_keys) for i, (p, (s, industry)) in enumerate(picked)]


def generate_portfolio(out_dir: Path, accounts: int, seed: int) -> dict[str, Any]:
    """Write a synthetic portfolio of ``accounts`` accounts to ``out_dir``; returns counts.

    Deterministic: the same (accounts, seed) always produces byte-identical files.
    """
    if accounts < 1:
        raise ValueError("accounts must be at least 1")
    rng = random.Random(seed)
    specs = generate_accounts(rng, accounts)
    tickets: list[TicketSpec] = []
    incidents: list[IncidentSpec] = []
    seq = 2000
    for spec in specs:
        arng = random.Random(f"{seed}:{spec.id}")
        tickets += generate_tickets(arng, spec)
        n_inc = {"green": (0, 1), "yellow": (0, 2), "red": (1, 3)}[spec.health]
        used_days: set[date] = set()
        for _ in range(arng.randint(*n_inc)):
            seq += 1
            if arng.random() < 0.12:
                key = "rates-latency"
                started = datetime(2026, 11, arng.randint(12, 14), arng.randint(8, 16), arng.randint(0, 59),
                                   tzinfo=UTC)
            else:
                key = arng.choice(["label-504", "webhook-lag", "tracking-cert", "export-stall"])
                started = datetime(2026, arng.randint(2, 10), arng.randint(1, 28), arng.randint(0, 20),
                                   arng.randint(0, 59), tzinfo=UTC)
            if started.date() in used_days:
                continue
            used_days.add(started.date())
            inc, related = build_incident(arng, spec, key, f"INC-2026-{seq:04d}", started)
            incidents.append(inc)
            tickets += related
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return write_portfolio(out, Portfolio(specs, tickets, incidents), rng)
