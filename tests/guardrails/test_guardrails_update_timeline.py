"""Incident-update form and PIR timeline."""

from __future__ import annotations

import pytest
from guardrail_drafts import BRIEF, PIR, UPDATE, UPDATE_FACTS
from guardrail_helpers import spans

NEXT = "2026-08-20 15:00 UTC"


@pytest.mark.parametrize(
    "new, flagged, severity",
    [
        ("2026-08-20 16:00 UTC", "2026-08-20 16:00 UTC", "block"),  # later than the P2 cadence (4h) allows
        ("2026-08-20 14:00 UTC", "2026-08-20 14:00 UTC", "warn"),  # earlier than required: allowed, noted
        ("2026-08-20 10:30 UTC", "2026-08-20 10:30 UTC", "block"),  # before the update itself
        ("2026-08-20 15:00", "2026-08-20 15:00", "block"),  # no time zone
        ("15:00 UTC", "15:00 UTC", "block"),  # no date
    ],
)
def test_next_update_time(check_one, new: str, flagged: str, severity: str) -> None:
    md, findings = check_one("update_form", "incident_update", UPDATE.replace(NEXT, new), "INC-2026-0820", UPDATE_FACTS)
    assert flagged in spans(md, findings, severity)


def test_clean_update_and_cadence_without_facts(check_one) -> None:
    _, findings = check_one("update_form", "incident_update", UPDATE, "INC-2026-0820", UPDATE_FACTS)
    assert findings == []
    # without facts: the last customer update (11:00) + the P2 cadence (240m) = 15:00
    _, findings = check_one("update_form", "incident_update", UPDATE, "INC-2026-0820", {})
    assert findings == []


def test_missing_time_and_two_times(check_one) -> None:
    md, findings = check_one(
        "update_form", "incident_update", UPDATE.replace(f"by {NEXT}", "soon"), "INC-2026-0820", UPDATE_FACTS
    )
    assert len(findings) == 1 and spans(md, findings)[0].startswith("## Next update")
    md, findings = check_one(
        "update_form",
        "incident_update",
        UPDATE.replace(NEXT, f"{NEXT} or 2026-08-20 14:30 UTC"),
        "INC-2026-0820",
        UPDATE_FACTS,
    )
    assert "2026-08-20 14:30 UTC" in spans(md, findings, "block")


def test_missing_part(check_one) -> None:
    md = UPDATE.replace("## What we are doing", "## Plans")
    _, findings = check_one("update_form", "incident_update", md, "INC-2026-0820", UPDATE_FACTS)
    assert [f.message for f in findings] == ["An incident update must say what we are doing; that part is missing."]


def test_clean_pir(check_one) -> None:
    _, findings = check_one("timeline", "pir_timeline", PIR, "INC-2026-0412")
    assert findings == []


def _lines(md: str) -> list[str]:
    return md.split("\n")


def test_reordered_entries_block_at_the_out_of_order_time(check_one) -> None:
    lines = _lines(PIR)
    i = next(n for n, line in enumerate(lines) if "Engagement:" in line)
    lines[i], lines[i + 1] = lines[i + 1], lines[i]
    md, findings = check_one("timeline", "pir_timeline", "\n".join(lines), "INC-2026-0412")
    assert spans(md, findings, "block") == ["2026-04-12 09:20 UTC"]
    assert "chronological" in findings[0].message


@pytest.mark.parametrize(
    "old, new, flagged",
    [
        ("2026-04-12 09:05 UTC — Detection", "2026-04-12 09:15 UTC — Detection", "2026-04-12 09:15 UTC"),
        ("- Time to mitigate: 2h 18m", "- Time to mitigate: 2h 08m", "2h 08m"),
        ("- Time to detect: 13m", "- Time to detect: 15m", "15m"),
        ("2026-04-12 10:30 UTC — Pool", "2026-04-12 10:30 — Pool", "2026-04-12 10:30"),
    ],
)
def test_timeline_defects(check_one, old: str, new: str, flagged: str) -> None:
    assert old in PIR
    md, findings = check_one("timeline", "pir_timeline", PIR.replace(old, new), "INC-2026-0412")
    assert flagged in spans(md, findings, "block")


def test_unsourced_entry_and_missing_milestone(check_one) -> None:
    md = PIR.replace(" [source: slack:inc-acme-0412:1775989800.000200]", "")
    md, findings = check_one("timeline", "pir_timeline", md, "INC-2026-0412")
    assert spans(md, findings, "block") == ["2026-04-12 10:30 UTC — Pool limit raised on the gateway"]
    md = "\n".join(line for line in _lines(PIR) if "Resolution:" not in line)
    _, findings = check_one("timeline", "pir_timeline", md, "INC-2026-0412")
    assert ["Resolution" in f.message for f in findings] == [True]


def test_brief_timeline_order_is_checked_but_sources_only_warn(check_one) -> None:
    md = BRIEF.replace(" [source: ZD-101-c1]", "")
    md, findings = check_one("timeline", "escalation_brief", md)
    assert [f.severity for f in findings] == ["warn"]
