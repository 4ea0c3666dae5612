"""Required sections: present, non-empty, no placeholders."""

from __future__ import annotations

from guardrail_drafts import BRIEF, UPDATE, UPDATE_FACTS
from guardrail_helpers import spans

from copilot.drafting.draft import Draft


def test_clean_update_has_no_findings(check_one) -> None:
    _, findings = check_one("sections", "incident_update", UPDATE, "INC-2026-0820", UPDATE_FACTS)
    assert findings == []


def test_missing_section_points_at_where_it_belongs(check_one) -> None:
    start = UPDATE.index("## What we don't know yet")
    end = UPDATE.index("## What we are doing")
    md = UPDATE[:start] + UPDATE[end:]
    md, findings = check_one("sections", "incident_update", md, "INC-2026-0820", UPDATE_FACTS)
    assert [f.severity for f in findings] == ["block"]
    assert "What we don't know yet" in findings[0].message
    assert findings[0].span == (md.index("## What we are doing"),) * 2


def test_empty_section_spans_the_section(check_one) -> None:
    md = UPDATE.replace("No workaround is known yet. [source: INC-2026-0820]", "[source: INC-2026-0820]")
    md, findings = check_one("sections", "incident_update", md, "INC-2026-0820", UPDATE_FACTS)
    assert [f.severity for f in findings] == ["block"]
    assert spans(md, findings)[0].startswith("## Workaround")


def test_placeholder_is_blocked_at_its_span(check_one) -> None:
    md = UPDATE.replace("Our engineering team is engaged and investigating.", "Engineering is on it, ETA TBD.")
    md, findings = check_one("sections", "incident_update", md, "INC-2026-0820", UPDATE_FACTS)
    assert spans(md, findings, "block") == ["TBD"]


def test_titles_match_case_insensitively(check_one) -> None:
    md = UPDATE.replace("## What we know", "## WHAT WE KNOW").replace("## Next update", "## next update")
    _, findings = check_one("sections", "incident_update", md, "INC-2026-0820", UPDATE_FACTS)
    assert findings == []


def test_a_masked_value_quoted_from_the_records_is_not_a_placeholder(check_one) -> None:
    """Real post-mortems and tickets mask values (``/orders/xxx``); quoting them is not leaving a
    placeholder. A bare ``XXX`` still is."""
    from guardrail_records import records

    r = records()
    ticket = r["tickets"][0]
    assert ticket.id == "ZD-101"
    quoted = "GET /labels/xxx returned 504"
    md = BRIEF.replace("## Evidence\n\n", f"## Evidence\n\n- Customer log: `{quoted}` [source: ZD-101]\n")
    from copilot.guardrails.context import context_from_records
    from copilot.guardrails.engine import run_context

    def placeholders(markdown: str, description: str) -> list[str]:
        draft = Draft(kind="escalation_brief", account_id="acme", subject_id="ZD-101", markdown=markdown)
        t = ticket.model_copy(update={"description": description})
        ctx = context_from_records(draft, r["plan"], [t, *r["tickets"][1:]], r["incidents"], r["runbooks"], r["others"])
        return spans(markdown, [f for f in run_context(ctx, only={"sections"}).findings if "placeholder" in f.message])

    assert placeholders(md, f"{ticket.description}\nLog: {quoted}") == []
    assert placeholders(md, ticket.description) == ["xxx"]  # not in the records: left to fill
    bare = md.replace("## Impact\n\n", "## Impact\n\n- XXX users affected\n")
    assert placeholders(bare, f"{ticket.description}\nLog: {quoted}") == ["XXX"]
