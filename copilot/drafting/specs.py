"""One ``ArtifactSpec`` per kind of draft: its sections, audience, title, retrieval query and facts.

Adding an artifact kind is one entry here, a fact builder in ``copilot/facts/`` and a template in
``copilot/prompts/<kind>/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from copilot.errors import InvalidInput
from copilot.records.source import RecordSource, require
from copilot.search.passage import Search

__all__ = ["SPECS", "ArtifactSpec", "Subject", "spec_for"]

Audience = Literal["internal", "customer"]


@dataclass(frozen=True, slots=True)
class Subject:
    """What the facts builder found: the facts, and where the draft belongs."""

    facts: Any  # a pydantic model from copilot.facts
    account_id: str
    subject_id: str
    title: str
    query: str  # what to retrieve passages with, for backends that read them


Builder = Callable[[RecordSource, Search, str, "datetime | None", "str | None"], Subject]


@dataclass(frozen=True, slots=True)
class ArtifactSpec:
    kind: str
    short: str  # the CLI's word: brief, update, pir, qbr
    audience: Audience
    sections: tuple[tuple[str, str], ...]  # (name, title) in order
    build: Builder


def _brief(source: RecordSource, search: Search, ticket_id: str, as_of: datetime | None, _q: str | None) -> Subject:
    from copilot.facts.brief import build_brief_facts, runbook_query

    facts = build_brief_facts(source, search, ticket_id, as_of)
    ticket = require(source.ticket(ticket_id), "ticket", ticket_id)
    return Subject(facts, ticket.account_id, ticket.id, f"Escalation brief: {ticket.id} {ticket.subject}",
                   runbook_query(ticket))


def _update(source: RecordSource, _s: Search, incident_id: str, as_of: datetime | None, _q: str | None) -> Subject:
    from copilot.facts.update import build_update_facts

    facts = build_update_facts(source, incident_id, as_of)
    return Subject(facts, facts.account_id, incident_id, f"Incident update: {facts.title}",
                   f"{incident_id} {facts.title} status update workaround")


def _pir(source: RecordSource, _s: Search, incident_id: str, as_of: datetime | None, _q: str | None) -> Subject:
    from copilot.facts.pir import build_pir_facts

    facts = build_pir_facts(source, incident_id, as_of)
    return Subject(facts, facts.account_id, incident_id, f"Post-incident review: {facts.title} ({incident_id})",
                   f"{incident_id} {facts.title} root cause timeline")


def _qbr(source: RecordSource, _s: Search, account_id: str, as_of: datetime | None, quarter: str | None) -> Subject:
    from copilot.facts.qbr import build_qbr_facts

    if not quarter:
        raise InvalidInput("a QBR needs --quarter, e.g. --quarter 2026Q3")
    facts = build_qbr_facts(source, account_id, quarter, as_of)
    return Subject(facts, account_id, f"{account_id}:{facts.quarter}",
                   f"Quarterly business review: {facts.account_name}, {facts.quarter}",
                   f"{facts.account_name} {facts.quarter} outcomes value issues risks")


SPECS: dict[str, ArtifactSpec] = {spec.kind: spec for spec in (
    ArtifactSpec("escalation_brief", "brief", "internal", (
        ("summary", "Summary"), ("impact", "Impact"), ("severity", "Severity"), ("environment", "Environment"),
        ("reproduction", "Reproduction"), ("evidence", "Evidence"), ("timeline", "Timeline"),
        ("hypotheses", "Hypotheses"), ("next_steps", "Next steps"), ("related", "Related"),
        ("comms_plan", "Comms plan")), _brief),
    ArtifactSpec("incident_update", "update", "customer", (
        ("known", "What we know"), ("unknown", "What we don't know yet"), ("actions", "What we are doing"),
        ("workaround", "Workaround"), ("next_update", "Next update")), _update),
    ArtifactSpec("pir_timeline", "pir", "customer", (
        ("timeline", "Timeline"), ("durations", "Durations"), ("root_cause", "Root cause"),
        ("contributing_factors", "Contributing factors"), ("corrective_actions", "Corrective actions")), _pir),
    ArtifactSpec("qbr_narrative", "qbr", "customer", (
        ("value_delivered", "Value delivered"), ("service_performance", "Service performance"),
        ("top_issues", "Top issues"), ("risks", "Risks"), ("success_plan", "Success plan"),
        ("renewal", "Renewal")), _qbr),
)}


def spec_for(kind: str) -> ArtifactSpec:
    """The spec for a kind name or its short CLI word (``brief``, ``update``, ``pir``, ``qbr``)."""
    for spec in SPECS.values():
        if kind in (spec.kind, spec.short):
            return spec
    raise InvalidInput(f"unknown draft kind {kind!r}; use one of: " + ", ".join(s.short for s in SPECS.values()))
