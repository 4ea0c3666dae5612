"""Review tables in the home's SQLite file, created on first use.

``revisions``, ``overrides`` and ``audit_log`` are append-only: triggers make the database
itself refuse an UPDATE or DELETE on them, whatever code (or person with ``sqlite3``) tries.
"""

from __future__ import annotations

__all__ = ["APPEND_ONLY_TABLES", "SCHEMA", "STATEMENTS", "STATUSES", "TRIGGERS"]

STATUSES: tuple[str, ...] = ("draft", "in_review", "approved", "rejected")
APPEND_ONLY_TABLES: tuple[str, ...] = ("revisions", "overrides", "audit_log")

_TABLES = """
CREATE TABLE IF NOT EXISTS reviews (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    draft_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    account_id TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'approved', 'rejected')),
    revision INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    decision_reason TEXT);
CREATE INDEX IF NOT EXISTS reviews_draft ON reviews(draft_id);
CREATE INDEX IF NOT EXISTS reviews_account ON reviews(account_id, status);
CREATE TABLE IF NOT EXISTS revisions (
    review_id TEXT NOT NULL REFERENCES reviews(id),
    n INTEGER NOT NULL,
    markdown TEXT NOT NULL,
    draft TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    report TEXT NOT NULL,
    created_at TEXT NOT NULL,
    author TEXT NOT NULL,
    PRIMARY KEY (review_id, n));
CREATE TABLE IF NOT EXISTS overrides (
    review_id TEXT NOT NULL REFERENCES reviews(id),
    revision INTEGER NOT NULL,
    check_name TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    at TEXT NOT NULL,
    PRIMARY KEY (review_id, revision, check_name));
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    review_id TEXT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    revision INTEGER,
    version INTEGER,
    hash_before TEXT,
    hash_after TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT,
    entry_hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_review ON audit_log(review_id, id);
"""


def _append_only(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} is not allowed'); END"
        for op in ("UPDATE", "DELETE")
    ]


TRIGGERS: tuple[str, ...] = tuple(f"{table}_no_{op}" for table in APPEND_ONLY_TABLES for op in ("update", "delete"))
"""The append-only triggers by name; ``review audit --verify`` reports any that is missing."""

STATEMENTS: list[str] = [s.strip() for s in _TABLES.split(";") if s.strip()] + [
    trigger for table in APPEND_ONLY_TABLES for trigger in _append_only(table)
]
"""The DDL one statement at a time, so it can run inside a transaction (``executescript`` commits)."""
SCHEMA = ";\n".join(STATEMENTS) + ";\n"
