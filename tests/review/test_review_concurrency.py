"""Two reviewers acting on the same draft at once, in two real processes: one wins, the other
gets a Conflict that says what happened, and nothing either of them wrote is lost."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from review_support import make_draft, open_queue, race_worker

ROUNDS = 4


def _race(db: Path, plans: dict[str, list[tuple[str, tuple]]]) -> dict[int, dict[str, tuple[str, Any]]]:
    """Run each named plan in its own spawned process, round by round behind a barrier."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(len(plans)), ctx.Queue()
    procs = [ctx.Process(target=race_worker, args=(str(db), name, plan, barrier, results)) for name, plan in plans.items()]
    for p in procs:
        p.start()
    rounds = len(next(iter(plans.values())))
    outcomes: dict[int, dict[str, tuple[str, Any]]] = {}
    for _ in range(rounds * len(plans)):
        n, name, outcome, detail = results.get(timeout=90)
        outcomes.setdefault(n, {})[name] = (outcome, detail)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    return outcomes


def _one_winner(round_: dict[str, tuple[str, Any]]) -> tuple[str, str, str]:
    """(winner, loser, loser's conflict message); fails unless exactly one won and one conflicted."""
    assert not [v for v in round_.values() if v[0] == "error"], round_
    winners = [name for name, (outcome, _) in round_.items() if outcome == "ok"]
    losers = [name for name, (outcome, _) in round_.items() if outcome == "conflict"]
    assert len(winners) == 1 and len(losers) == 1, round_
    return winners[0], losers[0], round_[losers[0]][1]


def test_two_approvers_at_once(tmp_path: Path) -> None:
    db = tmp_path / "records.sqlite3"
    queue = open_queue(db)
    ids = [queue.submit(make_draft(subject_id=f"INC-{n}"), "tam").id for n in range(ROUNDS)]
    outcomes = _race(db, {"alice": [("approve", (rid, "alice")) for rid in ids],
                          "bob": [("approve", (rid, "bob")) for rid in ids]})
    for n, rid in enumerate(ids):
        winner, loser, message = _one_winner(outcomes[n])
        item = queue.get(rid)
        assert item.status == "approved" and item.decided_by == winner and item.version == 2
        assert f"draft {rid} was already approved by {winner} at " in message
        assert [(e.action, e.actor) for e in item.audit][1:] == [("approve", winner), ("approve_conflict", loser)]


def test_approve_and_edit_of_the_same_version(tmp_path: Path) -> None:
    """Both act on version 1: either the approval wins and the edit's text is kept in the audit
    log, or the edit wins and the approval (of a text that is no longer current) is refused."""
    db = tmp_path / "records.sqlite3"
    queue = open_queue(db)
    items = [queue.submit(make_draft(subject_id=f"INC-{n}"), "tam") for n in range(ROUNDS)]
    texts = {i.id: i.markdown + "\nbob adds: customers in eu-west are affected too.\n" for i in items}
    outcomes = _race(db, {"alice": [("approve", (i.id, "alice", 1)) for i in items],
                          "bob": [("edit", (i.id, texts[i.id], "bob", 1)) for i in items]})
    for n, original in enumerate(items):
        rid = original.id
        winner, _, message = _one_winner(outcomes[n])
        item = queue.get(rid)
        assert "reload with `review show" in message and "while you were reviewing revision 1" in message
        if winner == "alice":
            assert (item.status, item.revision) == ("approved", 1)
            assert f"draft {rid} was approved by alice at " in message
            kept = item.audit[-1]
            assert (kept.action, kept.actor) == ("edit_conflict", "bob")
            assert kept.detail["markdown"] == texts[rid]  # nothing is lost
            assert f"audit entry #{kept.id}" in message
        else:
            assert (item.status, item.revision, item.markdown) == ("in_review", 2, texts[rid])
            assert f"draft {rid} was edited into revision 2 by bob at " in message
            assert (item.audit[-1].action, item.audit[-1].actor) == ("approve_conflict", "alice")


def test_two_editors_of_the_same_version(tmp_path: Path) -> None:
    db = tmp_path / "records.sqlite3"
    queue = open_queue(db)
    items = [queue.submit(make_draft(subject_id=f"INC-{n}"), "tam") for n in range(ROUNDS)]
    text = {(i.id, who): f"{i.markdown}\n{who}'s addition\n" for i in items for who in ("alice", "bob")}
    outcomes = _race(db, {who: [("edit", (i.id, text[i.id, who], who, 1)) for i in items]
                          for who in ("alice", "bob")})
    for n, original in enumerate(items):
        winner, loser, message = _one_winner(outcomes[n])
        item = queue.get(original.id)
        assert item.revision == 2 and item.markdown == text[original.id, winner]
        assert f"edited into revision 2 by {winner}" in message
        [kept] = [e for e in item.audit if e.action == "edit_conflict"]
        assert kept.actor == loser and kept.detail["markdown"] == text[original.id, loser]
    assert queue.verify_audit().intact
