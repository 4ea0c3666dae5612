"""End to end on data/sample: every artifact for every eligible subject, through the CLI contract.

Uses the session's ingested sample home (tests/conftest.py). Expected QBR numbers are recomputed
from the raw files by ``sample_raw`` (plain Python, independent of copilot's ingest and metrics).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sample_raw import expected_mttr_high, expected_service_lines, read_sample
from typer.testing import CliRunner

from copilot.cli import app
from copilot.drafting.draft import SECTION_NAMES
from copilot.facts.metrics import METRIC_LABELS

TODAY = "2026-11-16T00:00:00Z"
AS_OF = datetime(2026, 11, 16, tzinfo=timezone.utc)
CONTRACT_KEYS = {"id", "kind", "account_id", "subject_id", "markdown", "sections", "citations", "backend",
                 "prompt_version", "guardrails", "scores"}
runner = CliRunner()


def _cli(home: Path, *args: str) -> tuple[int, dict | str]:
    result = runner.invoke(app, ["draft", *args, "--home", str(home), "--json"])
    if result.exit_code != 0:
        return result.exit_code, result.output
    return 0, json.loads(result.stdout)


def _assert_complete(doc: dict, kind: str) -> None:
    assert CONTRACT_KEYS <= doc.keys()
    assert doc["kind"] == kind and doc["backend"] == "template" and doc["prompt_version"]
    names = [s["name"] for s in doc["sections"]]
    assert names == [n for n, _ in SECTION_NAMES[kind]]
    for section in doc["sections"]:
        assert section["text"].strip(), f"{doc['subject_id']}: {section['name']} is empty"
        assert section["citations"], f"{doc['subject_id']}: {section['name']} has no citations"
    cited = {c["source_id"] for c in doc["citations"]}
    assert cited and all(c["kind"] != "unknown" for c in doc["citations"]), doc["citations"]
    for c in doc["citations"]:
        assert c["account_id"] in (doc["account_id"], None)  # own account or shared (runbooks)
    if doc["guardrails"] is not None:
        assert {"passed", "findings"} <= doc["guardrails"].keys()


def _high_priority_tickets(copilot) -> list[str]:
    return [t.id for t in copilot.store.tickets() if t.priority in ("P1", "P2")]


def test_brief_for_every_p1_p2_ticket(sample_copilot, sample_home: Path) -> None:
    ids = _high_priority_tickets(sample_copilot)
    # the open P1/P2s first (the README's escalation targets), then others, up to 10
    open_first = sorted(ids, key=lambda i: (not sample_copilot.store.ticket(i).is_open, i))[:10]
    assert len(open_first) == 10
    for ticket_id in open_first:
        code, doc = _cli(sample_home, "brief", "--ticket", ticket_id)
        assert code == 0, doc
        _assert_complete(doc, "escalation_brief")
        assert doc["subject_id"] == ticket_id


@pytest.mark.parametrize("command", ["update", "pir"])
def test_update_and_pir_for_every_incident(sample_copilot, sample_home: Path, command: str) -> None:
    incidents = sample_copilot.store.incidents()
    assert incidents
    for incident in incidents:
        extra = ["--as-of", TODAY] if command == "update" else []
        code, doc = _cli(sample_home, command, "--incident", incident.id, *extra)
        assert code == 0, doc
        _assert_complete(doc, "incident_update" if command == "update" else "pir_timeline")


def test_qbr_for_every_account(sample_copilot, sample_home: Path) -> None:
    for plan in sample_copilot.store.plans():
        code, doc = _cli(sample_home, "qbr", "--account", plan.account.id, "--quarter", "2026Q3", "--as-of", TODAY)
        assert code == 0, doc
        _assert_complete(doc, "qbr_narrative")
        assert doc["subject_id"] == f"{plan.account.id}:2026Q3"


def _service_lines(markdown: str) -> dict[str, str]:
    body = markdown.split("## Service performance", 1)[1].split("\n## ", 1)[0]
    return {m.group(1): m.group(2) for m in re.finditer(r"^- ([^:\n]+): (.+)$", body, re.MULTILINE)}


def test_every_qbr_number_equals_an_independent_recomputation(sample_copilot, sample_dir: Path) -> None:
    plans, tickets, incidents = read_sample(sample_dir)
    known = {t.id for t in sample_copilot.store.tickets()}
    tickets = [t for t in tickets if t.id in known]  # rows the ingest quarantined are not records
    for account in plans:
        draft = sample_copilot.draft("qbr", account, quarter="2026Q3", as_of=AS_OF)
        got = _service_lines(draft.markdown)
        quoted = {label: got.pop(label) for label in list(got) if label not in METRIC_LABELS.values()}
        want = expected_service_lines(account, "2026Q3", plans, tickets, incidents)
        assert set(want) == set(METRIC_LABELS.values())
        assert got == want, account
        # the KPIs a QBR quotes are the KPI report's figures; MTTR (P1/P2) also recomputed from the raw files
        report = sample_copilot.kpis(account, "2026Q3", as_of=AS_OF)
        assert quoted == {line.label: line.current.text for line in report.kpis if line.label in quoted}, account
        assert quoted.get("MTTR (P1/P2)") == expected_mttr_high(account, "2026Q3", tickets), account
        # renewal: days from 2026-11-16 to the plan's renewal date
        renewal = plans[account]["contract"]["renewal_date"]
        days = (renewal - AS_OF.date()).days
        assert f"Renewal date {renewal.isoformat()}: {days} days away as of 2026-11-16." in draft.markdown


def test_pir_durations_match_the_incident_record(sample_copilot, sample_dir: Path) -> None:
    import yaml

    for path in sorted((sample_dir / "incidents").glob("*.yaml")):
        inc = yaml.safe_load(path.read_text())["incident"]
        draft = sample_copilot.draft("pir", inc["id"])
        text = draft.section("durations").text
        start = inc["started_at"]
        for key, label in (("detected_at", "Time to detect"), ("engaged_at", "Time to engage"),
                           ("mitigated_at", "Time to mitigate"), ("resolved_at", "Time to resolve")):
            if inc.get(key) is None:
                assert f"- {label}: not recorded" in text
                continue
            minutes = int((inc[key] - start).total_seconds() // 60)
            d, rest = divmod(minutes, 1440)
            h, m = divmod(rest, 60)
            want = f"{d}d {h}h {m:02d}m" if d else (f"{h}h {m:02d}m" if h else f"{m}m")
            assert f"- {label}: {want}" in text, (inc["id"], label)
        stamps = re.findall(r"^- (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC", draft.section("timeline").text, re.MULTILINE)
        assert stamps == sorted(stamps)


def test_update_next_update_follows_the_sla_cadence(sample_copilot) -> None:
    incident = next(i for i in sample_copilot.store.incidents() if i.root_cause.status != "confirmed")
    cadence = sample_copilot.plan(incident.account_id).sla.for_priority(incident.priority).update_cadence_minutes
    as_of = incident.started_at + timedelta(hours=2)
    draft = sample_copilot.draft("update", incident.id, as_of=as_of)
    want = datetime.fromtimestamp(as_of.timestamp() + cadence * 60, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    assert re.findall(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", draft.section("next_update").text) == [want]
    assert "not confirmed" in draft.section("unknown").text  # the sample's one incident with a suspected cause


def test_customer_drafts_keep_internal_things_out(sample_copilot) -> None:
    codenames = {c for p in sample_copilot.store.plans() for c in p.internal_codenames}
    for incident in sample_copilot.store.incidents():
        for kind in ("update", "pir"):
            md = sample_copilot.draft(kind, incident.id, as_of=AS_OF).markdown
            assert ".internal" not in md, (kind, incident.id)
            assert not any(re.search(rf"\b{re.escape(c)}\b", md) for c in codenames), (kind, incident.id)


def test_unknown_ids_exit_2(sample_home: Path) -> None:
    assert _cli(sample_home, "brief", "--ticket", "ZD-0")[0] == 2
    assert _cli(sample_home, "update", "--incident", "INC-0")[0] == 2
    assert _cli(sample_home, "qbr", "--account", "nope", "--quarter", "2026Q3")[0] == 2
    assert _cli(sample_home, "qbr", "--account", "harbor-line", "--quarter", "2026-Q9")[0] == 2
    assert _cli(sample_home, "brief", "--ticket", "ZD-0", "--as-of", "2026-11-14 10:00")[0] == 2  # naive time


def test_out_writes_json_or_markdown(sample_copilot, sample_home: Path, tmp_path: Path) -> None:
    out_json, out_md = tmp_path / "d.json", tmp_path / "d.md"
    incident_id = sample_copilot.store.incidents()[0].id
    for out in (out_json, out_md):
        result = runner.invoke(app, ["draft", "pir", "--incident", incident_id, "--home", str(sample_home),
                                     "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert json.loads(out_json.read_text())["kind"] == "pir_timeline"
    assert out_md.read_text().startswith("# Post-incident review")
