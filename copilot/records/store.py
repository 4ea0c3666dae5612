"""Records in SQLite: the source of truth for accounts, tickets, incidents, runbooks and chunks.

The vector index (``copilot.search.index``) is derived from the ``chunks`` table: a chunk row
is written ``pending`` in the same transaction as its record and flipped to ``indexed``
once Chroma holds its embedding, so an ingest killed half-way is repaired by the next one.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from copilot.records.models import (
    SHARED_ACCOUNT,
    Account,
    AccountPlan,
    Incident,
    QuarantineEntry,
    Runbook,
    Ticket,
)

__all__ = ["Chunk", "Store"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS plans (
    account_id TEXT PRIMARY KEY, name TEXT NOT NULL, source_file TEXT, content_hash TEXT, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tickets (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, priority TEXT, status TEXT, created_at TEXT,
    subject TEXT, source_file TEXT, content_hash TEXT, json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tickets_account ON tickets(account_id);
CREATE TABLE IF NOT EXISTS incidents (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, priority TEXT, status TEXT, created_at TEXT,
    title TEXT, source_file TEXT, content_hash TEXT, json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS incidents_account ON incidents(account_id);
CREATE TABLE IF NOT EXISTS runbooks (
    id TEXT PRIMARY KEY, title TEXT, source_file TEXT, content_hash TEXT, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, record_id TEXT NOT NULL, source_id TEXT NOT NULL, kind TEXT NOT NULL,
    account_id TEXT NOT NULL, text TEXT NOT NULL, metadata TEXT NOT NULL, state TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_record ON chunks(record_id);
CREATE INDEX IF NOT EXISTS chunks_account ON chunks(account_id);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source_id);
CREATE TABLE IF NOT EXISTS ingest_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT, finished_at TEXT, stats TEXT);
CREATE TABLE IF NOT EXISTS quarantine (
    run_id INTEGER, file TEXT, row TEXT, reason TEXT, action TEXT);
"""

RECORD_TABLES = {"plan": "plans", "ticket": "tickets", "incident": "incidents", "runbook": "runbooks"}


class Chunk(BaseModel):
    """A passage of a record as indexed: ``source_id`` is what a citation names."""

    model_config = ConfigDict(extra="forbid")

    id: str
    record_id: str
    source_id: str
    kind: str  # ticket, comment, incident, event, runbook, plan
    account_id: str  # SHARED_ACCOUNT for runbooks
    text: str
    metadata: dict[str, Any] = Field(default_factory=dict)

    @property
    def citation_account(self) -> str | None:
        return None if self.account_id == SHARED_ACCOUNT else self.account_id


