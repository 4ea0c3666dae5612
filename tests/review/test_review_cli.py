"""`python -m copilot review …` end to end, in real subprocesses against a real home folder.

The CLI wires the queue to the product's guardrails (``Copilot.review``), so these tests do not
assume which checks fire: the draft carries blocking content (an ungrounded number, a key) and
the tests override whatever blocks, then approve. The guardrails check a draft against its
account's records, so the home gets a minimal account plan first (``seed_account``).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from review_support import make_draft, open_queue, seed_account

from copilot.drafting.draft import Finding, GuardrailReport

ROOT = Path(__file__).resolve().parents[2]


def cli(home: Path, *args: str, check: int | None = 0) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "copilot", "review", *args, "--home", str(home)],
                          check=False, capture_output=True, text=True, cwd=ROOT, timeout=120)
    if check is not None:
        assert proc.returncode == check, (proc.returncode, proc.stdout, proc.stderr)
    return proc


def said(proc: subprocess.CompletedProcess[str] | str) -> str:
    """stderr with rich's line wrapping undone."""
    return " ".join((proc if isinstance(proc, str) else proc.stderr).split())


def cli_json(home: Path, *args: str, check: int | None = 0) -> Any:
    proc = cli(home, *args, "--json", check=check)
    return json.loads(proc.stdout)


@pytest.fixture()
def draft_file(tmp_path: Path) -> Path:
    # The report on the draft says the same as the content; the queue re-checks anyway.
    draft = make_draft("999 users cannot log in; the key AKIAABCDEFGHIJKLMNOP was rotated at 10:00 UTC.",
                       guardrails=GuardrailReport(passed=False, findings=[
                           Finding(check="grounding", severity="block", message="999 is not in the records")]))
    path = tmp_path / "draft.json"
    path.write_text(draft.model_dump_json(indent=2), encoding="utf-8")
    return path


@pytest.mark.slow
def test_round_trip_refuse_override_approve_export(tmp_path: Path, draft_file: Path) -> None:
    home = tmp_path / "home"
    seed_account(home)
    submitted = cli_json(home, "submit", str(draft_file), "--author", "tam")
    assert submitted["id"] == "R1" and submitted["status"] == "in_review"
    rid = submitted["id"]

    listed = cli_json(home, "list")
    assert [(r["id"], r["status"]) for r in listed] == [("R1", "in_review")]
    shown = cli_json(home, "show", rid)
    blocking = sorted({f["check"] for f in shown["blocking"]})
    assert blocking, "a draft with an ungrounded number and a key must be blocked"
    assert shown["markdown"] == json.loads(draft_file.read_text())["markdown"]

    # approve refuses while a blocking finding stands (exit 1), naming the findings
    refused = cli(home, "approve", rid, "--reviewer", "alice", check=1)
    assert "blocking finding" in said(refused) and blocking[0] in said(refused)
    doc = cli_json(home, "approve", rid, "--reviewer", "alice", check=1)
    assert doc["refused"] is True and doc["conflict"] is False and doc["status"] == "in_review"
    assert sorted({f["check"] for f in doc["blocking"]}) == blocking

    # an override needs a reason; a blank one is bad input (exit 2)
    blank = cli(home, "override", rid, "--finding", blocking[0], "--reviewer", "alice", "--reason", " ", check=2)
    assert "reason" in said(blank)
    reasons = {check: f"checked {check} against the bridge call notes" for check in blocking}
    for check, reason in reasons.items():
        cli_json(home, "override", rid, "--finding", check, "--reviewer", "alice", "--reason", reason)

    approved = cli_json(home, "approve", rid, "--reviewer", "alice")
    assert approved["status"] == "approved" and approved["decided_by"] == "alice"

    # the audit log shows the refusals, each override's reason, and the approval
    audit = cli_json(home, "audit", rid)
    actions = [e["action"] for e in audit]
    assert actions[0] == "submit" and actions[-1] == "approve" and actions.count("approve_refused") == 2
    assert {e["detail"]["check"]: e["detail"]["reason"] for e in audit if e["action"] == "override"} == reasons
    assert {o["check"]: o["reason"] for o in audit[-1]["detail"]["overrides"]} == reasons
    human = cli(home, "show", rid).stdout
    assert "approve" in human and "alice" in human and blocking[0] in human
    verified = cli_json(home, "audit", "--verify")
    assert verified["intact"] is True and verified["broken"] == [] and verified["problems"] == []

    out = tmp_path / "export" / "R1.md"
    exported = cli_json(home, "export", rid, "--out", str(out))
    assert exported["out"] == str(out) and exported["content_hash"] == approved["content_hash"]
    front = yaml.safe_load(out.read_text(encoding="utf-8").split("---\n")[1])
    assert front["id"] == rid and front["account"] == "acme" and front["approved_by"] == "alice"
    # the draft's AWS key was approved over a secrets override; an export still never carries it
    assert front["approved_content_hash"] == f"sha256:{approved['content_hash']}"
    assert front["redacted_credentials"] == 1
    body = out.read_text(encoding="utf-8").split("---\n", 2)[2].lstrip("\n")
    assert "AKIAABCDEFGHIJKLMNOP" not in body and "[redacted secret]" in body
    assert front["content_hash"] == "sha256:" + __import__("hashlib").sha256(body.encode()).hexdigest()


