"""Citations exist and belong to the account; no other account's names, ids, people or domains."""

from __future__ import annotations

import pytest
from guardrail_drafts import BRIEF
from guardrail_helpers import spans

from copilot.drafting.draft import Citation


@pytest.mark.parametrize(
    "cited, flagged, words",
    [
        ("ZD-901", "ZD-901", "another account (globex)"),
        ("ZD-999", "ZD-999", "not a record"),
        ("slack:inc-globex-0901:1.2", "slack:inc-globex-0901:1.2", "not a record"),
    ],
)
def test_bad_citations_block_at_the_id(check_one, cited: str, flagged: str, words: str) -> None:
    md = BRIEF.replace("[source: ZD-101-c1]", f"[source: ZD-101-c1, {cited}]")
    md, findings = check_one("citations", "escalation_brief", md)
    assert spans(md, findings, "block") == [flagged]
    assert words in findings[0].message


@pytest.mark.parametrize(
    "cited",
    [
        "RB-label-api-504#mitigation",
        "RB-label-api-504",
        "plan:acme#risks",
        "ZD-101-c2",
        "INC-2026-0412",
        "slack:inc-acme-0412:1775984700.000100",
    ],
)
def test_own_and_shared_sources_pass(check_one, cited: str) -> None:
    _, findings = check_one("citations", "escalation_brief", BRIEF.replace("[source: ZD-101-c1]", f"[source: {cited}]"))
    assert findings == []


def test_citation_list_of_another_account_blocks(check_one) -> None:
    _, findings = check_one(
        "citations", "escalation_brief", BRIEF, citations=[Citation(source_id="ZD-901", account_id="globex")]
    )
    assert [f.severity for f in findings] == ["block"] and findings[0].evidence == "ZD-901"


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("Globex saw the same issue.", "Globex"),
        ("Same as at Globex Corporation.", "Globex Corporation"),
        ("Hank Scorpio reported it too.", "Hank Scorpio"),
        ("Mail hank@globex.example for details.", "hank@globex.example"),
        ("Compare ZD-901.", "ZD-901"),
        ("Compare INC-2026-0901.", "INC-2026-0901"),
        ("Tracked in GLX-12.", "GLX-12"),
        ("See #inc-globex-0901.", "#inc-globex-0901"),
    ],
)
def test_other_accounts_are_blocked(check_one, text: str, flagged: str) -> None:
    md = BRIEF.replace("Label API timeouts. [source: ZD-101]", f"Label API timeouts. {text} [source: ZD-101]")
    md, findings = check_one("isolation", "escalation_brief", md)
    assert flagged in spans(md, findings, "block")


def test_own_account_and_lowercase_words_pass(check_one) -> None:
    md = BRIEF.replace("Label API timeouts. [source: ZD-101]", "Acme saw a global issue. [source: ZD-101]")
    _, findings = check_one("isolation", "escalation_brief", md)
    assert findings == []
