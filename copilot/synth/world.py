"""The product world every synthetic portfolio lives in: *Parcelstream*, a B2B shipping API.

Components, regions, releases, carriers, sites and the SLA each contract tier buys. All people,
companies, carriers, e-mail addresses and domains are fictional (``*.example``).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

__all__ = [
    "CARRIERS",
    "CODENAMES",
    "COMPONENTS",
    "ENDPOINT",
    "GLOBAL_CODENAMES",
    "NEXT_UNRELEASED",
    "PRODUCT",
    "REGIONS",
    "REGION_SHORT",
    "RELEASES",
    "SDKS",
    "SERVICE",
    "SERVICE_LEVELS",
    "SITES",
    "SNAPSHOT",
    "TIER_SLA",
    "UTC",
    "VENDOR",
    "VENDOR_DOMAIN",
    "WINDOW_END",
    "WINDOW_START",
    "next_release_after",
    "release_for",
    "severity_policy_for_tier",
    "sla_for_tier",
]

UTC = timezone.utc

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


def release_for(day: date, lag: int = 0) -> str:
    """The newest release on ``day``, or the one ``lag`` releases before it."""
    idx = 0
    for i, (_, rel) in enumerate(RELEASES):
        if rel <= day:
            idx = i
    return RELEASES[max(0, idx - lag)][0]


def next_release_after(day: date) -> tuple[str, date | None]:
    """The first release after ``day`` and its date (``None`` for the not yet released one)."""
    for name, rel in RELEASES:
        if rel > day:
            return name, rel
    return NEXT_UNRELEASED, None

