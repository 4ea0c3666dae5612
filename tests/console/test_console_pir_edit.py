"""An edited PIR timeline table becomes durations and the Timeline/Durations sections."""

from __future__ import annotations

from datetime import datetime, timezone

from test_console_queue import PLAN

from copilot.console.pir_edit import (
    apply_timeline,
    durations_from_rows,
    rows_from_facts,
    timeline_problems,
    timeline_sections,
)
from copilot.facts.pir import pir_facts
from copilot.records.models import Incident, IncidentEvent


def at(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"2026-04-12T{hhmm}:00").replace(tzinfo=timezone.utc)


INCIDENT = Incident(
    id="INC-2026-0412", account_id="northwind", title="Label API 504s", priority="P1", status="resolved",
    started_at=at("08:52"), detected_at=at("09:05"), engaged_at=at("09:20"), mitigated_at=at("11:10"),
    resolved_at=at("13:45"),
    events=[IncidentEvent(id="slack:inc:1", incident_id="INC-2026-0412", at=at("09:30"), kind="message",
                          author="Sam", text="Rolling back the gateway config.")])


def rows() -> list[dict]:
    return [r.model_dump() for r in rows_from_facts(pir_facts(PLAN, INCIDENT, []))]


def test_rows_carry_milestones_and_sources() -> None:
    table = rows()
    assert [r["milestone"] for r in table if r["milestone"]] == [
        "Impact start", "Detection", "Engagement", "Mitigation", "Resolution"]
    assert all(r["sources"] for r in table)
    assert timeline_problems(table) == []


def test_durations_follow_the_table() -> None:
    assert [(d.label, d.text) for d in durations_from_rows(rows())] == [
        ("Time to detect", "13m"), ("Time to engage", "28m"), ("Time to mitigate", "2h 18m"),
        ("Time to resolve", "4h 53m")]
    edited = rows()
    mitigation = next(r for r in edited if r["milestone"] == "Mitigation")
    mitigation["time_utc"] = at("10:52")
    assert durations_from_rows(edited)[2].text == "2h 00m"
    naive = [{**r, "time_utc": r["time_utc"].replace(tzinfo=None)} for r in rows()]  # the editor's times are UTC
    assert durations_from_rows(naive)[0].text == "13m"


def test_problems_name_the_row_and_what_to_do() -> None:
    edited = rows()
    edited.append({"time_utc": None, "milestone": "", "entry": "added later", "sources": ""})
    edited[0]["time_utc"], edited[1]["time_utc"] = edited[1]["time_utc"], edited[0]["time_utc"]
    problems = timeline_problems(edited)
    assert any(p.startswith(f"row {len(edited)} has no time") for p in problems)
    assert any(p.startswith(f"row {len(edited)} has no source") for p in problems)
    assert any("not in time order" in p for p in problems)
    without_resolution = [r for r in rows() if r["milestone"] != "Resolution"]
    assert durations_from_rows(without_resolution)[3].text == "not recorded"
    assert any("no Resolution milestone" in p for p in timeline_problems(without_resolution))


def test_sections_use_the_draft_format_and_replace_only_their_own() -> None:
    timeline, durations = timeline_sections(rows())
    assert timeline.splitlines()[0] == ("- 2026-04-12 08:52 UTC — Impact start: Customer impact started "
                                        "[source: INC-2026-0412]")
    assert "- Time to mitigate: 2h 18m" in durations.splitlines()
    markdown = "# PIR\n\n## Timeline\n\n- old\n\n## Durations\n\n- old\n\n## Root cause\n\nKept.\n"
    replaced = apply_timeline(markdown, rows())
    assert "- old" not in replaced and replaced.endswith("## Root cause\n\nKept.\n")
    assert replaced.index("## Timeline") < replaced.index("## Durations") < replaced.index("## Root cause")
