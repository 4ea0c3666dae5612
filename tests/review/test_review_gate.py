"""The approval gate: blocking findings refuse approval until overridden with a written reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_support import make_draft, open_queue

from copilot.errors import InvalidInput, Refused
from copilot.review import ReviewQueue

KEY = "AKIAABCDEFGHIJKLMNOP"


@pytest.fixture()
def queue(tmp_path: Path) -> ReviewQueue:
    return open_queue(tmp_path / "records.sqlite3")


def test_approval_refused_while_blocking_findings_stand(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft(f"999 users; key {KEY}; obviously fine"), "tam")
    assert sorted(f.check for f in item.blocking) == ["grounding", "secrets"]
    with pytest.raises(Refused) as err:
        queue.approve(item.id, "alice")
    message = str(err.value)
    assert message.startswith("2 blocking findings stand on R1 revision 1: ")
    assert "grounding (999 does not appear" in message and "secrets (an AWS access key" in message
    assert "override each with a reason" in message
    after = queue.get(item.id)
    assert after.status == "in_review" and after.version == 1  # a refusal changes nothing…
    assert after.audit[-1].action == "approve_refused"  # …but is on the record
    assert {b["check"] for b in after.audit[-1].detail["blocking"]} == {"grounding", "secrets"}


def test_override_requires_a_written_reason(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft("999 users"), "tam")
    for blank in ("", " \n\t", None):
        with pytest.raises(InvalidInput, match="written reason"):
            queue.override(item.id, "grounding", "alice", blank)  # type: ignore[arg-type]
    after = queue.get(item.id)
    assert after.overrides == [] and after.version == 1 and [e.action for e in after.audit] == ["submit"]
    with pytest.raises(Refused):
        queue.approve(item.id, "alice")


def test_override_must_name_a_blocking_finding_of_the_current_revision(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft("999 users, obviously"), "tam")
    with pytest.raises(InvalidInput, match="no blocking 'secrets' finding.*blocking checks: grounding"):
        queue.override(item.id, "secrets", "alice", "because")
    with pytest.raises(InvalidInput, match="no blocking 'tone' finding"):  # a warning needs no override
        queue.override(item.id, "tone", "alice", "because")
    queue.override(item.id, "grounding", "alice", "999 is the customer's own count from the bridge call")
    with pytest.raises(InvalidInput, match="already overridden by alice"):
        queue.override(item.id, "grounding", "bob", "me too")


def test_override_each_then_approve_and_the_audit_log_shows_the_reasons(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft(f"999 users; key {KEY}"), "tam")
    queue.override(item.id, "grounding", "alice", "999 confirmed by the customer on the bridge call")
    with pytest.raises(Refused, match=r"^1 blocking finding stands on R1 revision 1: secrets"):
        queue.approve(item.id, "alice")
    queue.override(item.id, "secrets", "bob", "the key is the documented example key, not a real one")
    approved = queue.approve(item.id, "alice")
    assert approved.status == "approved" and approved.blocking == []
    assert all(f.overridden for f in approved.findings if f.severity == "block")
    reasons = {e.detail["check"]: (e.actor, e.detail["reason"]) for e in approved.audit if e.action == "override"}
    assert reasons == {
        "grounding": ("alice", "999 confirmed by the customer on the bridge call"),
        "secrets": ("bob", "the key is the documented example key, not a real one"),
    }
    approval = approved.audit[-1]
    assert approval.action == "approve" and approval.actor == "alice"
    assert approval.hash_before == approval.hash_after == approved.content_hash
    assert {o["check"]: o["reason"] for o in approval.detail["overrides"]} == {
        c: r for c, (_, r) in reasons.items()}


def test_overrides_do_not_carry_over_to_a_new_revision(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft("999 users"), "tam")
    queue.override(item.id, "grounding", "alice", "confirmed by phone")
    edited = queue.edit(item.id, item.markdown.replace("999 users", "999 users, 12 regions"), "tam")
    assert edited.revision == 2 and [f.check for f in edited.blocking] == ["grounding"]
    with pytest.raises(Refused):
        queue.approve(item.id, "alice")
    assert [o.revision for o in edited.overrides] == [1]


def test_a_crashed_check_blocks_like_a_finding(queue: ReviewQueue) -> None:
    item = queue.submit(make_draft("CRASH"), "tam")
    [finding] = item.blocking
    assert finding.check == "commitments" and finding.crashed
    with pytest.raises(Refused, match="commitments"):
        queue.approve(item.id, "alice")
    queue.override(item.id, "commitments", "alice", "read it myself: no promises in the text")
    assert queue.approve(item.id, "alice").status == "approved"
