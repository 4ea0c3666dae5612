"""Tampering with a home's review database behind the workflow, as someone with ``sqlite3`` and
write access to the file would, and what ``verify_audit`` / approve / export then do.

Each test writes to the real SQLite file with its own connection (the attacker), never through
the queue. The audit key stays in the home's key file, which the attacker does not read.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from review_support import make_draft, open_queue

from copilot.config import Settings
from copilot.errors import Refused
from copilot.review import ReviewQueue


@pytest.fixture
def queue(tmp_path: Path) -> ReviewQueue:
    return open_queue(tmp_path / "records.sqlite3")


@contextmanager
def attacker(queue: ReviewQueue) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(queue.store.path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        yield conn
    finally:
        conn.close()


def reasons(queue: ReviewQueue) -> str:
    result = queue.verify_audit()
    assert not result.intact
    return " | ".join(p.reason for p in result.problems)


def approved_review(queue: ReviewQueue) -> str:
    item = queue.submit(make_draft(), "tam")
    queue.approve(item.id, "alice")
    return item.id


def blocked_review(queue: ReviewQueue) -> str:
    return queue.submit(make_draft("999 users cannot log in."), "tam").id


def test_an_untouched_history_verifies_and_the_key_is_private(queue: ReviewQueue, tmp_path: Path) -> None:
    approved_review(queue)
    blocked_review(queue)
    result = queue.verify_audit()
    assert result.intact and result.problems == [] and result.checkpoint == result.entries
    key = tmp_path / "audit.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    with attacker(queue) as conn:  # the key is not in the database
        dump = "\n".join(conn.iterdump())
    assert key.read_text().strip() not in dump


def test_edited_audit_row_with_triggers_put_back(queue: ReviewQueue) -> None:
    approved_review(queue)
    with attacker(queue) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET actor='mallory' WHERE action='approve'")
        conn.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                     "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed'); END")
    approve_id = next(e.id for e in queue.audit() if e.action == "approve")
    assert queue.verify_audit().broken == [approve_id]
    assert f"audit entry #{approve_id} does not match its keyed hash" in reasons(queue)


def test_status_set_to_approved_outside_the_workflow(queue: ReviewQueue, tmp_path: Path) -> None:
    rid = blocked_review(queue)
    with attacker(queue) as conn:
        conn.execute("UPDATE reviews SET status='approved', decided_by='mallory' WHERE id=?", (rid,))
    assert f"{rid}'s status is 'approved' in the database but 'in_review' by its audit history" in reasons(queue)
    with pytest.raises(Refused, match="history does not verify"):
        queue.export(rid, tmp_path / "out.md")
    assert not (tmp_path / "out.md").exists()


def test_recomputed_chain_without_the_key(queue: ReviewQueue) -> None:
    """The attacker edits a row and re-chains every entry after it, unkeyed and with a guessed key."""
    approved_review(queue)
    for guess in (None, b"guessed-key"):
        with attacker(queue) as conn:
            conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
            prev = None
            for row in conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall():
                values = dict(row)
                if values["action"] == "approve":
                    values["actor"] = "mallory"
                cols = ("at", "review_id", "actor", "action", "revision", "version", "hash_before", "hash_after",
                        "detail")
                payload = json.dumps({"prev": prev, **{c: values[c] for c in cols}}, sort_keys=True, default=str)
                digest = (hashlib.sha256(payload.encode()).hexdigest() if guess is None
                          else "h1:" + __import__("hmac").new(guess, payload.encode(), "sha256").hexdigest())
                conn.execute("UPDATE audit_log SET actor=?, prev_hash=?, entry_hash=? WHERE id=?",
                             (values["actor"], prev, digest, values["id"]))
                prev = digest
        text = reasons(queue)
        assert "does not match its keyed hash" in text or "unkeyed but follows keyed" in text or \
            "rewritten from there on" in text


def test_truncated_tail_is_detected_and_not_papered_over(queue: ReviewQueue) -> None:
    rid = approved_review(queue)
    before = queue.verify_audit()
    with attacker(queue) as conn:
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute("DELETE FROM audit_log WHERE action='approve'")  # the last entry
        conn.execute("UPDATE reviews SET status='in_review', decided_by=NULL, decided_at=NULL, version=1")
        conn.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                     "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is not allowed'); END")
    assert f"the audit log was truncated: the checkpoint records entry #{before.checkpoint}" in reasons(queue)
    queue.submit(make_draft(subject_id="INC-2"), "tam")  # a later, honest write does not hide the cut
    assert "the audit log was truncated" in reasons(queue)
    with pytest.raises(Refused, match="history does not verify"):
        queue.approve(rid, "alice")


def test_whole_log_deleted(queue: ReviewQueue) -> None:
    approved_review(queue)
    with attacker(queue) as conn:
        for table in ("audit_log", "overrides", "revisions"):
            conn.execute(f"DROP TRIGGER {table}_no_delete")
            conn.execute(f"DELETE FROM {table}")
        conn.execute("DELETE FROM reviews")
    text = reasons(open_queue(queue.store.path))
    assert "the audit log was truncated" in text and "audit_log_no_delete is missing" not in text  # re-created…
    assert "were found dropped and re-created" in text  # …but on the record


def test_dropped_trigger_is_reported_even_after_a_reopen_recreates_it(queue: ReviewQueue) -> None:
    approved_review(queue)
    with attacker(queue) as conn:
        conn.execute("DROP TRIGGER revisions_no_update")
    assert "the append-only trigger revisions_no_update is missing" in reasons(queue)
    reopened = open_queue(queue.store.path)
    assert "revisions_no_update) were found dropped and re-created" in reasons(reopened)


def test_edited_stored_report_neither_approves_nor_verifies(queue: ReviewQueue, tmp_path: Path) -> None:
    rid = blocked_review(queue)
    with attacker(queue) as conn:
        conn.execute("DROP TRIGGER revisions_no_update")
        conn.execute("UPDATE revisions SET report=? WHERE review_id=?",
                     (json.dumps({"passed": True, "findings": [], "crashed": []}), rid))
    assert f"{rid} revision 1's stored report was edited" in reasons(queue)
    assert queue.get(rid).blocking == []  # the doctored report shows nothing…
    with pytest.raises(Refused):  # …but approval re-runs the checks and checks the history
        queue.approve(rid, "alice")
    assert queue.get(rid).status == "in_review"


def test_approval_recomputes_the_report_even_when_history_is_intact(tmp_path: Path) -> None:
    """A check that blocks now, though it did not at submit (records changed), refuses approval."""
    rules = {"block": False}

    def checker(draft):
        from copilot.drafting.draft import Finding, GuardrailReport

        findings = [Finding(check="grounding", severity="block", message="no longer in the records")] \
            if rules["block"] else []
        return GuardrailReport(passed=not findings, findings=findings)

    queue = ReviewQueue(tmp_path / "records.sqlite3", checker)
    rid = queue.submit(make_draft(), "tam").id
    rules["block"] = True
    with pytest.raises(Refused, match="no longer in the records"):
        queue.approve(rid, "alice")
    entry = queue.get(rid).audit[-1]
    assert entry.action == "approve_refused" and entry.detail["checked_at_approval"]["blocking"] == ["grounding"]


def test_forged_override_row_is_caught(queue: ReviewQueue) -> None:
    rid = blocked_review(queue)
    with attacker(queue) as conn:  # INSERT is not blocked by the append-only triggers
        conn.execute("INSERT INTO overrides VALUES (?,?,?,?,?,?)",
                     (rid, 1, "grounding", "mallory", "trust me", "2026-01-01T00:00:00+00:00"))
    assert f"the override of grounding on {rid} revision 1 has no audit entry" in reasons(queue)
    with pytest.raises(Refused, match="history does not verify"):
        queue.approve(rid, "alice")


def test_edited_revision_text_is_caught(queue: ReviewQueue, tmp_path: Path) -> None:
    rid = approved_review(queue)
    with attacker(queue) as conn:
        conn.execute("DROP TRIGGER revisions_no_update")
        conn.execute("UPDATE revisions SET markdown = markdown || ' Fixed for good, guaranteed.'")
    assert f"{rid} revision 1's text differs from the hash" in reasons(queue)
    with pytest.raises(Refused, match="history does not verify"):
        queue.export(rid, tmp_path / "out.md")


def test_deleted_checkpoint_and_foreign_key(queue: ReviewQueue, tmp_path: Path) -> None:
    approved_review(queue)
    (tmp_path / "audit.head").unlink()
    assert "checkpoint" in reasons(queue) and "is missing" in reasons(queue)


def test_a_team_key_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPILOT_AUDIT_KEY", "k" * 40)
    queue = open_queue(tmp_path / "records.sqlite3")
    approved_review(queue)
    assert queue.verify_audit().intact and not (tmp_path / "audit.key").exists()
    assert queue.verify_audit().key_source == "env:COPILOT_AUDIT_KEY"
    monkeypatch.setenv("COPILOT_AUDIT_KEY", "x" * 40)  # someone else's key: nothing verifies
    other = ReviewQueue(tmp_path / "records.sqlite3", open_queue.__globals__["marker_checker"],
                        settings=Settings.load(tmp_path))
    assert not other.verify_audit().intact
    monkeypatch.setenv("COPILOT_AUDIT_KEY", "short")
    with pytest.raises(Exception, match="at least 32"):
        open_queue(tmp_path / "records.sqlite3")
    assert os.environ["COPILOT_AUDIT_KEY"] == "short"
