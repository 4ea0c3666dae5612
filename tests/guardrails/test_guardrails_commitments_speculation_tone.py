"""Commitments, speculation and tone."""

from __future__ import annotations

import pytest
from guardrail_drafts import BRIEF, PIR, UPDATE, UPDATE_FACTS
from guardrail_helpers import spans

SLOT = "Our engineering team is engaged and investigating."


def update(text: str) -> str:
    return UPDATE.replace(SLOT, text)


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("We fixed it and this will never happen again.", "will never happen again"),
        ("We guarantee full availability from now on.", "We guarantee"),
        ("We expect the fix to be deployed by 2026-08-21 18:00 UTC.", "2026-08-21 18:00 UTC"),
        ("The fix will ship within 2 hours.", "within 2 hours"),
        ("Service will be fully restored by end of day.", "by end of day"),
        ("We will issue a service credit for this month.", "service credit"),
    ],
)
def test_unconfirmed_commitments_block(check_one, text: str, flagged: str) -> None:
    md, findings = check_one("commitments", "incident_update", update(text), "INC-2026-0820", UPDATE_FACTS)
    assert spans(md, findings, "block") == [flagged]


@pytest.mark.parametrize(
    "text",
    [
        "We cannot give a time for the fix yet.",
        "We do not have an ETA for the fix yet.",
        "We will keep investigating and share what we learn.",
    ],
)
def test_honest_statements_pass(check_one, text: str) -> None:
    _, findings = check_one("commitments", "incident_update", update(text), "INC-2026-0820", UPDATE_FACTS)
    assert findings == []


def test_due_dates_from_the_record_are_confirmed(check_one) -> None:
    md = PIR.replace("status done [source", "the fix will be in place by 2026-05-15 [source")
    _, findings = check_one("commitments", "pir_timeline", md, "INC-2026-0412")
    assert findings == []


def test_internal_briefs_only_warn_on_guarantees_and_ignore_etas(check_one) -> None:
    md = BRIEF.replace("Label API timeouts.", "Label API timeouts. This will never happen again. The fix ships early next week.")
    md, findings = check_one("commitments", "escalation_brief", md)
    assert [(f.severity, md[slice(*f.span)]) for f in findings] == [("warn", "will never happen again")]


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("The root cause was connection pool exhaustion.", "root cause was"),
        ("The timeouts were caused by the gateway pool.", "were caused by"),
        ("Engineering has identified the root cause: the gateway.", "Engineering has identified the root cause"),
    ],
)
def test_unconfirmed_root_cause_stated_as_fact_blocks(check_one, text: str, flagged: str) -> None:
    md, findings = check_one("speculation", "incident_update", update(text), "INC-2026-0820", UPDATE_FACTS)
    assert spans(md, findings, "block") == [flagged]


@pytest.mark.parametrize(
    "text",
    [
        "We suspect the root cause is connection pool exhaustion, but it is not confirmed.",
        "Unconfirmed: connection pool exhaustion may be the cause.",
        "The root cause is still under investigation.",
    ],
)
def test_hedged_causes_pass(check_one, text: str) -> None:
    _, findings = check_one("speculation", "incident_update", update(text), "INC-2026-0820", UPDATE_FACTS)
    assert findings == []


def test_confirmed_root_cause_may_be_stated(check_one) -> None:
    _, findings = check_one("speculation", "pir_timeline", PIR, "INC-2026-0412")
    assert findings == []


def test_brief_hypothesis_restated_as_fact_blocks(check_one) -> None:
    md = BRIEF.replace(
        "- Unconfirmed: connection pool exhaustion on the label gateway",
        "- Connection pool exhaustion on the label gateway is the cause",
    )
    md, findings = check_one("speculation", "escalation_brief", md)
    assert spans(md, findings, "block") == ["Connection pool exhaustion on the label gateway"]


@pytest.mark.parametrize(
    "text, flagged, severity",
    [
        ("The errors were caused by your team misconfiguring the gateway.", "caused by your", "block"),
        ("This was the database team's fault.", "the database team's fault", "block"),
        ("Bluejay handled the failover.", "Bluejay", "block"),
        ("Apologies. We are sorry. We deeply apologize for this.", "apologize", "warn"),
    ],
)
def test_tone_in_customer_drafts(check_one, text: str, flagged: str, severity: str) -> None:
    md, findings = check_one("tone", "incident_update", update(text), "INC-2026-0820", UPDATE_FACTS)
    assert flagged in spans(md, findings, severity)


def test_blame_only_warns_in_internal_briefs_and_codenames_are_fine(check_one) -> None:
    md = BRIEF.replace("Label API timeouts.", "Caused by your team misconfiguring Bluejay.")
    md, findings = check_one("tone", "escalation_brief", md)
    assert [f.severity for f in findings] == ["warn"] and spans(md, findings) == ["Caused by your"]
