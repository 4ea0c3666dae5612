"""Edits make re-checked revisions; only approved drafts export; the audit log is append-only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml
from review_support import make_draft, marker_checker, open_queue, sha256

from copilot.drafting.draft import Draft, GuardrailReport
from copilot.errors import Conflict, InvalidInput, Refused
from copilot.review import ReviewQueue


@pytest.fixture()
def queue(tmp_path: Path) -> ReviewQueue:
    return open_queue(tmp_path / "records.sqlite3")


# --- edit ----------------------------------------------------------------------------------


def test_edit_creates_a_rechecked_revision(tmp_path: Path) -> None:
    seen: list[Draft] = []

    def checker(draft: Draft) -> GuardrailReport:
        seen.append(draft)
        return marker_checker(draft)

    queue = ReviewQueue(tmp_path / "records.sqlite3", checker)
    item = queue.submit(make_draft("999 users are affected."), "tam")
    assert [f.check for f in item.blocking] == ["grounding"]
    fixed = item.markdown.replace("999 users are affected.", "About 40 users are affected.")
    edited = queue.edit(item.id, fixed, "alice")

    assert (edited.revision, edited.version, edited.status) == (2, 2, "in_review")
    assert edited.markdown == fixed and edited.content_hash == sha256(fixed)
    assert edited.blocking == [] and edited.approvable
    assert [r.n for r in edited.revisions] == [1, 2]
    assert edited.revisions[0].markdown == item.markdown  # the old text is kept
    assert [f.check for f in edited.revisions[0].report.blocking] == ["grounding"]
    # the checker saw the edited text, with sections re-read from it and citations kept
    assert seen[-1].markdown == fixed
    known = seen[-1].section("known")
    assert known is not None and known.text == "About 40 users are affected." and known.citations == ["INC-1#c0"]
    entry = edited.audit[-1]
    assert (entry.action, entry.actor, entry.revision) == ("edit", "alice", 2)
    assert (entry.hash_before, entry.hash_after) == (item.content_hash, edited.content_hash)


def test_an_edit_can_introduce_a_blocking_finding(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft(), "tam")
    edited = queue.edit(item.id, item.markdown + "\nKey: AKIAABCDEFGHIJKLMNOP\n", "bob")
    assert [f.check for f in edited.blocking] == ["secrets"]
    with pytest.raises(Refused, match="secrets"):
        queue.approve(item.id, "alice")


def test_a_deleted_section_disappears_from_the_redraft(tmp_path: Path) -> None:
    seen: list[Draft] = []
    queue = ReviewQueue(tmp_path / "db.sqlite3", lambda d: seen.append(d) or GuardrailReport())
    item = queue.submit(make_draft(), "tam")
    without = item.markdown.split("## Workaround")[0] + "## Next update\n\nBy 11:00 UTC.\n"
    queue.edit(item.id, without, "tam")
    assert [s.name for s in seen[-1].sections] == ["known", "unknown", "actions", "next_update"]


def test_identical_edit_is_a_no_op_and_empty_edit_is_refused(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft(), "tam")
    same = queue.edit(item.id, item.markdown, "alice")
    assert (same.revision, same.version) == (1, 1)
    with pytest.raises(InvalidInput, match="empty"):
        queue.edit(item.id, "  \n", "alice")


def test_stale_edit_is_a_conflict_and_its_text_is_kept(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft(), "tam")
    queue.edit(item.id, item.markdown + "\nbob's line\n", "bob", expected_version=1)
    carol_text = item.markdown + "\ncarol's line\n"
    with pytest.raises(Conflict) as err:
        queue.edit(item.id, carol_text, "carol", expected_version=1)
    message = str(err.value)
    assert "draft R1 was edited into revision 2 by bob at " in message
    assert "while you were reviewing revision 1 (version 1)" in message
    assert "reload with `review show R1` and try again" in message and "Your text was not lost" in message
    after = queue.get(item.id)
    assert after.revision == 2 and "carol" not in after.markdown
    kept = after.audit[-1]
    assert (kept.action, kept.actor) == ("edit_conflict", "carol")
    assert kept.detail["markdown"] == carol_text and kept.hash_after == sha256(carol_text)
    assert kept.hash_before == item.content_hash
    assert f"#{kept.id}" in message
    with pytest.raises(InvalidInput, match="no version 9"):
        queue.edit(item.id, carol_text, "carol", expected_version=9)


# --- export --------------------------------------------------------------------------------


def test_only_approved_drafts_export(queue: ReviewQueue, tmp_path: Path) -> None:
    item = queue.submit(make_draft(), "tam")
    out = tmp_path / "out" / "update.md"
    with pytest.raises(Refused, match="in review, not approved"):
        queue.export(item.id, out)
    queue.reject(item.id, "alice", "no")
    with pytest.raises(Refused, match="rejected, not approved"):
        queue.export(item.id, out)
    assert not out.exists()


def test_export_writes_front_matter_and_the_exact_approved_text(queue: ReviewQueue, tmp_path: Path) -> None:
    item = queue.submit(make_draft("999 users"), "tam")
    queue.override(item.id, "grounding", "alice", "count confirmed by the customer")
    approved = queue.approve(item.id, "alice")
    out = queue.export(item.id, tmp_path / "exports" / "R1.md", actor="exporter")

    text = out.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    _, header, body = text.split("---\n", 2)
    front = yaml.safe_load(header)
    assert front["id"] == "R1" and front["account"] == "acme" and front["subject"] == "INC-1"
    assert front["approved_by"] == "alice" and front["approved_at"] == approved.decided_at.isoformat()
    assert front["content_hash"] == f"sha256:{approved.content_hash}"
    assert front["overrides"] == [{"check": "grounding", "reviewer": "alice",
                                   "reason": "count confirmed by the customer"}]
    body = body.removeprefix("\n")
    assert body == approved.markdown and sha256(body) == approved.content_hash
    entry = queue.audit(item.id)[-1]
    assert (entry.action, entry.actor, entry.detail["out"]) == ("export", "exporter", str(out))
    with pytest.raises(InvalidInput, match="is a folder"):
        queue.export(item.id, tmp_path)


# --- audit log -----------------------------------------------------------------------------


def test_audit_log_is_append_only_in_the_database(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft("999 users"), "tam")
    queue.override(item.id, "grounding", "alice", "confirmed")
    conn = sqlite3.connect(queue.store.path)
    try:
        for sql in ("UPDATE audit_log SET actor='mallory'", "DELETE FROM audit_log",
                    "UPDATE revisions SET markdown='x'", "DELETE FROM revisions",
                    "UPDATE overrides SET reason='none'", "DELETE FROM overrides"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)
        conn.rollback()
    finally:
        conn.close()
    assert [e.actor for e in queue.audit(item.id)] == ["tam", "alice"]
    assert queue.verify_audit().intact


def test_tampering_behind_the_triggers_breaks_the_hash_chain(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft(), "tam")
    queue.approve(item.id, "alice")
    queue.submit(make_draft(subject_id="INC-2"), "tam")
    conn = sqlite3.connect(queue.store.path)
    try:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET actor='mallory' WHERE action='approve'")
        conn.commit()
    finally:
        conn.close()
    approve_id = next(e.id for e in queue.audit() if e.action == "approve")
    assert queue.verify_audit().broken == [approve_id]


def test_audit_spans_reviews_and_filters_by_id(queue: ReviewQueue) -> None:
    first = queue.submit(make_draft(subject_id="INC-1"), "tam")
    second = queue.submit(make_draft(subject_id="INC-2"), "tam")
    queue.approve(second.id, "alice")
    assert [(e.review_id, e.action) for e in queue.audit()] == [
        (first.id, "submit"), (second.id, "submit"), (second.id, "approve")]
    assert [e.action for e in queue.audit(first.id)] == ["submit"]
    assert all(e.at.tzinfo is not None for e in queue.audit())
