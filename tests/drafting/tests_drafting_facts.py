"""Ready-made draft requests built from the hand-made records (for backend tests)."""

from __future__ import annotations

from drafting_records import at, incident, plan

from copilot.drafting.base import DraftRequest
from copilot.facts.update import update_facts

__all__ = ["update_request"]


def update_request(passages: list | None = None) -> DraftRequest:
    facts = update_facts(plan(), incident(), at("2026-08-12 10:00"), [plan()])
    return DraftRequest(kind="incident_update", account_id="acme", subject_id="INC-2026-0412",
                        title="Incident update: Label API returning 504", facts=facts.model_dump(mode="json"),
                        passages=passages or [])
