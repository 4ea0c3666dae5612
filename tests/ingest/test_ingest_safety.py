"""Ingest safety (issue 12): the probes that lost or corrupted data, as regression tests.

Each test writes a small, hostile dataset into ``tmp_path`` and ingests it into a real home
(SQLite file, Chroma folder, MiniLM embeddings of a few passages). The run's clock is passed
explicitly (``now=``), so nothing depends on today's date.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import plan_dict, write_json, write_yaml

from copilot.errors import Refused
from copilot.ingest.limits import IngestLimits
from copilot.service import Copilot

NOW = datetime(2026, 11, 16, 8, 0, tzinfo=timezone.utc)
CHANNEL = "inc-northwind-0412"

INCIDENT: dict[str, Any] = {"incident": {
    "id": "INC-2026-0412", "account": "northwind", "title": "Label API 504s", "priority": "P1",
    "status": "resolved", "channel": CHANNEL, "started_at": "2026-04-12T08:52:00Z",
    "detected_at": "2026-04-12T09:05:00Z", "resolved_at": "2026-04-12T13:45:00Z",
    "status_events": [{"at": "2026-04-12T09:20:00Z", "status": "identified", "text": "Pool exhausted"}],
}}
MESSAGES = [{"type": "message", "user": "U1", "ts": f"17759{n:02d}000.000100", "text": f"update {n}",
             "user_profile": {"real_name": "Sam Okafor"}} for n in range(5)]


def _ticket(id_: int, org: int = 360001, **over: Any) -> dict[str, Any]:
    return {"id": id_, "subject": f"Ticket {id_}", "priority": "high", "status": "open",
            "organization_id": org, "created_at": "2026-04-12T09:14:00Z", **over}


def _comments(id_: int, n: int) -> list[dict[str, Any]]:
    return [{"id": id_ * 10 + i, "author_id": 21, "body": f"comment {i}", "public": True,
             "created_at": f"2026-04-12T1{i}:00:00Z"} for i in range(n)]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """Two account plans, an incident with its Slack channel, a Zendesk export of Northwind."""
    root = tmp_path / "data"
    write_yaml(root / "plans" / "northwind.yaml", plan_dict())
    write_yaml(root / "plans" / "contoso.yaml", plan_dict(
        "contoso", "Contoso Ltd", zendesk_organization_ids=[360002], slack_channels=["inc-contoso-0501"]))
    write_yaml(root / "incidents" / "INC-2026-0412.yaml", INCIDENT)
    write_json(root / "slack" / "users.json", [{"id": "U1", "name": "sam", "real_name": "Sam Okafor"}])
    write_json(root / "slack" / CHANNEL / "2026-04-12.json", MESSAGES[:3])
    write_json(root / "slack" / CHANNEL / "2026-04-13.json", MESSAGES[3:])
    write_json(root / "zendesk" / "northwind.json", {
        "tickets": [_ticket(4123)], "users": [{"id": 21, "name": "Sam Okafor", "role": "agent"}],
        "comments": {"4123": _comments(4123, 3)}})
    return root


def _home(tmp_path: Path) -> Copilot:
    return Copilot(tmp_path / "home")


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([sys.executable, "-m", "copilot", *args], capture_output=True, text=True,
                          check=False, cwd=cwd, env=env)


# --- 1. an incident's events are the union of its record and its channel ----------------------


def test_reingesting_either_half_of_an_incident_keeps_all_its_events(data: Path, tmp_path: Path) -> None:
    copilot = _home(tmp_path)
    copilot.ingest([data], now=NOW)
    full = copilot.store.incident("INC-2026-0412")
    assert sum(e.kind == "message" for e in full.events) == 5

    alone = copilot.ingest([data / "plans", data / "incidents" / "INC-2026-0412.yaml"], now=NOW)
    assert copilot.store.incident("INC-2026-0412").events == full.events
    assert alone.records_changed == 0 and alone.chunks_embedded == 0

    write_json(data / "slack" / CHANNEL / "2026-04-14.json",
               [{"type": "message", "user": "U1", "ts": "1776100000.000100", "text": "all clear"}])
    copilot.ingest([data / "slack" / CHANNEL / "2026-04-14.json"], now=NOW)
    events = copilot.store.incident("INC-2026-0412").events
    assert [e.text for e in events if e.kind == "message"][-1] == "all clear"
    assert len(events) == len(full.events) + 1, "one day file adds to the stored channel, drops nothing"


# --- 2. ids are keyed by source and account ------------------------------------------------------


def test_same_ticket_id_from_another_account_is_quarantined_not_moved(data: Path, tmp_path: Path) -> None:
    copilot = _home(tmp_path)
    copilot.ingest([data], now=NOW)
    other = write_json(tmp_path / "later" / "contoso.json", {"tickets": [_ticket(4123, org=360002)]})

    report = copilot.ingest([other], now=NOW)

    ticket = copilot.store.ticket("ZD-4123")
    assert (ticket.account_id, len(ticket.comments)) == ("northwind", 3)
    [entry] = report.quarantined
    assert entry.row == "ZD-4123" and entry.file == str(other.resolve())
    assert "already stored for account 'northwind'" in entry.reason and "'contoso'" in entry.reason


# --- 3. resolved source paths: prune and re-ingest from anywhere ----------------------------------


def test_source_paths_are_resolved_so_prune_works_from_any_directory(
        data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copilot = _home(tmp_path)
    monkeypatch.chdir(data.parent)
    first = copilot.ingest([Path("data")], now=NOW)
    assert copilot.store.ticket("ZD-4123").source_file == str((data / "zendesk" / "northwind.json").resolve())

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    one_folder = copilot.ingest([data.resolve() / "zendesk"], now=NOW, prune=True)
    assert one_folder.records_pruned == 0, "records from other folders are not 'gone'"
    again = copilot.ingest([data.resolve()], now=NOW, prune=True)

    assert again.records_changed == 0 and again.records_pruned == 0
    assert copilot.store.counts() == {k: getattr(first, k) for k in copilot.store.counts()}


def test_prune_refuses_to_empty_a_home_without_yes(data: Path, tmp_path: Path) -> None:
    copilot = _home(tmp_path)
    copilot.ingest([data], now=NOW)
    before = copilot.store.counts()
    for path in [*(data / "incidents").iterdir(), *(data / "zendesk").iterdir()]:
        path.unlink()
    (data / "plans" / "contoso.yaml").unlink()

    with pytest.raises(Refused, match=r"would remove 3 of the 4 records .*prune_share.*--yes"):
        copilot.ingest([data], now=NOW, prune=True)
    assert copilot.store.counts() == before, "a refused prune changes nothing"

    report = copilot.ingest([data], now=NOW, prune=True, confirm_prune=True)
    assert report.records_pruned == 3 and report.accounts == 1


def test_cli_prune_refusal_exits_1_naming_the_count_and_the_flag(data: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    Copilot(home).ingest([data], now=NOW)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a source file")
    for path in (data / "zendesk").iterdir():
        path.unlink()  # one record's source is gone; the others are not under `empty`
    for path in (data / "plans").iterdir():
        path.unlink()

    out = _cli("ingest", str(empty), "--prune", "--home", str(home))

    assert out.returncode == 1, out.stderr
    assert "would remove 3 of the 4 records" in out.stderr and "--yes" in out.stderr


# --- 4. orphan Slack folders ------------------------------------------------------------------------


def test_slack_folder_without_its_incident_is_quarantined(data: Path, tmp_path: Path) -> None:
    copilot = _home(tmp_path)
    report = copilot.ingest([data / "plans", data / "slack"], now=NOW)
    [entry] = report.quarantined
    assert entry.file == str((data / "slack" / CHANNEL).resolve())
    assert "5 message(s) in 2 day file(s)" in entry.reason
    assert "ingest the incident YAML that names this channel" in entry.action


# --- 5. symlinks leaving the ingested folder ---------------------------------------------------------


def test_symlink_out_of_the_ingested_folder_is_refused(data: Path, tmp_path: Path) -> None:
    secret = tmp_path / "private" / "secret.md"
    secret.parent.mkdir()
    secret.write_text("# Secret\n\nprod db password lives here\n")
    (data / "runbooks").mkdir()
    (data / "runbooks" / "handy.md").symlink_to(secret)
    (data / "runbooks" / "private-dir").symlink_to(secret.parent, target_is_directory=True)
    (data / "runbooks" / "ok.md").write_text("# Restart\n\nRestart the gateway.\n")
    (data / "runbooks" / "ok-link.md").symlink_to(data / "runbooks" / "ok.md")

    report = _home(tmp_path).ingest([data / "plans", data / "runbooks"], now=NOW)

    assert report.runbooks == 1
    refused = {Path(q.file).name: q.reason for q in report.quarantined}
    assert set(refused) == {"handy.md", "private-dir"}
    assert all("outside the ingested folder" in reason for reason in refused.values())


# --- 6. resource limits ---------------------------------------------------------------------------------


def test_hostile_files_are_quarantined_and_good_files_beside_them_go_in(data: Path, tmp_path: Path) -> None:
    hostile = data / "hostile"
    hostile.mkdir()
    (hostile / "deep.json").write_text("[" * 5000 + "]" * 5000)
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi"):
        bomb += f"{name}: &{name} [{','.join(['*' + prev] * 9)}]\n"
    (hostile / "bomb-runbook.md").write_text(f"---\n{bomb}---\n# Bomb\n\ntext\n")
    (hostile / "bomb.yaml").write_text(bomb)
    (hostile / "big.json").write_text(json.dumps({"tickets": [_ticket(1, subject="x" * 20_000)]}))

    report = _home(tmp_path).ingest([data], now=NOW, limits=IngestLimits(max_file_mb=0.015))

    reasons = {Path(q.file).name: q.reason for q in report.quarantined}
    assert "max_depth limit of 64" in reasons["deep.json"]
    assert "aliases" in reasons["bomb-runbook.md"] and "aliases" in reasons["bomb.yaml"]
    assert "max_file_mb limit of 0.015 MB" in reasons["big.json"]
    assert (report.tickets, report.incidents, report.accounts) == (1, 1, 2)


# --- 7. the quarantine is per run, capped, and summarised ---------------------------------------------


def test_quarantine_is_per_run_capped_and_printed_as_a_summary(data: Path, tmp_path: Path) -> None:
    rows = "\n".join(f"T{n},Nobody Inc,Subject {n},P3,open,2026-04-12T09:00:00Z" for n in range(3000))
    (data / "bad.csv").write_text(f"ticket_id,customer,subject,priority,status,created_at\n{rows}\n")
    copilot = _home(tmp_path)
    limits = IngestLimits(quarantine_rows=100)
    copilot.ingest([data], now=NOW, limits=limits)
    report = copilot.ingest([data], now=NOW, limits=limits)

    assert report.quarantine_total == 3000
    assert report.quarantine_by_reason == {
        "unknown account: customer … is not in any account plan's "
        "account.name / account.aliases / mappings.csv_customer_names": 3000}
    with sqlite3.connect(tmp_path / "home" / "records.sqlite3") as db:
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT run_id) FROM quarantine").fetchone() == (100, 1)
    assert len(Path(report.quarantine_file).read_text().splitlines()) == 3000

    out = _cli("ingest", str(data / "bad.csv"), "--home", str(tmp_path / "home"))
    assert out.returncode == 2  # nothing in the file could be read
    assert "3000 quarantined" in out.stdout and "full list:" in out.stdout
    assert out.stdout.count("Nobody Inc") <= 20 and len(out.stdout.splitlines()) < 400


# --- 8. impossible dates -------------------------------------------------------------------------------------


def test_impossible_dates_are_quarantined_against_the_runs_clock(data: Path, tmp_path: Path) -> None:
    write_json(data / "zendesk" / "northwind.json", {"tickets": [
        _ticket(1, status="solved", solved_at="2026-04-01T00:00:00Z"),  # solved before created
        _ticket(2, created_at="2099-01-01T00:00:00Z"),
        _ticket(3, created_at="2026-12-01T00:00:00Z"),  # 15 days after NOW: inside future_days
        _ticket(4),
    ], "comments": {"4": [{"id": 1, "author_id": 21, "body": "from the future", "public": True,
                           "created_at": "2099-01-01T00:00:00Z"}]}})
    copilot = _home(tmp_path)

    report = copilot.ingest([data], now=NOW)

    by_row = {q.row: q.reason for q in report.quarantined}
    assert "resolved_at 2026-04-01T00:00:00Z is before created_at 2026-04-12T09:14:00Z" in by_row["ZD-1"]
    assert "more than 30 days after this run's clock (2026-11-16T08:00:00Z" in by_row["ZD-2"]
    assert "ZD-4-c1" in by_row and copilot.store.ticket("ZD-4").comments == []
    assert sorted(t.id for t in copilot.store.tickets()) == ["ZD-3", "ZD-4"]

    earlier = copilot.ingest([data], now=datetime(2026, 10, 1, tzinfo=timezone.utc))
    assert "ZD-3" in {q.row for q in earlier.quarantined}, "the rule follows the run's clock"


def test_incident_milestone_before_its_start_is_quarantined(data: Path, tmp_path: Path) -> None:
    bad = json.loads(json.dumps(INCIDENT))
    bad["incident"]["resolved_at"] = "2026-04-11T00:00:00Z"
    write_yaml(data / "incidents" / "INC-2026-0412.yaml", bad)

    report = _home(tmp_path).ingest([data / "plans", data / "incidents"], now=NOW)

    [entry] = report.quarantined
    assert entry.row == "INC-2026-0412" and "resolved_at 2026-04-11T00:00:00Z is before started_at" in entry.reason
    assert report.incidents == 0


# --- 9. a CSV nobody can read exits 2 ----------------------------------------------------------------------


def test_csv_with_an_unknown_header_exits_2_naming_the_file_and_the_expected_header(tmp_path: Path) -> None:
    csv = tmp_path / "export.csv"
    csv.write_text("Number,Short description,Opened\nINC1,Broken,2026-04-12\n")

    out = _cli("ingest", str(csv), "--home", str(tmp_path / "home"), "--json")

    assert out.returncode == 2
    assert str(csv) in out.stderr and "ticket_id, customer, subject" in out.stderr
    [entry] = json.loads(out.stdout)["quarantined"]
    assert "matches no known CSV format" in entry["reason"]


def test_reingesting_a_tickets_csv_alone_keeps_its_comments(data: Path, tmp_path: Path) -> None:
    csv = data / "csv"
    csv.mkdir()
    (csv / "tickets.csv").write_text("ticket_id,customer,subject,priority,status,created_at\n"
                                     "INC001,Northwind Freight Ltd,Export stalls,P2,open,2026-05-02T08:00:00Z\n")
    (csv / "comments.csv").write_text("ticket_id,comment_id,author,author_role,public,created_at,body\n"
                                      "INC001,1,Sam,agent,true,2026-05-02T08:30:00Z,Looking\n")
    copilot = _home(tmp_path)
    copilot.ingest([data / "plans", csv], now=NOW)
    stored = copilot.store.ticket("INC001")
    assert [c.body for c in stored.comments] == ["Looking"]

    alone = copilot.ingest([csv / "tickets.csv"], now=NOW)

    assert copilot.store.ticket("INC001") == stored
    assert alone.records_changed == 0
