"""Required sections: present, non-empty, no placeholders."""

from __future__ import annotations

from guardrail_drafts import UPDATE, UPDATE_FACTS
from guardrail_helpers import spans


def test_clean_update_has_no_findings(check_one) -> None:  # noqa: ANN001
    _, findings = check_one("sections", "incident_update", UPDATE, "INC-2026-0820", UPDATE_FACTS)
    assert findings == []


def test_missing_section_points_at_where_it_belongs(check_one) -> None:  # noqa: ANN001
    start = UPDATE.index("## What we don't know yet")
    end = UPDATE.index("## What we are doing")
    md = UPDATE[:start] + UPDATE[end:]
    md, findings = check_one("sections", "incident_update", md, "INC-2026-0820", UPDATE_FACTS)
    assert [f.severity for f in findings] == ["block"]
    assert "What we don't know yet" in findings[0].message
    assert findings[0].span == (md.index("## What we are doing"),) * 2


def test_empty_section_spans_the_section(check_one) -> None:  # noqa: ANN001
    md = UPDATE.replace("No workaround is known yet. [source: INC-2026-0820]", "[source: INC-2026-0820]")
    md, findings = check_one("sections", "incident_update", md, "INC-2026-0820", UPDATE_FACTS)
    assert [f.severity for f in findings] == ["block"]
    assert spans(md, findings)[0].startswith("## Workaround")


def test_placeholder_is_blocked_at_its_span(check_one) -> None:  # noqa: ANN001
    md = UPDATE.replace("Our engineering team is engaged and investigating.", "Engineering is on it, ETA TBD.")
    md, findings = check_one("sections", "incident_update", md, "INC-2026-0820", UPDATE_FACTS)
    assert spans(md, findings, "block") == ["TBD"]


def test_titles_match_case_insensitively(check_one) -> None:  # noqa: ANN001
    md = UPDATE.replace("## What we know", "## WHAT WE KNOW").replace("## Next update", "## next update")
    _, findings = check_one("sections", "incident_update", md, "INC-2026-0820", UPDATE_FACTS)
    assert findings == []
