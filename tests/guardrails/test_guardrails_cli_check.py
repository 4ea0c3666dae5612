"""``check DRAFT.json`` over a real SQLite home (records written directly; the index is not needed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from guardrail_drafts import BRIEF, UPDATE, UPDATE_FACTS
from guardrail_records import records
from typer.testing import CliRunner

from copilot.cli import app
from copilot.drafting.draft import Draft
from copilot.records.models import content_hash
from copilot.service import Copilot

runner = CliRunner()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("check-home")
    store = Copilot(home).store
    r = records()
    with store.transaction():
        for plan in [r["plan"]] + [o[0] for o in r["others"]]:
            store.put_plan(plan, content_hash(plan))
        for ticket in r["tickets"] + [t for o in r["others"] for t in o[1]]:
            store.put_ticket(ticket, content_hash(ticket))
        for incident in r["incidents"] + [i for o in r["others"] for i in o[2]]:
            store.put_incident(incident, content_hash(incident))
        for runbook in r["runbooks"]:
            store.put_runbook(runbook, content_hash(runbook))
    return home


def write(
    tmp_path: Path,
    markdown: str,
    kind: str = "incident_update",
    subject: str = "INC-2026-0820",
    facts: dict | None = None,
) -> Path:
    draft = Draft(
        kind=kind,
        account_id="acme",
        subject_id=subject,
        markdown=markdown,
        facts=UPDATE_FACTS if facts is None else facts,
    ).finalize()
    path = tmp_path / "draft.json"
    path.write_text(draft.model_dump_json(), encoding="utf-8")
    return path


def test_clean_draft_passes(home: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(write(tmp_path, UPDATE)), "--home", str(home), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["passed"] is True and {"passed", "findings", "scores"} <= payload.keys()
    assert payload["scores"]["grounding_precision"] == 1.0


def test_edited_markdown_is_the_truth(home: Path, tmp_path: Path) -> None:
    edited = UPDATE.replace(
        "Our engineering team is engaged and investigating.", "This will never happen again; Globex saw it too."
    )
    result = runner.invoke(app, ["check", str(write(tmp_path, edited)), "--home", str(home), "--json"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["passed"] is False
    assert {"commitments", "isolation"} <= {f["check"] for f in payload["findings"] if f["severity"] == "block"}
    for f in payload["findings"]:
        assert set(f) >= {"check", "severity", "message", "span"}


def test_brief_human_output(home: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["check", str(write(tmp_path, BRIEF, "escalation_brief", "ZD-101", {})), "--home", str(home)]
    )
    assert result.exit_code == 0, result.output
    assert "passed" in result.output and "escalation quality 5/5" in result.output


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"kind": "memo"}'])
def test_unreadable_file_exits_2(home: Path, tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "--home", str(home), "--json"])
    assert result.exit_code == 2


def test_missing_file_and_unknown_account_exit_2(home: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["check", str(tmp_path / "nope.json"), "--home", str(home)]).exit_code == 2
    draft = Draft(kind="incident_update", account_id="nobody", subject_id="X", markdown=UPDATE)
    path = tmp_path / "other.json"
    path.write_text(draft.model_dump_json(), encoding="utf-8")
    assert runner.invoke(app, ["check", str(path), "--home", str(home)]).exit_code == 2


def test_stdout_is_one_json_document(home: Path, tmp_path: Path) -> None:
    path = write(tmp_path, UPDATE.replace("2026-08-20 15:00 UTC", "2026-08-20 17:00 UTC"))
    proc = subprocess.run(
        [sys.executable, "-m", "copilot", "check", str(path), "--home", str(home), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    payload = json.loads(proc.stdout)
    assert [f["check"] for f in payload["findings"] if f["severity"] == "block"] == ["grounding", "update_form"]
