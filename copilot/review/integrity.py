"""Verifying a home's review history against its keyed audit chain.

The audit chain is the record of what the workflow did; every other review table must agree
with it. ``verify`` reports, each as a ``Problem`` a person can act on:

- an audit row edited, inserted or deleted behind the triggers (the HMAC chain breaks);
- the tail of the log (or all of it) deleted: the checkpoint outside the database is ahead;
- an append-only trigger dropped (also when a later open quietly re-created it);
- a ``reviews`` row whose status, revision, version or decider differs from what its audit
  entries say (e.g. ``UPDATE reviews SET status='approved'``), or that has no audit history;
- a revision whose text, stored draft or stored guardrail report differs from the hashes the
  audit entry that created it recorded;
- an override with no audit entry that gave it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from copilot.review.audit import AuditLog
from copilot.review.keys import Checkpoint
from copilot.review.schema import TRIGGERS

__all__ = ["AuditVerification", "Problem", "sha256_text", "verify"]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Problem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str
    review_id: str | None = None
    entry: int | None = None


class AuditVerification(BaseModel):
    """The outcome of ``review audit --verify``."""

    model_config = ConfigDict(extra="forbid")

    intact: bool
    broken: list[int] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
    entries: int = 0
    checkpoint: int | None = None
    key_source: str = ""

    def for_review(self, review_id: str) -> list[Problem]:
        """Problems that make ``review_id``'s history untrustworthy: its own and the whole log's."""
        return [p for p in self.problems if p.review_id in (None, review_id)]


_STATE_ACTIONS = {"submit", "send", "edit", "override", "approve", "reject"}


def verify(conn: sqlite3.Connection, log: AuditLog, checkpoint: Checkpoint) -> AuditVerification:
    """Check the chain, the checkpoint, the triggers and every review table against the log."""
    problems: list[Problem] = []
    chain = log.walk(conn)
    problems += [Problem(entry=i, reason=f"audit entry #{i} does not match its keyed hash: it was edited, "
                                         "inserted or re-chained outside the workflow") for i in chain.broken]
    problems += [Problem(entry=i, reason=f"audit entry #{i} is unkeyed but follows keyed entries: forged")
                 for i in chain.legacy_after_keyed]
    problems += _checkpoint_problems(conn, chain.head, checkpoint)
    problems += _trigger_problems(conn)
    entries = log.entries(conn)
    by_review: dict[str, list[Any]] = {}
    for entry in entries:
        if entry.review_id is not None:
            by_review.setdefault(entry.review_id, []).append(entry)
    for row in conn.execute("SELECT * FROM reviews ORDER BY seq"):
        problems += _review_problems(conn, row, by_review.get(row["id"], []))
    known = {r[0] for r in conn.execute("SELECT id FROM reviews")}
    problems += [Problem(review_id=rid, reason=f"{rid} has audit entries but its review row was deleted")
                 for rid in by_review if rid not in known]
    head = None
    try:
        stored = checkpoint.read()
        head = stored[0] if stored else None
    except ValueError:
        pass
    return AuditVerification(intact=not problems, broken=chain.broken, problems=problems, entries=chain.count,
                             checkpoint=head, key_source=log.key.source)


def _checkpoint_problems(conn: sqlite3.Connection, head: tuple[int, str] | None,
                         checkpoint: Checkpoint) -> list[Problem]:
    try:
        stored = checkpoint.read()
    except ValueError as exc:
        return [Problem(reason=f"{exc}: it was edited, or the audit key changed")]
    if stored is None:
        keyed = conn.execute("SELECT COUNT(*) FROM audit_log WHERE entry_hash LIKE 'h1:%'").fetchone()[0]
        if keyed:
            return [Problem(reason=f"the checkpoint {checkpoint.path} is missing although the log has keyed "
                                   "entries: it was deleted, or the database was copied without it")]
        return []
    head_id, head_hash = stored
    if head_id == 0:  # genesis checkpoint: the log was empty then
        return []
    row = conn.execute("SELECT entry_hash FROM audit_log WHERE id=?", (head_id,)).fetchone()
    if row is None:
        last = head[0] if head else "none"
        return [Problem(entry=head_id, reason=f"the audit log was truncated: the checkpoint records entry "
                                              f"#{head_id}, the log's last entry is #{last}")]
    if row[0] != head_hash:
        return [Problem(entry=head_id, reason=f"audit entry #{head_id} differs from the checkpointed head: the "
                                              "log was rewritten from there on")]
    return []


def _trigger_problems(conn: sqlite3.Connection) -> list[Problem]:
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    problems = [Problem(reason=f"the append-only trigger {name} is missing: someone dropped it, so rows "
                               "may have been changed behind it") for name in TRIGGERS if name not in present]
    for entry in conn.execute("SELECT id, at, detail FROM audit_log WHERE action='triggers_restored' ORDER BY id"):
        missing = ", ".join(json.loads(entry["detail"]).get("missing", []))
        problems.append(Problem(entry=int(entry["id"]), reason=f"append-only triggers ({missing}) were found "
                                                                f"dropped and re-created at {entry['at'][:19]} UTC"))
    return problems


def _review_problems(conn: sqlite3.Connection, row: sqlite3.Row, entries: list[Any]) -> list[Problem]:
    rid = row["id"]
    state = [e for e in entries if e.action in _STATE_ACTIONS and e.version is not None]
    if not state or state[0].action != "submit":
        return [Problem(review_id=rid, reason=f"{rid} has no submit entry in the audit log: it was inserted "
                                              "outside the workflow")]
    expected = _replay(state)
    actual = {k: row[k] for k in expected}
    problems = [Problem(review_id=rid, reason=f"{rid}'s {k} is {actual[k]!r} in the database but "
                                              f"{expected[k]!r} by its audit history: changed outside the workflow")
                for k in expected if actual[k] != expected[k]]
    problems += _revision_problems(conn, rid, state)
    problems += _override_problems(conn, rid, state)
    return problems


def _replay(state: list[Any]) -> dict[str, Any]:
    """The review row its state-changing audit entries imply."""
    out: dict[str, Any] = {}
    for e in state:
        if e.action == "submit":
            out.update(status=e.detail.get("status", "in_review"), revision=1, decided_by=None)
        elif e.action == "send":
            out["status"] = "in_review"
        elif e.action == "edit":
            out["revision"] = e.revision
            if e.detail.get("reopened"):
                out.update(status="in_review", decided_by=None)
        elif e.action in ("approve", "reject"):
            out.update(status="approved" if e.action == "approve" else "rejected", decided_by=e.actor)
        out["version"] = e.version
    return out


def _revision_problems(conn: sqlite3.Connection, rid: str, state: list[Any]) -> list[Problem]:
    made = {(1 if e.action == "submit" else e.revision): e for e in state if e.action in ("submit", "edit")}
    problems = []
    for rev in conn.execute("SELECT * FROM revisions WHERE review_id=? ORDER BY n", (rid,)):
        n, entry = rev["n"], made.get(rev["n"])
        where = f"{rid} revision {n}"
        if entry is None:
            problems.append(Problem(review_id=rid, reason=f"{where} has no audit entry: inserted outside the workflow"))
            continue
        if sha256_text(rev["markdown"]) != rev["content_hash"] or rev["content_hash"] != entry.hash_after:
            problems.append(Problem(review_id=rid, entry=entry.id,
                                    reason=f"{where}'s text differs from the hash audit entry #{entry.id} recorded"))
        for column, key in (("report", "report_sha256"), ("draft", "draft_sha256")):
            if key in entry.detail and sha256_text(rev[column]) != entry.detail[key]:
                problems.append(Problem(review_id=rid, entry=entry.id,
                                        reason=f"{where}'s stored {column} was edited after audit entry "
                                               f"#{entry.id} recorded it"))
    missing = sorted(set(made) - {r[0] for r in conn.execute("SELECT n FROM revisions WHERE review_id=?", (rid,))})
    problems += [Problem(review_id=rid, reason=f"{rid} revision {n} was deleted") for n in missing]
    return problems


def _override_problems(conn: sqlite3.Connection, rid: str, state: list[Any]) -> list[Problem]:
    given = {(e.revision, e.detail.get("check"), e.actor, e.detail.get("reason")) for e in state
             if e.action == "override"}
    problems = []
    for o in conn.execute("SELECT * FROM overrides WHERE review_id=?", (rid,)):
        if (o["revision"], o["check_name"], o["reviewer"], o["reason"]) not in given:
            problems.append(Problem(review_id=rid, reason=f"the override of {o['check_name']} on {rid} revision "
                                                          f"{o['revision']} has no audit entry: inserted outside "
                                                          "the workflow"))
    return problems
