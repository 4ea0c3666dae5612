"""The approval workflow: draft → in_review → approved | rejected, stored in the home's SQLite file.

Every change runs in one ``BEGIN IMMEDIATE`` transaction that re-reads the review and compares
its version counter (compare-and-swap), so of two reviewers acting on the same version, in this
process or another, exactly one wins and the other gets a ``Conflict`` that says who did what.
Nothing a losing reviewer wrote is dropped: the attempt, with its text or reason and its content
hash, is appended to the audit log (``edit_conflict``, ``override_conflict``, …).
"""

from __future__ import annotations

import builtins
import getpass
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from copilot.config import Settings
from copilot.drafting.draft import Draft, Finding, GuardrailReport
from copilot.drafting.pipeline import scrub_draft
from copilot.errors import Conflict, CopilotError, InvalidInput, NotFound, Refused
from copilot.records.secrets import CREDENTIALS, find_secrets, mask
from copilot.records.store import Store
from copilot.review.audit import AuditLog
from copilot.review.integrity import AuditVerification, sha256_text, verify
from copilot.review.keys import AuditKey, Checkpoint
from copilot.review.markdown import redraft, render_export
from copilot.review.models import AuditEntry, Override, ReviewItem, Revision, standing_findings
from copilot.review.schema import STATEMENTS, STATUSES, TRIGGERS
from copilot.review.section_diff import SectionChange, label_edited_sections, provenance, section_changes

__all__ = ["Checker", "ReviewQueue"]

Checker = Callable[[Draft], GuardrailReport]
"""Runs the guardrails over a draft (its markdown is the truth) and returns the report."""

_PAST = {
    "submit": "submitted",
    "send": "sent for review",
    "edit": "edited",
    "override": "given an override",
    "approve": "approved",
    "reject": "rejected",
}
_FINAL_HINT = {
    "approved": "approved drafts are final; submit a new draft to change it",
    "rejected": "edit it (`review edit {id} --markdown FILE --reviewer NAME`) to reopen it",
}


