"""The state machine: draft → in_review → approved | rejected, and how ids resolve."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_support import make_draft, open_queue, sha256

from copilot.drafting.draft import GuardrailReport
from copilot.errors import Conflict, InvalidInput, NotFound, Refused
from copilot.review import ReviewQueue


@pytest.fixture()
def queue(tmp_path: Path) -> ReviewQueue:
    return open_queue(tmp_path / "records.sqlite3")


def test_submit_queues_revision_one_in_review(queue: ReviewQueue) -> None:
    draft = make_draft()
    item = queue.submit(draft, "tam")
    assert (item.id, item.status, item.revision, item.version) == ("R1", "in_review", 1, 1)
    assert item.draft_id == draft.id and item.account_id == "acme" and item.subject_id == "INC-1"
    assert item.content_hash == sha256(draft.markdown) and item.markdown == draft.markdown
    assert item.approvable
    [entry] = item.audit
    assert (entry.actor, entry.action, entry.hash_before, entry.hash_after) == ("tam", "submit", None, item.content_hash)


def test_submit_rechecks_instead_of_trusting_the_drafts_report(queue: ReviewQueue) -> None:
    draft = make_draft("999 users affected", guardrails=GuardrailReport(passed=True))
    item = queue.submit(draft, "tam")
    assert [f.check for f in item.blocking] == ["grounding"]


def test_happy_path_approve(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft(), "tam")
    approved = queue.approve(item.id, "alice")
    assert approved.status == "approved" and approved.decided_by == "alice" and approved.decided_at is not None
    assert approved.version == 2
    assert [e.action for e in approved.audit] == ["submit", "approve"]
    assert queue.list(status="approved")[0].id == item.id
    assert queue.list(status="in_review") == []


def test_held_draft_must_be_sent_before_approval(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft(), "tam", hold=True)
    assert item.status == "draft"
    with pytest.raises(Refused, match="not been sent for review"):
        queue.approve(item.id, "alice")
    assert queue.send(item.id, "tam").status == "in_review"
    assert queue.approve(item.id, "alice").status == "approved"


def test_reject_needs_a_reason_and_is_reopened_by_an_edit(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft(), "tam")
    for blank in ("", "   ", None):
        with pytest.raises(InvalidInput, match="reason"):
            queue.reject(item.id, "alice", blank)  # type: ignore[arg-type]
    rejected = queue.reject(item.id, "alice", "impact section undersells the outage")
    assert rejected.status == "rejected" and rejected.decision_reason == "impact section undersells the outage"
    with pytest.raises(Conflict, match="already rejected by alice"):
        queue.approve(item.id, "bob")
    reopened = queue.edit(item.id, rejected.markdown + "\nAbout 40 users are affected.\n", "tam")
    assert (reopened.status, reopened.revision, reopened.decided_by) == ("in_review", 2, None)
    assert queue.approve(item.id, "alice").status == "approved"


def test_approved_is_final(queue: ReviewQueue) -> None:
    item = queue.approve(queue.submit(make_draft(), "tam").id, "alice")
    with pytest.raises(Conflict, match="already approved by alice"):
        queue.approve(item.id, "bob")
    with pytest.raises(Conflict, match="approved drafts are final"):
        queue.reject(item.id, "bob", "too late")
    with pytest.raises(Conflict, match="approved drafts are final"):
        queue.edit(item.id, "# changed\n", "bob")
    after = queue.get(item.id)
    assert (after.status, after.revision, after.version) == ("approved", 1, 2)
    # the refused attempts are on the record, including bob's text
    actions = [e.action for e in after.audit]
    assert actions == ["submit", "approve", "approve_conflict", "reject_conflict", "edit_conflict"]
    assert after.audit[-1].detail["markdown"] == "# changed\n"


def test_same_draft_cannot_be_open_twice(queue: ReviewQueue) -> None:
    draft = make_draft()
    first = queue.submit(draft, "tam")
    with pytest.raises(Conflict, match=f"already under review as {first.id}"):
        queue.submit(draft, "tam")
    queue.reject(first.id, "alice", "start over")
    assert queue.submit(draft, "tam").id == "R2"


def test_ids_resolve_and_unknown_ids_are_not_found(queue: ReviewQueue) -> None:
    draft = make_draft()
    item = queue.submit(draft, "tam")
    assert queue.get("r1").id == queue.get("1").id == queue.get(draft.id).id == item.id
    with pytest.raises(NotFound, match="review list"):
        queue.get("R42")
    with pytest.raises(NotFound):
        queue.approve("nope", "alice")


def test_list_filters(queue: ReviewQueue) -> None:
    queue.submit(make_draft(subject_id="INC-1"), "tam")
    queue.submit(make_draft(subject_id="INC-2", account_id="globex"), "tam")
    assert [i.id for i in queue.list()] == ["R2", "R1"]
    assert [i.id for i in queue.list(account_id="globex")] == ["R2"]
    with pytest.raises(InvalidInput, match="unknown status"):
        queue.list(status="done")


def test_blank_actor_is_refused(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft(), "tam")
    with pytest.raises(InvalidInput, match="reviewer"):
        queue.approve(item.id, "  ")


def test_reviews_live_in_the_homes_database(tmp_path: Path) -> None:
    from copilot.service import Copilot

    copilot = Copilot(tmp_path)
    queue = copilot.review
    assert queue.store is copilot.store
    assert queue.store.path == tmp_path / "records.sqlite3"
    tables = {r[0] for r in copilot.store.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"reviews", "revisions", "overrides", "audit_log"} <= tables
