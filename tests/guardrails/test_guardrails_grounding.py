"""Grounding: every fact atom matches the draft's facts and sources."""

from __future__ import annotations

import pytest
from guardrail_drafts import BRIEF, UPDATE
from guardrail_helpers import run_one, spans
from guardrail_records import ctx_for


def test_clean_brief_is_grounded(check_one) -> None:
    _, findings = check_one("grounding", "escalation_brief", BRIEF)
    assert findings == []


@pytest.mark.parametrize(
    "old, new, flagged",
    [
        ("ZD-101 (P2, open)", "ZD-110 (P2, open)", "ZD-110"),  # ticket id swapped
        ("opened 2026-08-20 10:00 UTC", "opened 2026-08-20 10:17 UTC", "2026-08-20 10:17 UTC"),  # timestamp shifted
        ("About 120 users", "About 150 users", "150"),  # number changed
        ("; 35% of requests", "; 45% of requests", "45%"),  # percentage changed
        ("- Version: 5.2.1", "- Version: 5.2.2", "5.2.2"),  # version changed
        ("Request ID: `req_8f2a91c3`", "Request ID: `req_8f2a91c4`", "req_8f2a91c4"),
        ("UTC — Dana Reyes: 35%", "UTC — Dana Rivera: 35%", "Dana Rivera"),  # person name
        ("every 4h 00m", "every 3h 00m", "3h 00m"),  # duration
    ],
)
def test_each_mutated_atom_is_blocked_at_its_span(check_one, old: str, new: str, flagged: str) -> None:
    assert old in BRIEF
    md, findings = check_one("grounding", "escalation_brief", BRIEF.replace(old, new, 1))
    assert spans(md, findings, "block") == [flagged]


@pytest.mark.parametrize("equivalent", ["10:50 AM UTC", "12:50 CEST", "2026-08-20T10:50Z"])
def test_other_spellings_of_a_sourced_time_are_grounded(check_one, equivalent: str) -> None:
    md = BRIEF.replace("- 2026-08-20 10:50 UTC — Dana Reyes", f"- {equivalent} — Dana Reyes")
    _, findings = check_one("grounding", "escalation_brief", md)
    assert findings == []


def test_facts_carried_in_a_draft_never_ground_a_value() -> None:
    """Issue 12: editing ``facts`` in a draft JSON made blocking findings vanish. The facts are
    recomputed from the records; the draft's own are display data."""
    md = UPDATE.replace("2026-08-20 15:00 UTC", "2026-08-20 14:00 UTC")
    md = md.replace("about 120 users", "about 98,765 users")
    tampered = {"as_of": "2026-08-20T11:00:00Z", "next_update_at": "2026-08-20T14:00:00Z", "affected_users": 98765}
    for facts in ({}, tampered):
        md, findings = run_one("grounding", "incident_update", md, "INC-2026-0820", facts)
        assert "98,765" in spans(md, findings, "block"), facts
    # the recomputed facts are the records' own: the next update is 11:00 + the P2 cadence
    ctx = ctx_for("incident_update", UPDATE, "INC-2026-0820", tampered)
    assert ctx.facts["next_update_at"].startswith("2026-08-20T15:00")
    assert "affected_users" not in ctx.facts


def test_values_derived_from_records_ground_hand_written_drafts(check_one) -> None:
    # no facts: the next update (last customer update 11:00 + the P2 cadence of 4h) is recomputed
    _, findings = check_one("grounding", "incident_update", UPDATE, "INC-2026-0820", {})
    assert findings == []


def test_atoms_of_records_the_draft_did_not_use_are_not_grounded(check_one) -> None:
    # ZD-103 is a real acme ticket, but the brief on ZD-101 was not built from it
    md, findings = check_one("grounding", "escalation_brief", BRIEF.replace("Label API timeouts. [", "see ZD-103. ["))
    assert spans(md, findings) == ["ZD-103"]
