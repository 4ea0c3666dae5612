"""The batch's parts on their own: fingerprints, risk order, charts, the record snapshot."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from batch_helpers import PNG_MAGIC, corrupt_ticket
from pydantic import ValidationError

from copilot.batch.index import index_rows, render_html, render_markdown
from copilot.batch.manifest import AccountManifest, GuardrailSummary, fingerprints
from copilot.batch.runner import prompt_version_for
from copilot.batch.snapshot import SnapshotStore
from copilot.records.store import Store

NOW = datetime(2026, 11, 16, 8, tzinfo=timezone.utc)


def test_fingerprint_covers_records_quarter_backend_prompt_and_names(home: Path, account_ids: list[str]) -> None:
    store = Store(home / "records.sqlite3")
    args = dict(quarter="2026Q3", backend="template", prompt_version="v1")
    base = fingerprints(store, account_ids, **args)
    assert base == fingerprints(store, account_ids, **args), "deterministic"
    assert len(set(base.values())) == len(account_ids)
    for change in ({"quarter": "2026Q2"}, {"backend": "openai:gpt-4o-mini"}, {"prompt_version": "v2"}):
        other = fingerprints(store, account_ids, **{**args, **change})
        assert all(other[a] != base[a] for a in account_ids), change
    assert fingerprints(store, account_ids, **args, as_of=NOW) != base, "a pinned as-of is an input"

    first, second = account_ids[:2]
    with store.transaction() as conn:  # a stored ticket changes, even with its source hash unchanged
        tid, doc = conn.execute("SELECT id, json FROM tickets WHERE account_id=? LIMIT 1", (first,)).fetchone()
        conn.execute("UPDATE tickets SET json=? WHERE id=?", (doc.replace('"subject":"', '"subject":"x'), tid))
    changed = fingerprints(store, account_ids, **args)
    assert changed[first] != base[first] and changed[second] == base[second]
    with store.transaction() as conn:  # renaming an account changes what every other draft scrubs
        conn.execute("UPDATE plans SET name='Renamed Co' WHERE account_id=?", (second,))
    renamed = fingerprints(store, account_ids, **args)
    assert all(renamed[a] != changed[a] for a in account_ids)


def test_prompt_version_per_backend() -> None:
    assert prompt_version_for("template").startswith("qbr-template-")
    llm = prompt_version_for("openai:gpt-4o-mini")
    assert "qbr-system-" in llm and "qbr-user-" in llm and "qbr-template-" in llm


def _manifest(account: str, *, health: str | None, renewal: date | None, status: str = "ok",
              blocked: int = 0) -> AccountManifest:
    guard = None if status != "ok" else GuardrailSummary(status="blocked" if blocked else "passed", blocking=blocked)
    files = {k: f"accounts/{account}/{v}" for k, v in {
        "draft_md": "draft.md", "draft_json": "draft.json", "guardrails": "guardrails.json",
        "chart_severity": "charts/a.png", "chart_sla": "charts/b.png", "chart_mttr": "charts/c.png"}.items()}
    return AccountManifest(account_id=account, account_name=account.title() + " | Inc", quarter="2026Q3",
                           status=status, fingerprint="f", backend="template", run_id="r", as_of=NOW, finished_at=NOW,
                           health=health, renewal_date=renewal, guardrails=guard, files=files if status == "ok" else {},
                           error="drafting the QBR failed: boom" if status != "ok" else None)


def test_index_is_riskiest_first() -> None:
    manifests = [
        _manifest("green-soon", health="green", renewal=date(2026, 12, 1)),
        _manifest("red-late", health="red", renewal=date(2027, 9, 1)),
        _manifest("yellow-blocked-late", health="yellow", renewal=date(2027, 9, 1), blocked=2),
        _manifest("yellow-soon", health="yellow", renewal=date(2026, 12, 1)),
        _manifest("green-later", health="green", renewal=date(2027, 1, 1)),
        _manifest("broken", health="green", renewal=None, status="failed"),
        _manifest("red-soon", health="red", renewal=date(2026, 11, 20)),
    ]
    rows = index_rows(manifests, NOW)
    assert [r.account_id for r in rows] == ["broken", "red-soon", "red-late", "yellow-blocked-late", "yellow-soon",
                                            "green-soon", "green-later"]
    assert rows[1].days_to_renewal == 4 and rows[3].guardrails == "blocked (2)"
    md = render_markdown(rows, quarter="2026Q3", as_of=NOW, backend="template")
    assert "Green-Soon \\| Inc" in md, "a pipe in a name does not break the table"
    assert "**failed:** drafting the QBR failed: boom" in md
    html = render_html(rows, quarter="2026Q3", as_of=NOW, backend="template")
    assert "Green-Soon | Inc" in html and "<script" not in html


def test_charts_are_pngs_also_for_an_account_without_tickets(home: Path, account_ids: list[str]) -> None:
    from copilot.console.chart_images import CHART_FILES, chart_pngs, render_qbr_charts
    from copilot.console.charts import account_chart_data
    from copilot.service import Copilot

    copilot = Copilot(home)
    plan = copilot.plan(account_ids[0])
    busy = chart_pngs(copilot.chart_data(account_ids[0], "2026Q3"), "Busy")
    empty = chart_pngs(account_chart_data(plan, [], "2026Q3"), "Quiet")
    for pngs in (busy, empty):
        assert set(pngs) == {"severity", "sla", "mttr"} and all(p[:8] == PNG_MAGIC for p in pngs.values())
    assert busy["severity"] != empty["severity"], "each account is drawn over a fresh background"
    assert chart_pngs(copilot.chart_data(account_ids[0], "2026Q3"), "Busy") == busy, "deterministic"
    written = render_qbr_charts(copilot.chart_data(account_ids[0], "2026Q2"), home / "charts")
    assert sorted(p.name for p in written.values()) == sorted(CHART_FILES.values())


def test_snapshot_store_contains_a_broken_record_to_its_account(home: Path, account_ids: list[str]) -> None:
    broken, healthy = account_ids[1], account_ids[0]
    before = len(Store(home / "records.sqlite3").tickets())
    corrupt_ticket(home, broken)
    store = SnapshotStore(home / "records.sqlite3")
    with pytest.raises(ValidationError):
        store.tickets(broken)
    assert store.tickets(healthy) == Store(home / "records.sqlite3").tickets(healthy)
    assert len(store.tickets()) == before - 1, "whole-table reads leave the broken record out"
    assert [p.account.id for p in store.plans()] == account_ids
    with sqlite3.connect(home / "records.sqlite3") as conn:  # the snapshot is taken once
        conn.execute("UPDATE plans SET json=? WHERE account_id=?", (json.dumps({"bad": True}), healthy))
    assert store.plan(healthy) is not None
    assert [p.account.id for p in SnapshotStore(home / "records.sqlite3").plans()] == account_ids[1:]
    with pytest.raises(ValidationError):
        SnapshotStore(home / "records.sqlite3").plan(healthy)


def test_a_second_run_on_the_same_out_folder_is_refused(home: Path, tmp_path: Path) -> None:
    from copilot.batch import run_qbr_batch
    from copilot.batch.outdir import OutLock
    from copilot.errors import InvalidInput
    from copilot.service import Copilot

    out = tmp_path / "out"
    out.mkdir()
    lock = OutLock(out)
    try:
        with pytest.raises(InvalidInput, match="being written by another qbr-batch run"):
            run_qbr_batch(Copilot(home), "2026Q3", None, out, workers=1)
    finally:
        lock.release()
    assert OutLock(out).release() is None, "released: the next run may start"
