"""Ingest pipeline over the real sample: idempotency, incremental re-embedding, prune,
quarantine of bad rows, and consistency after a kill -9 in the middle of embedding."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from copilot.service import Copilot


def store_and_index_agree(copilot: Copilot) -> tuple[set[str], set[str]]:
    rows = {r[0] for r in copilot.store.execute("SELECT id FROM chunks")}
    return rows, copilot.index.ids()


@pytest.fixture
def sample_copy(tmp_path: Path, sample_dir: Path) -> Path:
    """Plans, one Zendesk export and the runbooks: enough to exercise the pipeline quickly."""
    dst = tmp_path / "sample"
    shutil.copytree(sample_dir / "plans", dst / "plans")
    shutil.copytree(sample_dir / "runbooks", dst / "runbooks")
    (dst / "zendesk").mkdir()
    shutil.copy(sample_dir / "zendesk" / "tickets-harbor-line.json", dst / "zendesk")
    return dst


def test_reingest_unchanged_embeds_nothing(sample_home: Path, sample_dir: Path) -> None:
    copilot = Copilot(sample_home)
    before = copilot.store.counts()
    report = copilot.ingest([sample_dir])
    assert report.chunks_embedded == 0
    assert report.chunks_unchanged == before["chunks"]
    assert report.records_changed == 0
    assert copilot.store.counts() == before


def test_changed_ticket_reembeds_only_its_own_chunks(tmp_path: Path, sample_copy: Path) -> None:
    copilot = Copilot(tmp_path / "home")
    copilot.ingest([sample_copy])
    zendesk_file = sorted((sample_copy / "zendesk").glob("*.json"))[0]
    data = json.loads(zendesk_file.read_text())
    ticket = data["tickets"][0]
    ticket["subject"] += " (customer raised again)"
    zendesk_file.write_text(json.dumps(data, indent=2))
    ticket_id = f"ZD-{ticket['id']}"

    report = copilot.ingest([sample_copy])

    assert report.records_changed == 1
    # the subject is repeated in every chunk of the ticket (header line), so all of its chunks
    # and only its chunks are new
    own = [c for c in copilot.store.chunks() if c.record_id == ticket_id]
    assert report.chunks_embedded == len(own) > 0
    rows, ids = store_and_index_agree(copilot)
    assert rows == ids


def test_prune_removes_records_whose_source_is_gone(tmp_path: Path, sample_copy: Path) -> None:
    copilot = Copilot(tmp_path / "home")
    copilot.ingest([sample_copy])
    runbook = sorted((sample_copy / "runbooks").glob("*.md"))[0]
    runbook.unlink()
    kept = copilot.ingest([sample_copy])
    assert kept.records_pruned == 0, "without --prune nothing is removed"
    before = kept.runbooks

    pruned = copilot.ingest([sample_copy], prune=True)

    assert pruned.records_pruned == 1
    assert pruned.runbooks == before - 1
    assert pruned.chunks_removed > 0
    rows, ids = store_and_index_agree(copilot)
    assert rows == ids


def test_broken_record_is_quarantined_and_the_rest_go_in(tmp_path: Path, sample_copy: Path) -> None:
    zendesk_file = sorted((sample_copy / "zendesk").glob("*.json"))[0]
    data = json.loads(zendesk_file.read_text())
    good = len(data["tickets"])
    broken_id = data["tickets"][1]["id"]
    data["tickets"][1]["created_at"] = "last tuesday"
    zendesk_file.write_text(json.dumps(data, indent=2))

    out = subprocess.run(
        [sys.executable, "-m", "copilot", "ingest", str(zendesk_file.parent.parent / "plans"), str(zendesk_file),
         "--home", str(tmp_path / "home"), "--json"],
        capture_output=True, text=True, check=False)

    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["tickets"] == good - 1
    [entry] = [q for q in report["quarantined"] if q["file"].endswith(zendesk_file.name)]
    assert entry["row"] == f"ZD-{broken_id}"
    assert "created_at" in entry["reason"]
    assert {"accounts", "tickets", "incidents", "runbooks", "plans", "chunks_embedded", "chunks_unchanged",
            "quarantined"} <= report.keys()


def test_strict_exits_1_and_unreadable_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "notes.json").write_bytes(b"\xff\xfe not utf-8")
    cmd = [sys.executable, "-m", "copilot", "ingest", str(bad), "--home", str(tmp_path / "home"), "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert out.returncode == 2
    report = json.loads(out.stdout)
    assert "UTF-8" in report["quarantined"][0]["reason"]


@pytest.mark.slow  # two full ingests of the sample in subprocesses, one killed mid-embedding
def test_kill_9_mid_embedding_is_repaired_by_next_ingest(tmp_path: Path, sample_dir: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "COPILOT_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "copilot", "ingest", str(sample_dir), "--json"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = home / "records.sqlite3"
    killed_with_pending = False
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    states = dict(conn.execute("SELECT state, COUNT(*) FROM chunks GROUP BY state").fetchall())
            except sqlite3.Error:
                states = {}
            if states.get("indexed", 0) > 0 and states.get("pending", 0) > 0:
                proc.send_signal(signal.SIGKILL)
                killed_with_pending = True
                break
        time.sleep(0.05)
    proc.wait(timeout=60)
    assert killed_with_pending, "the ingest finished before it could be killed mid-embedding"

    copilot = Copilot(home)
    report = copilot.ingest([sample_dir])

    assert report.chunks_embedded > 0
    assert not copilot.store.chunks(state="pending")
    rows, ids = store_and_index_agree(copilot)
    assert rows == ids
    assert report.tickets >= 200
    assert copilot.ingest([sample_dir]).chunks_embedded == 0
