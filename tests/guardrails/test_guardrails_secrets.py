"""Secrets and personal data by audience."""

from __future__ import annotations

import pytest
from guardrail_drafts import BRIEF, UPDATE, UPDATE_FACTS
from guardrail_helpers import spans

from copilot.records.secrets import find_secrets, luhn_ok, redact

SLOT = "Our engineering team is engaged and investigating."


@pytest.mark.parametrize(
    "text, flagged, kind",
    [
        ("Key sk_live_51HxYzAbCdEfGhIjKlMn was rotated.", "sk_live_51HxYzAbCdEfGhIjKlMn", "api_key"),
        ("Use AKIAIOSFODNN7EXAMPLE.", "AKIAIOSFODNN7EXAMPLE", "api_key"),
        ("Token ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked.", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "token"),
        ("Header Authorization: Bearer abcdefghijklmnop1234567890.", "abcdefghijklmnop1234567890", "token"),
        ("Login with password=Hunter2!", "Hunter2!", "password"),
        ("Card 4111 1111 1111 1111 was charged.", "4111 1111 1111 1111", "card_number"),
    ],
)
def test_credentials_block_in_every_audience(check_one, text: str, flagged: str, kind: str) -> None:
    for kind_, md0, subject, facts in (
        ("incident_update", UPDATE, "INC-2026-0820", UPDATE_FACTS),
        ("escalation_brief", BRIEF, "ZD-101", {}),
    ):
        slot = SLOT if kind_ == "incident_update" else "Label API timeouts."
        md, findings = check_one("secrets", kind_, md0.replace(slot, text, 1), subject, facts)
        assert spans(md, findings, "block") == [flagged]
        assert findings[0].evidence == kind
        assert flagged not in findings[0].message  # never echo the secret


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("The node lb-prod-3.internal restarted.", "lb-prod-3.internal"),
        ("Traffic from 10.0.3.17 was dropped.", "10.0.3.17"),
        ("Contact dana.reyes@acme.example directly.", "dana.reyes@acme.example"),
        ("Call +1 415-555-0142.", "+1 415-555-0142"),
    ],
)
def test_hosts_and_contacts_block_for_customers_only(check_one, text: str, flagged: str) -> None:
    md, findings = check_one("secrets", "incident_update", UPDATE.replace(SLOT, text), "INC-2026-0820", UPDATE_FACTS)
    assert spans(md, findings, "block") == [flagged]
    _, findings = check_one("secrets", "escalation_brief", BRIEF.replace("Label API timeouts.", text))
    assert findings == []


def test_shared_mailbox_is_not_personal_data(check_one) -> None:
    md = UPDATE.replace(SLOT, "Reply to support@ourco.example with questions.")
    _, findings = check_one("secrets", "incident_update", md, "INC-2026-0820", UPDATE_FACTS)
    assert findings == []


def test_luhn_and_redact() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert find_secrets("order 4111111111111112 shipped") == []
    assert redact("key sk_live_51HxYzAbCdEfGhIjKlMn ok") == "key [REDACTED api_key] ok"
