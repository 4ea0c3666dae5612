"""Claims bound to their subject: priority, status and severity in words are compared with the
record the sentence names (ZD-101 is P2/open, ZD-103 is P3/open, INC-2026-0820 is P2/investigating
in tests/guardrails/guardrail_records.py), never with a value found elsewhere in the account."""

from __future__ import annotations

import pytest
from guardrail_drafts import BRIEF, UPDATE
from guardrail_helpers import run_one, spans


def _claims(md: str, kind: str = "escalation_brief", subject: str = "ZD-101") -> list[str]:
    md, findings = run_one("claims", kind, md, subject)
    return spans(md, [f for f in findings if f.severity == "block"])


def test_the_clean_drafts_make_no_false_claim() -> None:
    assert _claims(BRIEF) == []
    assert _claims(UPDATE, "incident_update", "INC-2026-0820") == []


@pytest.mark.parametrize(
    "old, new, flagged",
    [
        ("ZD-101 (P2, open)", "ZD-101 (P1, open)", "P1"),  # P1 exists elsewhere in the account
        ("ZD-101 (P2, open)", "ZD-101 (P2, solved)", "solved"),
        ("ZD-101 (P2, open)", "ZD-101 (Sev 3, open)", "Sev 3"),
        ("Label API timeouts. [", "Label API timeouts; ZD-101 is now resolved. [", "resolved"),
        ("Label API timeouts. [", "Label API timeouts, a minor degradation. [", "minor degradation"),
    ],
)
def test_a_wrong_value_about_the_named_record_is_blocked(old: str, new: str, flagged: str) -> None:
    assert old in BRIEF
    assert _claims(BRIEF.replace(old, new, 1)) == [flagged]


@pytest.mark.parametrize(
    "sentence",
    [
        "ZD-101 was opened as P3 and raised to P2.",  # history the sentence marks
        "This is not a minor degradation.",  # negated
        'The customer wrote "minor degradation only" at first.',  # quoted
        "Compare ZD-103 (P3), which is still open.",  # another record's own priority and status
    ],
)
def test_history_negation_quotes_and_other_records_are_not_false_claims(sentence: str) -> None:
    md = BRIEF.replace("## Impact\n\n", f"## Impact\n\n- {sentence} [source: ZD-101]\n")
    assert _claims(md) == []


def test_a_timestamped_entry_tells_what_was_true_then() -> None:
    md = BRIEF.replace("- 2026-08-20 10:00 UTC — Ticket opened as P2", "- 2026-08-20 10:00 UTC — ZD-101 (open) opened as P2")
    assert _claims(md) == []


def test_the_update_downplaying_its_incident_is_blocked() -> None:
    md = UPDATE.replace("about 120 users see timeouts", "a minor slowdown affects about 120 users")
    assert _claims(md, "incident_update", "INC-2026-0820") == ["minor slowdown"]