def test_edit_reject_and_export_refusal(tmp_path: Path, draft_file: Path) -> None:
    home = tmp_path / "home"
    seed_account(home)
    rid = cli_json(home, "submit", str(draft_file))["id"]
    before = cli_json(home, "show", rid)
    edited_md = tmp_path / "edited.md"
    edited_md.write_text(before["markdown"].replace("999 users", "Some users"), encoding="utf-8")
    edited = cli_json(home, "edit", rid, "--markdown", str(edited_md), "--reviewer", "bob")
    assert (edited["revision"], edited["version"]) == (2, 2)
    assert edited["content_hash"] != before["content_hash"]
    stale = cli(home, "edit", rid, "--markdown", str(edited_md), "--reviewer", "carol",
                "--expected-version", "1", check=1)
    assert "conflict:" in said(stale) and "edited into revision 2 by bob" in said(stale)
    cli(home, "export", rid, "--out", str(tmp_path / "x.md"), check=1)
    rejected = cli_json(home, "reject", rid, "--reviewer", "alice", "--reason", "needs the impact numbers")
    assert rejected["status"] == "rejected" and rejected["decision_reason"] == "needs the impact numbers"
    assert not (tmp_path / "x.md").exists()


def test_unknown_ids_and_bad_input_exit_2(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert "no review 'R9'" in said(cli(home, "show", "R9", check=2))
    cli(home, "approve", "R9", "--reviewer", "alice", check=2)
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "poem"}', encoding="utf-8")
    assert "not a Draft JSON document" in said(cli(home, "submit", str(bad), check=2))
    assert "cannot read" in said(cli(home, "submit", str(tmp_path / "missing.json"), check=2))
    cli(home, "list", "--status", "done", check=2)
    assert cli(home, "list", "--json").stdout.strip() == "[]"


def test_two_cli_processes_approving_at_once(tmp_path: Path) -> None:
    """A write lock held by the test is the barrier: both processes start, block on the
    database, and race for it the moment the lock is released."""
    home = tmp_path / "home"
    seed_account(home)
    from copilot.service import Copilot

    queue = Copilot(home).review  # approval re-runs the product's checks: override what blocks first
    item = queue.submit(make_draft(), "tam")
    rid = item.id
    for check in sorted({f.check for f in item.blocking}):
        queue.override(rid, check, "lead", "accepted for the race test")
    queue.store.close()

    gate = sqlite3.connect(home / "records.sqlite3", isolation_level=None)
    gate.execute("BEGIN IMMEDIATE")
    procs = {who: subprocess.Popen(
        [sys.executable, "-m", "copilot", "review", "approve", rid, "--reviewer", who, "--home", str(home)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for who in ("alice", "bob")}
    time.sleep(3)
    assert all(p.poll() is None for p in procs.values()), "both should be waiting on the lock"
    gate.execute("ROLLBACK")
    gate.close()
    results = {who: (p.wait(timeout=60), *p.communicate()) for who, p in procs.items()}

    codes = sorted(rc for rc, _, _ in results.values())
    assert codes == [0, 1], results
    winner = next(who for who, (rc, _, _) in results.items() if rc == 0)
    loser = next(who for who, (rc, _, _) in results.items() if rc == 1)
    assert "conflict:" in said(results[loser][2]) and f"already approved by {winner}" in said(results[loser][2])
    item = open_queue(home / "records.sqlite3").get(rid)
    assert item.status == "approved" and item.decided_by == winner
    assert [(e.action, e.actor) for e in item.audit][-2:] == [("approve", winner), ("approve_conflict", loser)]
