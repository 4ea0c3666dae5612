"""``qbr-batch`` end to end through the CLI: outputs per account, index, review queue, skipping,
per-account failures."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from batch_helpers import PNG_MAGIC, batch_command, corrupt_ticket, manifest_mtimes, manifests, qbr_reviews, run_cli

from copilot.drafting.draft import SECTION_NAMES, Draft

HEALTH_RANK = {"red": 0, "yellow": 1, "green": 2}


def _index_rows(index_md: str) -> list[dict]:
    rows = []
    for line in index_md.splitlines():
        match = re.match(r"^\| (\d+) \| (.+?) \(`([a-z0-9-]+)`\) \| (\w+|\?) \| ([\d?-]+) \| (-?\d+|\?) "
                         r"\| (.+?) \|", line)
        if match:
            rows.append({"n": int(match[1]), "account_id": match[3], "health": match[4], "days": match[6],
                         "guardrails": match[7], "line": line})
    return rows


def test_batch_drafts_every_account_queues_for_review_and_skips_on_rerun(home: Path, tmp_path: Path,
                                                                         account_ids: list[str]) -> None:
    out = tmp_path / "qbr"
    code, payload, err = run_cli(batch_command(home, out, "--all", "--workers", "2", "--json"))
    assert code == 0, err
    assert payload["completed"] == len(account_ids) and payload["skipped"] == 0 and payload["failed"] == []
    assert payload["out"] == str(out.resolve())
    assert sorted(payload["completed_accounts"]) == account_ids

    found = manifests(out)
    assert sorted(found) == account_ids
    for account in account_ids:
        folder = out / "accounts" / account
        m = found[account]
        assert m["status"] == "ok" and m["quarter"] == "2026Q3" and m["backend"] == "template"
        assert m["prompt_version"].startswith("qbr-template-")
        markdown = (folder / "draft.md").read_text()
        for _, title in SECTION_NAMES["qbr_narrative"]:
            assert f"## {title}" in markdown
        draft = Draft.model_validate_json((folder / "draft.json").read_text())
        assert draft.kind == "qbr_narrative" and draft.account_id == account and draft.markdown == markdown
        assert draft.id == m["draft_id"]
        report = json.loads((folder / "guardrails.json").read_text())
        assert report["draft_id"] == draft.id and "findings" in report and "passed" in report
        for chart in ("tickets-by-severity.png", "sla-compliance.png", "mttr-trend.png"):
            assert (folder / "charts" / chart).read_bytes()[:8] == PNG_MAGIC

    # the index: every account once, riskiest first, with links and guardrail status
    index = (out / "index.md").read_text()
    rows = _index_rows(index)
    assert sorted(r["account_id"] for r in rows) == account_ids
    ranks = [HEALTH_RANK.get(r["health"], 0) for r in rows]
    assert ranks == sorted(ranks), "health red > yellow > green"
    for r in rows:
        assert f"(<accounts/{r['account_id']}/draft.md>)" in r["line"]
        assert f"(<accounts/{r['account_id']}/charts/mttr-trend.png>)" in r["line"]
        assert re.match(r"(passed|blocked \(\d+\))", r["guardrails"]), r["guardrails"]
    for r, nxt in zip(rows, rows[1:], strict=False):  # within one health: blocked first, then fewer days
        same_block = r["guardrails"].startswith("blocked") == nxt["guardrails"].startswith("blocked")
        if r["health"] == nxt["health"] and same_block:
            assert int(r["days"]) <= int(nxt["days"])
    assert (out / "index.html").read_text().count("<tr class=") == len(account_ids)

    # every draft is in the review queue, in review; nothing approved or sent
    reviews = qbr_reviews(home)
    assert sorted(a for _, a, _ in reviews) == account_ids
    assert {s for _, _, s in reviews} == {"in_review"}
    assert {m["review_id"] for m in found.values()} == {rid for rid, _, _ in reviews}

    # a second run changes nothing: every account skipped, no manifest rewritten, no new review
    before = manifest_mtimes(out)
    code, payload, err = run_cli(batch_command(home, out, "--all", "--json"))
    assert code == 0, err
    assert payload["completed"] == 0 and payload["skipped"] == len(account_ids) and payload["failed"] == []
    assert manifest_mtimes(out) == before
    assert qbr_reviews(home) == reviews
    log = [json.loads(line) for line in (out / "run-log.jsonl").read_text().splitlines()]
    assert [e["event"] for e in log].count("completed") == len(account_ids)
    assert [e["event"] for e in log].count("skipped") == len(account_ids)

    # the index shows each review's status as the queue has it now
    from copilot.service import Copilot

    rid, account, _ = reviews[0]
    Copilot(home).review.reject(rid, "alice", "numbers need a second look")
    code, payload, err = run_cli(batch_command(home, out, "--all", "--json"))
    assert code == 0 and payload["skipped"] == len(account_ids), err
    row = next(r for r in _index_rows((out / "index.md").read_text()) if r["account_id"] == account)
    assert f"{rid} rejected" in row["line"]


def test_corrupted_account_fails_alone_with_a_clear_error(home: Path, tmp_path: Path, account_ids: list[str]) -> None:
    broken = account_ids[2]
    ticket = corrupt_ticket(home, broken)
    out = tmp_path / "qbr"
    code, payload, err = run_cli(batch_command(home, out, "--all", "--workers", "2", "--json"))
    assert code == 1, err
    assert [f["account_id"] for f in payload["failed"]] == [broken]
    error = payload["failed"][0]["error"]
    assert ticket in error and "created_at" in error and "re-run qbr-batch" in error
    assert sorted(payload["completed_accounts"]) == [a for a in account_ids if a != broken]

    m = manifests(out)[broken]
    assert m["status"] == "failed" and m["error"] == error and m["stage"] == "draft"
    assert not (out / "accounts" / broken / "draft.md").exists()
    index = (out / "index.md").read_text()
    row = next(r for r in _index_rows(index) if r["account_id"] == broken)
    assert row["n"] == 1, "a failed account is listed first"
    assert "**failed:**" in row["line"] and ticket in row["line"]
    assert f"- `{broken}`: " in index
    assert broken not in {a for _, a, _ in qbr_reviews(home)}

    # the others are done: a re-run retries only the failed account (and fails it again)
    code, payload, _ = run_cli(batch_command(home, out, "--all", "--json"))
    assert code == 1
    assert payload["skipped"] == len(account_ids) - 1 and [f["account_id"] for f in payload["failed"]] == [broken]


def test_changed_records_redo_only_that_account(home: Path, tmp_path: Path, account_ids: list[str]) -> None:
    from copilot.batch import run_qbr_batch
    from copilot.cli.drafts import parse_as_of
    from copilot.service import Copilot

    out = tmp_path / "qbr"
    as_of = parse_as_of("2026-11-16T08:00:00Z")
    first = run_qbr_batch(Copilot(home), "2026Q3", None, out, workers=2, executor="thread", as_of=as_of)
    assert sorted(first.completed) == account_ids and first.executor == "thread"

    changed = account_ids[0]
    with sqlite3.connect(home / "records.sqlite3") as conn:  # what a re-ingest of an edited ticket does
        tid, doc = conn.execute("SELECT id, json FROM tickets WHERE account_id=? ORDER BY id LIMIT 1",
                                (changed,)).fetchone()
        data = json.loads(doc)
        data["subject"] += " (edited)"
        conn.execute("UPDATE tickets SET json=?, content_hash='edited' WHERE id=?", (json.dumps(data), tid))
    again = run_qbr_batch(Copilot(home), "2026Q3", None, out, workers=1, as_of=as_of)
    assert again.completed == [changed] and sorted(again.skipped) == [a for a in account_ids if a != changed]

    # another quarter's batch needs its own folder; --force redoes everything
    forced = run_qbr_batch(Copilot(home), "2026Q3", account_ids[:2], out, workers=1, as_of=as_of, force=True)
    assert sorted(forced.completed) == account_ids[:2] and forced.skipped == []