class ReviewQueue:
    """Drafts under review in one home's database.

    Args:
        store: the home's ``Store``, or the path of its SQLite file.
        checker: the guardrails; called on submit, on every edit and again at approval, never
            trusted from the draft or from a report stored in the database.
        settings: where the audit key and the checkpoint live (default: the settings of the
            folder that holds the database, i.e. its home, with ``$COPILOT_AUDIT_KEY``).
    """

    def __init__(self, store: Store | str | Path, checker: Checker, *, settings: Settings | None = None) -> None:
        self.store = store if isinstance(store, Store) else Store(Path(store))
        self.checker = checker
        settings = settings or Settings.load(self.store.path.parent)
        self.log = AuditLog(AuditKey.load(settings))
        self.checkpoint = Checkpoint(settings.audit_head_path, self.log.key)
        with self._tx() as conn:
            used = _has_entries(conn) or self.checkpoint.path.exists()
            missing = [name for name in TRIGGERS if not _trigger_exists(conn, name)]
            for statement in STATEMENTS:
                conn.execute(statement)
            if not self.checkpoint.path.exists() and not _has_keyed_entries(conn):
                # first use (or a home from before the keyed chain): anchor at the current head
                self.checkpoint.advance(*(AuditLog.head(conn) or (0, "")))
            if used and missing:  # re-created now; the gap stays on the record
                self.log.append(conn, None, _os_user(), "triggers_restored", detail={"missing": missing})

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A store transaction; after it commits, the checkpoint moves to the log's new head."""
        with self.store.transaction() as conn:
            yield conn
            head = AuditLog.head(conn) if self._anchored(conn) else None
        if head is not None:
            self.checkpoint.advance(*head)

    def _anchored(self, conn: sqlite3.Connection) -> bool:
        """Whether the checkpointed entry is still in the log unchanged. When it is not (the tail
        was cut, or the checkpoint file deleted), the checkpoint stays as it is, so later entries
        cannot paper over the cut."""
        try:
            stored = self.checkpoint.read()
        except ValueError:
            return False
        if stored is None:
            return False
        if stored[0] == 0:  # genesis: the log was empty when the checkpoint was made
            return True
        row = conn.execute("SELECT entry_hash FROM audit_log WHERE id=?", (stored[0],)).fetchone()
        return row is not None and row[0] == stored[1]

    # --- writes -------------------------------------------------------------------------

    def submit(self, draft: Draft, actor: str, *, hold: bool = False) -> ReviewItem:
        """Check ``draft`` and queue it as revision 1, ``in_review`` (or ``draft`` with ``hold``).

        The draft's own ``guardrails`` report is ignored: the checker runs again here.
        """
        actor = _required(actor, "the author's name")
        draft = draft.model_copy(deep=True, update={"content_hash": ""}).finalize()
        if not draft.markdown.strip():
            raise InvalidInput(f"draft {draft.id or '(no id)'} has no text: neither markdown nor sections")
        draft = scrub_draft(draft)
        draft.guardrails = self._check(draft)
        status = "draft" if hold else "in_review"
        with self._tx() as conn:
            open_ = conn.execute(
                "SELECT id, status, created_by, created_at FROM reviews WHERE draft_id=? AND status IN "
                "('draft','in_review') ORDER BY seq DESC LIMIT 1", (draft.id,)).fetchone()
            if open_:
                raise Conflict(f"draft {draft.id} is already under review as {open_['id']} ({open_['status']}, "
                               f"submitted by {open_['created_by']} at {_when(open_['created_at'])}); change that one "
                               f"with `review edit {open_['id']} --markdown FILE --reviewer NAME` instead")
            seq = int(conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM reviews").fetchone()[0])
            rid, now = f"R{seq}", _now()
            conn.execute(
                "INSERT INTO reviews (id, seq, draft_id, kind, account_id, subject_id, title, status, revision, "
                "version, created_at, created_by, updated_at) VALUES (?,?,?,?,?,?,?,?,1,1,?,?,?)",
                (rid, seq, draft.id, draft.kind, draft.account_id, draft.subject_id, draft.title, status,
                 now, actor, now))
            stored = _insert_revision(conn, rid, 1, draft, actor, now)
            self.log.append(conn, rid, actor, "submit", revision=1, version=1, hash_after=draft.content_hash,
                            detail={"draft_id": draft.id, "status": status, **_report_summary(draft.guardrails),
                                    **stored})
        return self.get(rid)

    def send(self, review_id: str, actor: str, expected_version: int | None = None) -> ReviewItem:
        """Move a held ``draft`` into review."""
        actor = _required(actor, "the sender's name")
        with self._tx() as conn:
            row = _review(conn, review_id)
            err = _gate(conn, row, "send", expected_version, allowed=("draft",))
            if err is None:
                version = _bump(conn, row, status="in_review")
                self.log.append(conn, row["id"], actor, "send", revision=row["revision"], version=version,
                              hash_before=_hash_of(conn, row), hash_after=_hash_of(conn, row))
            else:
                self.log.append(conn, row["id"], actor, "send_conflict", revision=row["revision"],
                              detail=_attempt(row, expected_version, err))
        if err:
            raise err
        return self.get(row["id"])

    def edit(self, review_id: str, markdown: str, reviewer: str,
             expected_version: int | None = None, *, written_by: dict[str, str] | None = None,
             audit: dict[str, Any] | None = None) -> ReviewItem:
        """Store ``markdown`` as a new revision, re-checked by the guardrails.

        Overrides belong to the revision they were given on; a new revision needs its own.
        Editing a rejected draft reopens it (``in_review``); an approved draft is final.
        ``expected_version`` defaults to the version current when the call starts, so an edit
        that raced another change is refused (and its text kept in the audit log). ``audit`` entries
        (a section redraft's model record) are added to the new revision's ``draft.audit``.
        """
        reviewer = _required(reviewer, "the reviewer's name")
        if not markdown.strip():
            raise InvalidInput("the edited markdown is empty; to discard a draft, reject it with a reason")
        with self._tx() as conn:
            row = _review(conn, review_id)
            _check_version_exists(row, expected_version)
            base_version = row["version"] if expected_version is None else expected_version
            base = _revision_row(conn, row["id"], _revision_at(conn, row["id"], base_version) or row["revision"])
        rid = row["id"]
        before = Draft.model_validate_json(base["draft"])
        draft = label_edited_sections(before, scrub_draft(redraft(before, markdown)), reviewer, written_by)
        if audit:
            draft.audit = {**draft.audit, **audit}
        draft.guardrails = self._check(draft)
        with self._tx() as conn:
            row = _review(conn, rid)
            err = _gate(conn, row, "edit", base_version, allowed=("draft", "in_review", "rejected"))
            current_hash = _hash_of(conn, row)
            if err is not None:
                entry = self.log.append(conn, rid, reviewer, "edit_conflict", revision=base["n"],
                                      hash_before=base["content_hash"], hash_after=draft.content_hash,
                                      detail={**_attempt(row, base_version, err), "markdown": markdown})
                err = type(err)(f"{err} Your text was not lost: it is kept in audit entry #{entry} "
                                f"(sha256 {draft.content_hash[:12]}…), see `review show {rid}`.")
            elif draft.content_hash != current_hash:
                n = row["revision"] + 1
                stored = _insert_revision(conn, rid, n, draft, reviewer, _now())
                reopened = row["status"] == "rejected"
                version = _bump(conn, row, revision=n, status="in_review" if reopened else row["status"],
                                clear_decision=reopened)
                self.log.append(conn, rid, reviewer, "edit", revision=n, version=version,
                              hash_before=current_hash, hash_after=draft.content_hash,
                              detail={"based_on_revision": base["n"], **({"reopened": True} if reopened else {}),
                                      **_report_summary(draft.guardrails), **stored})
        if err:
            raise err
        return self.get(rid)

    def override(self, review_id: str, check: str, reviewer: str, reason: str,
                 expected_version: int | None = None) -> ReviewItem:
        """Let the current revision's blocking ``check`` findings stand, for a written reason."""
        reviewer = _required(reviewer, "the reviewer's name")
        check = _required(check, "the finding's check name")
        reason = _required(reason, "a written reason for the override")
        with self._tx() as conn:
            row = _review(conn, review_id)
            rid, n = row["id"], row["revision"]
            err = _gate(conn, row, "override", expected_version, allowed=("draft", "in_review"))
            if err is not None:
                self.log.append(conn, rid, reviewer, "override_conflict", revision=n,
                              detail={**_attempt(row, expected_version, err), "check": check, "reason": reason})
            else:
                findings = _findings(conn, row)
                matching = [f for f in findings if f.check == check and f.severity == "block"]
                if not matching:
                    standing = sorted({f.check for f in findings if f.severity == "block" and not f.overridden})
                    raise InvalidInput(
                        f"revision {n} of {rid} has no blocking {check!r} finding to override; "
                        + (f"blocking checks: {', '.join(standing)}" if standing else "nothing blocks it"))
                if all(f.overridden for f in matching):
                    prior = conn.execute("SELECT reviewer, reason FROM overrides WHERE review_id=? AND revision=? "
                                         "AND check_name=?", (rid, n, check)).fetchone()
                    raise InvalidInput(f"{check!r} on revision {n} of {rid} is already overridden by "
                                       f"{prior['reviewer']}: {prior['reason']}")
                now = _now()
                conn.execute("INSERT INTO overrides VALUES (?,?,?,?,?,?)", (rid, n, check, reviewer, reason, now))
                version = _bump(conn, row)
                digest = _hash_of(conn, row)
                self.log.append(conn, rid, reviewer, "override", revision=n, version=version, hash_before=digest,
                              hash_after=digest, detail={"check": check, "reason": reason,
                                                         "findings": [f.message for f in matching]})
        if err:
            raise err
        return self.get(rid)

    def approve(self, review_id: str, reviewer: str, expected_version: int | None = None) -> ReviewItem:
        """Approve the current revision, unless a blocking finding stands un-overridden (``Refused``).

        The guardrails run again now, against the records as they are now: a report stored in
        the database is never trusted. A review whose audit history does not verify is refused.
        """
        reviewer = _required(reviewer, "the reviewer's name")
        with self._tx() as conn:
            rid = _review(conn, review_id)["id"]
            seen = _revision_row(conn, rid, _review(conn, rid)["revision"])
        draft = redraft(Draft.model_validate_json(seen["draft"]), seen["markdown"])
        report = self._check(draft)
        untrusted = self.verify_audit().for_review(rid)
        with self._tx() as conn:
            row = _review(conn, rid)
            n = row["revision"]
            digest = _hash_of(conn, row)
            err = _gate(conn, row, "approve", expected_version, allowed=("in_review",))
            if err is None and n != seen["n"]:
                err = Conflict(f"draft {rid} was edited into revision {n} while its checks re-ran; "
                               f"reload with `review show {rid}` and approve again")
            if err is not None:
                self.log.append(conn, rid, reviewer, "approve_conflict", revision=n, hash_before=digest,
                                detail=_attempt(row, expected_version, err))
            elif untrusted:
                err = Refused(_untrusted_message(rid, untrusted))
                self.log.append(conn, rid, reviewer, "approve_refused", revision=n, hash_before=digest,
                                detail={"history": [p.reason for p in untrusted]})
            else:
                overridden = {r[0] for r in conn.execute(
                    "SELECT check_name FROM overrides WHERE review_id=? AND revision=?", (rid, n))}
                standing = [f for f in standing_findings(report, overridden)
                            if f.severity == "block" and not f.overridden]
                checked = {"checked_at_approval": {"report_sha256": sha256_text(report.model_dump_json()),
                                                   **_report_summary(report)}}
                if standing:
                    err = Refused(_blocked_message(rid, n, standing))
                    self.log.append(conn, rid, reviewer, "approve_refused", revision=n, hash_before=digest,
                                    detail={"blocking": [_finding_brief(f) for f in standing], **checked})
                else:
                    version = _bump(conn, row, status="approved", decided_by=reviewer)
                    overrides = [{"check": o.check, "reviewer": o.reviewer, "reason": o.reason}
                                 for o in _overrides(conn, rid) if o.revision == n]
                    self.log.append(conn, rid, reviewer, "approve", revision=n, version=version,
                                    hash_before=digest, hash_after=digest,
                                    detail={"overrides": overrides, **checked})
        if err:
            raise err
        return self.get(rid)

    def reject(self, review_id: str, reviewer: str, reason: str,
               expected_version: int | None = None) -> ReviewItem:
        """Reject the draft, with a written reason. An edit reopens it."""
        reviewer = _required(reviewer, "the reviewer's name")
        reason = _required(reason, "a written reason for the rejection")
        with self._tx() as conn:
            row = _review(conn, review_id)
            rid, n = row["id"], row["revision"]
            digest = _hash_of(conn, row)
            err = _gate(conn, row, "reject", expected_version, allowed=("draft", "in_review"))
            if err is not None:
                self.log.append(conn, rid, reviewer, "reject_conflict", revision=n, hash_before=digest,
                              detail={**_attempt(row, expected_version, err), "reason": reason})
            else:
                version = _bump(conn, row, status="rejected", decided_by=reviewer, reason=reason)
                self.log.append(conn, rid, reviewer, "reject", revision=n, version=version, hash_before=digest,
                              hash_after=digest, detail={"reason": reason})
        if err:
            raise err
        return self.get(rid)

    def export(self, review_id: str, out_path: str | Path, actor: str | None = None) -> Path:
        """Write an approved draft as Markdown with front matter; other statuses are refused."""
        item = self.get(review_id)
        untrusted = self.verify_audit().for_review(item.id)
        if untrusted:
            raise Refused(_untrusted_message(item.id, untrusted) + "; nothing was exported")
        if item.status != "approved":
            raise Refused(f"draft {item.id} is {item.status.replace('_', ' ')}, not approved; only approved drafts "
                          f"export (`review approve {item.id} --reviewer NAME`)")
        out = Path(out_path)
        if out.is_dir():
            raise InvalidInput(f"--out {out} is a folder; give a file name such as {out / (item.id + '.md')}")
        front: dict[str, object] = {
            "id": item.id,
            "draft_id": item.draft_id,
            "kind": item.kind,
            "account": item.account_id,
            "subject": item.subject_id,
            "revision": item.revision,
            "approved_by": item.decided_by,
            "approved_at": item.decided_at.isoformat() if item.decided_at else None,
            "content_hash": f"sha256:{item.content_hash}",
        }
        text = item.markdown
        credentials = [h for h in find_secrets(text) if h.category in CREDENTIALS]
        if credentials:  # an overridden secrets finding still never leaves in an export
            text = mask(text, CREDENTIALS)
            front.update(content_hash=f"sha256:{sha256_text(text)}", approved_content_hash=front["content_hash"],
                         redacted_credentials=len(credentials))
        overrides = [{"check": o.check, "reviewer": o.reviewer, "reason": o.reason}
                     for o in item.overrides if o.revision == item.revision]
        if overrides:
            front["overrides"] = overrides
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
            tmp.write_text(render_export(front, text), encoding="utf-8", newline="")
            os.replace(tmp, out)
        except OSError as exc:
            raise InvalidInput(f"could not write {out}: {exc.strerror or exc}") from None
        with self._tx() as conn:
            self.log.append(conn, item.id, actor or _os_user(), "export", revision=item.revision,
                          hash_before=item.content_hash, hash_after=item.content_hash, detail={"out": str(out)})
        return out

    # --- reads --------------------------------------------------------------------------

    def get(self, review_id: str) -> ReviewItem:
        """A review with every revision, its overrides and its audit trail.

        ``review_id`` is ``R7`` (also ``r7`` or ``7``) or a draft id (its latest review).
        """
        with self._tx() as conn:
            row = _review(conn, review_id)
            item = _item(conn, row)
            revisions = [_revision_model(r) for r in conn.execute(
                "SELECT * FROM revisions WHERE review_id=? ORDER BY n", (row["id"],))]
            return item.model_copy(update={"revisions": revisions, "overrides": _overrides(conn, row["id"]),
                                           "audit": self.log.entries(conn, row["id"]),
                                           "provenance": _provenance(_revision_row(conn, row["id"], row["revision"]))})

    def current_draft(self, review_id: str) -> Draft:
        """The draft of a review's current revision, as stored."""
        with self._tx() as conn:
            row = _review(conn, review_id)
            return Draft.model_validate_json(_revision_row(conn, row["id"], row["revision"])["draft"])

    def diff(self, review_id: str, before: int | None = None, after: int | None = None) -> builtins.list[SectionChange]:
        """Section by section, what changed from revision ``before`` (default: the one before ``after``)
        to ``after`` (default: the current one), and which backend (or reviewer) wrote each side."""
        with self._tx() as conn:
            row = _review(conn, review_id)
            to = after or row["revision"]
            since = before or max(1, to - 1)
            drafts = []
            for n in (since, to):
                found = conn.execute("SELECT draft FROM revisions WHERE review_id=? AND n=?", (row["id"], n)).fetchone()
                if found is None:
                    raise NotFound(f"{row['id']} has no revision {n} (it has 1 to {row['revision']})")
                drafts.append(Draft.model_validate_json(found["draft"]))
        return section_changes(*drafts)

    def list(self, status: str | None = None, account_id: str | None = None) -> builtins.list[ReviewItem]:
        """Reviews, newest first, with the current revision's findings (no history)."""
        if status is not None and status not in STATUSES:
            raise InvalidInput(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        clauses, params = [], []
        if status is not None:
            clauses.append("status=?")
            params.append(status)
        if account_id is not None:
            clauses.append("account_id=?")
            params.append(account_id)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._tx() as conn:
            rows = conn.execute(f"SELECT * FROM reviews{where} ORDER BY seq DESC", tuple(params)).fetchall()
            return [_item(conn, row) for row in rows]

    def audit(self, review_id: str | None = None) -> builtins.list[AuditEntry]:
        """The audit log, oldest first: one review's entries, or everything."""
        with self._tx() as conn:
            rid = _review(conn, review_id)["id"] if review_id is not None else None
            return self.log.entries(conn, rid)

    def verify_audit(self) -> AuditVerification:
        """Check the keyed chain, its checkpoint, the triggers and every review table against the
        log (see ``copilot.review.integrity``); ``intact`` when nothing was changed behind it."""
        with self._tx() as conn:
            return verify(conn, self.log, self.checkpoint)

    def _check(self, draft: Draft) -> GuardrailReport:
        report = self.checker(draft)
        return report if isinstance(report, GuardrailReport) else GuardrailReport.model_validate(report)


# --- helpers (all run inside a transaction, on its connection) ------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _when(at: str | None) -> str:
    """``2026-05-01T10:00:03.123456+00:00`` → ``2026-05-01 10:00:03 UTC``."""
    return f"{at[:10]} {at[11:19]} UTC" if at else "an unknown time"


def _required(value: str | None, what: str) -> str:
    if value is None or not str(value).strip():
        raise InvalidInput(f"{what} is required and must not be blank")
    return str(value).strip()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry / no login name, e.g. in a container
        return "unknown"


def _canonical_id(ref: str) -> str:
    ref = ref.strip()
    if ref.isdigit():
        return f"R{int(ref)}"
    if ref[:1] in "rR" and ref[1:].isdigit():
        return f"R{int(ref[1:])}"
    return ref


def _review(conn: sqlite3.Connection, ref: str) -> sqlite3.Row:
    ref = str(ref)
    row = conn.execute("SELECT * FROM reviews WHERE id=?", (_canonical_id(ref),)).fetchone()
    if row is None:
        row = conn.execute("SELECT * FROM reviews WHERE draft_id=? ORDER BY seq DESC LIMIT 1", (ref,)).fetchone()
    if row is None:
        raise NotFound(f"no review {ref!r} in this home; `review list` shows the ids (R1, R2, …)")
    return row


def _revision_row(conn: sqlite3.Connection, rid: str, n: int) -> sqlite3.Row:
    return conn.execute("SELECT * FROM revisions WHERE review_id=? AND n=?", (rid, n)).fetchone()


def _revision_at(conn: sqlite3.Connection, rid: str, version: int) -> int | None:
    """Which revision was current at ``version``."""
    row = conn.execute("SELECT revision FROM audit_log WHERE review_id=? AND version IS NOT NULL AND version<=? "
                       "ORDER BY version DESC LIMIT 1", (rid, version)).fetchone()
    return int(row[0]) if row else None


def _hash_of(conn: sqlite3.Connection, row: sqlite3.Row) -> str:
    return str(_revision_row(conn, row["id"], row["revision"])["content_hash"])


def _insert_revision(conn: sqlite3.Connection, rid: str, n: int, draft: Draft, author: str,
                     at: str) -> dict[str, str]:
    """Store one revision; returns the hashes of its stored draft and report for the audit entry."""
    report = (draft.guardrails or GuardrailReport()).model_dump_json()
    body = draft.model_dump_json()
    conn.execute("INSERT INTO revisions VALUES (?,?,?,?,?,?,?,?)",
                 (rid, n, draft.markdown, body, draft.content_hash, report, at, author))
    return {"draft_sha256": sha256_text(body), "report_sha256": sha256_text(report)}


def _has_entries(conn: sqlite3.Connection) -> bool:
    if not _table_exists(conn, "audit_log"):
        return False
    return conn.execute("SELECT 1 FROM audit_log LIMIT 1").fetchone() is not None


def _has_keyed_entries(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM audit_log WHERE entry_hash LIKE 'h1:%' LIMIT 1").fetchone() is not None


def _table_exists(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() is not None


def _trigger_exists(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='trigger' AND name=?", (name,)).fetchone() is not None


def _bump(conn: sqlite3.Connection, row: sqlite3.Row, *, revision: int | None = None, status: str | None = None,
          decided_by: str | None = None, reason: str | None = None, clear_decision: bool = False) -> int:
    """Compare-and-swap the review row to its next version; returns that version."""
    now = _now()
    sets: list[str] = ["version=version+1", "updated_at=?"]
    params: list[object] = [now]
    for column, value in (("revision", revision), ("status", status)):
        if value is not None:
            sets.append(f"{column}=?")
            params.append(value)
    if decided_by is not None:
        sets += ["decided_by=?", "decided_at=?", "decision_reason=?"]
        params += [decided_by, now, reason]
    elif clear_decision:
        sets += ["decided_by=NULL", "decided_at=NULL", "decision_reason=NULL"]
    cur = conn.execute(f"UPDATE reviews SET {', '.join(sets)} WHERE id=? AND version=?",
                       (*params, row["id"], row["version"]))
    if cur.rowcount != 1:  # cannot happen under BEGIN IMMEDIATE; kept as the CAS's safety net
        raise Conflict(f"draft {row['id']} changed while saving; reload with `review show {row['id']}` and try again")
    return int(row["version"]) + 1


def _check_version_exists(row: sqlite3.Row, expected: int | None) -> None:
    if expected is not None and not 1 <= expected <= row["version"]:
        raise InvalidInput(f"{row['id']} has no version {expected} (its current version is {row['version']}); "
                           f"`review show {row['id']}` shows it")


def _gate(conn: sqlite3.Connection, row: sqlite3.Row, action: str, expected: int | None,
          allowed: tuple[str, ...]) -> CopilotError | None:
    """Why ``action`` may not proceed on ``row`` (a ``Conflict`` or ``Refused``), or None."""
    rid = row["id"]
    _check_version_exists(row, expected)
    if expected is not None and expected != row["version"]:
        changes = conn.execute("SELECT actor, action, at, revision FROM audit_log WHERE review_id=? AND "
                               "version>? ORDER BY id", (rid, expected)).fetchall()
        base = _revision_at(conn, rid, expected) or row["revision"]
        last = changes[-1]
        message = (f"draft {rid} was {_describe(last)} while you were reviewing revision {base} (version {expected})")
        if len(changes) > 1:
            message += f"; all changes since: {'; '.join(_describe(c) for c in changes)}"
        return Conflict(f"{message}; reload with `review show {rid}` and try again.")
    if row["status"] in allowed:
        return None
    status = row["status"]
    if status in _FINAL_HINT:
        return Conflict(f"draft {rid} was already {status} by {row['decided_by']} at {_when(row['decided_at'])} "
                        f"(revision {row['revision']}), so it cannot be {_PAST.get(action, action)}; "
                        + _FINAL_HINT[status].format(id=rid) + ".")
    if status == "draft":
        return Refused(f"draft {rid} has not been sent for review yet; `review send {rid} --reviewer NAME` sends it.")
    return Conflict(f"draft {rid} is already {status.replace('_', ' ')}; `review show {rid}` shows where it stands.")


def _describe(entry: sqlite3.Row) -> str:
    what = _PAST.get(entry["action"], entry["action"])
    if entry["action"] == "edit":
        what += f" into revision {entry['revision']}"
    return f"{what} by {entry['actor']} at {_when(entry['at'])}"


def _attempt(row: sqlite3.Row, expected: int | None, err: CopilotError) -> dict[str, Any]:
    return {"expected_version": expected, "current_version": row["version"], "status": row["status"],
            "error": str(err)}


def _overrides(conn: sqlite3.Connection, rid: str) -> list[Override]:
    return [Override(review_id=r["review_id"], revision=r["revision"], check=r["check_name"],
                     reviewer=r["reviewer"], reason=r["reason"], at=r["at"])
            for r in conn.execute("SELECT * FROM overrides WHERE review_id=? ORDER BY at, check_name", (rid,))]


def _findings(conn: sqlite3.Connection, row: sqlite3.Row) -> list[Finding]:
    report = GuardrailReport.model_validate_json(_revision_row(conn, row["id"], row["revision"])["report"])
    overridden = {r[0] for r in conn.execute("SELECT check_name FROM overrides WHERE review_id=? AND revision=?",
                                             (row["id"], row["revision"]))}
    return standing_findings(report, overridden)


def _item(conn: sqlite3.Connection, row: sqlite3.Row) -> ReviewItem:
    current = _revision_row(conn, row["id"], row["revision"])
    findings = _findings(conn, row)
    return ReviewItem(
        id=row["id"], draft_id=row["draft_id"], kind=row["kind"], account_id=row["account_id"],
        subject_id=row["subject_id"], title=row["title"], status=row["status"], revision=row["revision"],
        version=row["version"], content_hash=current["content_hash"], markdown=current["markdown"],
        created_at=row["created_at"], created_by=row["created_by"], updated_at=row["updated_at"],
        decided_by=row["decided_by"], decided_at=row["decided_at"], decision_reason=row["decision_reason"],
        findings=findings, blocking=[f for f in findings if f.severity == "block" and not f.overridden])


def _provenance(revision: sqlite3.Row) -> dict[str, Any]:
    """Who wrote what in a revision's draft: its backend(s) and, for a model draft, its audit record."""
    return provenance(Draft.model_validate_json(revision["draft"]))


def _revision_model(row: sqlite3.Row) -> Revision:
    return Revision(n=row["n"], markdown=row["markdown"], content_hash=row["content_hash"], author=row["author"],
                    created_at=row["created_at"], report=GuardrailReport.model_validate_json(row["report"]))


def _report_summary(report: GuardrailReport | None) -> dict[str, Any]:
    report = report or GuardrailReport()
    return {"passed": report.passed, "blocking": sorted({f.check for f in report.blocking} | set(report.crashed))}


def _finding_brief(finding: Finding) -> dict[str, Any]:
    return {"check": finding.check, "message": finding.message}


def _blocked_message(rid: str, n: int, standing: list[Finding]) -> str:
    by_check: dict[str, list[str]] = {}
    for f in standing:
        by_check.setdefault(f.check, []).append(_clip(f.message))
    listed = ", ".join(f"{check} ({'; '.join(msgs)})" for check, msgs in by_check.items())
    count = len(standing)
    return (f"{count} blocking finding{'s' if count != 1 else ''} stand{'' if count != 1 else 's'} on {rid} "
            f"revision {n}: {listed}; fix the draft (`review edit`) or override each with a reason "
            f"(`review override {rid} --finding CHECK --reviewer NAME --reason TEXT`)")


def _untrusted_message(rid: str, problems: list[Any]) -> str:
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return (f"{rid}'s history does not verify: {problems[0].reason}{more}; `review audit --verify` lists every "
            "problem. Restore the database from a backup, or submit the draft again as a new review")


def _clip(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