class Store:
    """A SQLite file of records. Safe to share across threads (one connection, locked)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)
        self.caches: dict[str, Any] = {}
        """Values other layers derive from these records (guardrail account data…), each cache
        checking ``version()`` itself: owned by this store, never module-global."""

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: everything inside commits together or not at all."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def execute(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    @property
    def connection(self) -> sqlite3.Connection:
        return self._conn

    # --- writes (call inside transaction()) ------------------------------------------

    def record_hash(self, kind: str, record_id: str) -> str | None:
        key = "account_id" if kind == "plan" else "id"
        rows = self.execute(f"SELECT content_hash FROM {RECORD_TABLES[kind]} WHERE {key}=?", (record_id,))
        return rows[0]["content_hash"] if rows else None

    def put_plan(self, plan: AccountPlan, digest: str) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO plans VALUES (?,?,?,?,?)",
            (plan.account.id, plan.account.name, plan.source_file, digest, plan.model_dump_json()),
        )

    def put_ticket(self, ticket: Ticket, digest: str) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO tickets VALUES (?,?,?,?,?,?,?,?,?)",
            (ticket.id, ticket.account_id, ticket.priority, ticket.status, ticket.created_at.isoformat(),
             ticket.subject, ticket.source_file, digest, ticket.model_dump_json()),
        )

    def put_incident(self, incident: Incident, digest: str) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO incidents VALUES (?,?,?,?,?,?,?,?,?)",
            (incident.id, incident.account_id, incident.priority, incident.status,
             incident.started_at.isoformat(), incident.title, incident.source_file, digest,
             incident.model_dump_json()),
        )

    def put_runbook(self, runbook: Runbook, digest: str) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO runbooks VALUES (?,?,?,?,?)",
            (runbook.id, runbook.title, runbook.source_file, digest, runbook.model_dump_json()),
        )

    def delete_record(self, kind: str, record_id: str) -> None:
        key = "account_id" if kind == "plan" else "id"
        self._conn.execute(f"DELETE FROM {RECORD_TABLES[kind]} WHERE {key}=?", (record_id,))

    def replace_chunks(self, record_id: str, chunks: list[Chunk]) -> tuple[list[str], list[str]]:
        """Make ``record_id``'s chunks exactly ``chunks``.

        Returns:
            (ids that are new and need embedding, ids that were removed).
        """
        existing = {r["id"] for r in self._conn.execute("SELECT id FROM chunks WHERE record_id=?", (record_id,))}
        wanted = {c.id: c for c in chunks}
        removed = sorted(existing - wanted.keys())
        added = [cid for cid in wanted if cid not in existing]
        if removed:
            self._conn.executemany("DELETE FROM chunks WHERE id=?", [(cid,) for cid in removed])
        self._conn.executemany(
            "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,'pending')",
            [(c.id, c.record_id, c.source_id, c.kind, c.account_id, c.text, json.dumps(c.metadata))
             for c in (wanted[cid] for cid in added)],
        )
        return added, removed

    def mark_indexed(self, chunk_ids: list[str]) -> None:
        with self._lock:
            self._conn.executemany("UPDATE chunks SET state='indexed' WHERE id=?", [(c,) for c in chunk_ids])

    def mark_pending(self) -> int:
        """Mark every chunk as not yet embedded (the index's model changed); returns how many."""
        with self._lock:
            return self._conn.execute("UPDATE chunks SET state='pending'").rowcount

    def record_run(self, started_at: datetime, stats: dict, quarantine: list[QuarantineEntry],
                   keep_rows: int = 10_000) -> int:
        """Record one ingest run and its quarantine, replacing the previous run's.

        The quarantine table holds the latest run only, at most ``keep_rows`` rows; the
        full list is written to :attr:`quarantine_file` (JSON lines), overwritten per run.
        """
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO ingest_runs(started_at, finished_at, stats) VALUES (?,?,?)",
                (started_at.isoformat(), datetime.now(timezone.utc).isoformat(), json.dumps(stats)),
            )
            run_id = int(cur.lastrowid)
            conn.execute("DELETE FROM quarantine")
            conn.executemany(
                "INSERT INTO quarantine VALUES (?,?,?,?,?)",
                [(run_id, q.file, q.row, q.reason, q.action) for q in quarantine[:keep_rows]],
            )
        partial = self.quarantine_file.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as out:
            for q in quarantine:
                out.write(q.model_dump_json() + "\n")
        partial.replace(self.quarantine_file)
        return run_id

    @property
    def quarantine_file(self) -> Path:
        """Where the last ingest run's full quarantine list is (one JSON object a line)."""
        return self.path.with_name("quarantine-last-run.jsonl")

    # --- reads ------------------------------------------------------------------------

    def plans(self) -> list[AccountPlan]:
        return [AccountPlan.model_validate_json(r["json"]) for r in self.execute("SELECT json FROM plans ORDER BY account_id")]

    def plan(self, account_id: str) -> AccountPlan | None:
        rows = self.execute("SELECT json FROM plans WHERE account_id=?", (account_id,))
        return AccountPlan.model_validate_json(rows[0]["json"]) if rows else None

    def accounts(self) -> list[Account]:
        return [p.account for p in self.plans()]

    def tickets(self, account_id: str | None = None) -> list[Ticket]:
        sql, params = "SELECT json FROM tickets", ()
        if account_id is not None:
            sql, params = sql + " WHERE account_id=?", (account_id,)
        rows = self.execute(sql + " ORDER BY created_at, id", params)
        return [Ticket.model_validate_json(r["json"]) for r in rows]

    def ticket(self, ticket_id: str) -> Ticket | None:
        rows = self.execute("SELECT json FROM tickets WHERE id=?", (ticket_id,))
        return Ticket.model_validate_json(rows[0]["json"]) if rows else None

    def incidents(self, account_id: str | None = None) -> list[Incident]:
        sql, params = "SELECT json FROM incidents", ()
        if account_id is not None:
            sql, params = sql + " WHERE account_id=?", (account_id,)
        rows = self.execute(sql + " ORDER BY created_at, id", params)
        return [Incident.model_validate_json(r["json"]) for r in rows]

    def incident(self, incident_id: str) -> Incident | None:
        rows = self.execute("SELECT json FROM incidents WHERE id=?", (incident_id,))
        return Incident.model_validate_json(rows[0]["json"]) if rows else None

    def runbooks(self) -> list[Runbook]:
        return [Runbook.model_validate_json(r["json"]) for r in self.execute("SELECT json FROM runbooks ORDER BY id")]

    def runbook(self, runbook_id: str) -> Runbook | None:
        rows = self.execute("SELECT json FROM runbooks WHERE id=?", (runbook_id,))
        return Runbook.model_validate_json(rows[0]["json"]) if rows else None

    def record_owners(self, kind: str) -> dict[str, tuple[str, str, str]]:
        """``{id: (account id, source, source file)}`` of stored tickets or incidents.

        ``source`` is the ticket's source system (zendesk, jira, csv), or ``incident``.
        """
        source = "json_extract(json, '$.source')" if kind == "ticket" else "'incident'"
        rows = self.execute(f"SELECT id, account_id, {source}, source_file FROM {RECORD_TABLES[kind]}")
        return {r[0]: (r[1], r[2] or "", r[3] or "") for r in rows}

    def record_count(self) -> int:
        """Plans, tickets, incidents and runbooks in the store."""
        return sum(int(self.execute(f"SELECT COUNT(*) FROM {t}")[0][0]) for t in RECORD_TABLES.values())

    def record_ids(self, kind: str) -> dict[str, str]:
        """``{record id: source file}`` for one record kind."""
        key = "account_id" if kind == "plan" else "id"
        return {r[0]: r[1] for r in self.execute(f"SELECT {key}, source_file FROM {RECORD_TABLES[kind]}")}

    def chunks(self, account_id: str | None = None, *, include_shared: bool = True,
               state: str | None = None) -> list[Chunk]:
        clauses, params = [], []
        if account_id is not None:
            accounts = [account_id, SHARED_ACCOUNT] if include_shared else [account_id]
            clauses.append(f"account_id IN ({','.join('?' * len(accounts))})")
            params += accounts
        if state is not None:
            clauses.append("state=?")
            params.append(state)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.execute(f"SELECT * FROM chunks{where} ORDER BY id", tuple(params))
        return [_chunk(r) for r in rows]

    def chunks_by_id(self, chunk_ids: list[str]) -> list[Chunk]:
        if not chunk_ids:
            return []
        rows = self.execute(f"SELECT * FROM chunks WHERE id IN ({','.join('?' * len(chunk_ids))})", tuple(chunk_ids))
        return [_chunk(r) for r in rows]

    def chunks_for_sources(self, source_ids: list[str]) -> list[Chunk]:
        """Every chunk whose source id or record id is one of ``source_ids``, in index order.

        Both columns are indexed (``chunks_source``, ``chunks_record``): the cost is the rows found,
        not the size of the portfolio's chunks table."""
        if not source_ids:
            return []
        marks = ",".join("?" * len(source_ids))
        rows = self.execute(f"SELECT * FROM chunks WHERE source_id IN ({marks}) OR record_id IN ({marks}) ORDER BY id",
                            tuple(source_ids) * 2)
        return [_chunk(r) for r in rows]

    def source_account(self, source_id: str) -> tuple[bool, str | None]:
        """Whether a citation's source exists, and its account (None when shared)."""
        rows = self.execute("SELECT account_id FROM chunks WHERE source_id=? OR record_id=? LIMIT 1",
                            (source_id, source_id))
        if not rows:
            return False, None
        account = rows[0]["account_id"]
        return True, None if account == SHARED_ACCOUNT else account

    def version(self) -> tuple:
        """Changes whenever a record is added, replaced or removed (INSERT OR REPLACE takes a new rowid),
        but not when other tables of the same database (reviews, audit log) are written."""
        return (str(self.path), tuple(self.execute(_VERSION_SQL)[0]))

    def counts(self) -> dict[str, int]:
        one = lambda sql: int(self.execute(sql)[0][0])  # noqa: E731
        return {
            "accounts": one("SELECT COUNT(*) FROM plans"),
            "tickets": one("SELECT COUNT(*) FROM tickets"),
            "incidents": one("SELECT COUNT(*) FROM incidents"),
            "runbooks": one("SELECT COUNT(*) FROM runbooks"),
            "plans": one("SELECT COUNT(*) FROM plans"),
            "chunks": one("SELECT COUNT(*) FROM chunks"),
        }

    def last_run(self) -> dict | None:
        rows = self.execute("SELECT * FROM ingest_runs ORDER BY id DESC LIMIT 1")
        if not rows:
            return None
        return {"id": rows[0]["id"], "finished_at": rows[0]["finished_at"], "stats": json.loads(rows[0]["stats"])}

    def quarantine(self, run_id: int | None = None) -> list[QuarantineEntry]:
        if run_id is None:
            last = self.last_run()
            run_id = last["id"] if last else -1
        rows = self.execute("SELECT file, row, reason, action FROM quarantine WHERE run_id=?", (run_id,))
        return [QuarantineEntry(file=r[0], row=r[1], reason=r[2], action=r[3] or "") for r in rows]


_VERSION_SQL = "SELECT " + ", ".join(
    f"(SELECT COUNT(*) FROM {t}), (SELECT COALESCE(MAX(rowid), 0) FROM {t})"
    for t in ("plans", "tickets", "incidents", "runbooks")
)


def _chunk(row: sqlite3.Row) -> Chunk:
    return Chunk(id=row["id"], record_id=row["record_id"], source_id=row["source_id"], kind=row["kind"],
                 account_id=row["account_id"], text=row["text"], metadata=json.loads(row["metadata"]))
