"""The audit log: an append-only table whose rows form a keyed (HMAC-SHA256) hash chain.

Each entry's ``entry_hash`` is ``h1:`` + HMAC(key, previous hash + the entry's columns). The key
is kept outside the database (``copilot.review.keys``), so a person who edits a row with
``sqlite3`` cannot recompute a chain that verifies. Entries written before the chain was keyed
(plain SHA-256, no ``h1:`` prefix) still verify as such, but only ahead of the first keyed entry.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from copilot.review.keys import AuditKey
from copilot.review.models import AuditEntry

__all__ = ["AUDIT_COLUMNS", "AuditLog", "ChainCheck", "KEYED_PREFIX"]

AUDIT_COLUMNS = ("at", "review_id", "actor", "action", "revision", "version", "hash_before", "hash_after", "detail")
KEYED_PREFIX = "h1:"


def _payload(prev_hash: str | None, values: Any) -> str:
    return json.dumps({"prev": prev_hash, **{c: values[c] for c in AUDIT_COLUMNS}}, sort_keys=True, default=str)


def _legacy_hash(prev_hash: str | None, values: Any) -> str:
    return hashlib.sha256(_payload(prev_hash, values).encode("utf-8")).hexdigest()


@dataclass
class ChainCheck:
    """What walking the chain found: broken entry ids, the head, and whether entries were keyed."""

    broken: list[int]
    head: tuple[int, str] | None
    legacy_after_keyed: list[int]
    count: int


class AuditLog:
    """Appends, reads and walks the ``audit_log`` table with one key."""

    def __init__(self, key: AuditKey) -> None:
        self.key = key

    def entry_hash(self, prev_hash: str | None, values: Any) -> str:
        return KEYED_PREFIX + self.key.mac(_payload(prev_hash, values))

    def append(self, conn: sqlite3.Connection, review_id: str | None, actor: str, action: str, *,
               revision: int | None = None, version: int | None = None, hash_before: str | None = None,
               hash_after: str | None = None, detail: dict[str, Any] | None = None) -> int:
        """Append one entry, chained to the previous one; returns its id. Call inside a transaction."""
        values = {"at": datetime.now(UTC).isoformat(), "review_id": review_id, "actor": actor, "action": action,
                  "revision": revision, "version": version, "hash_before": hash_before, "hash_after": hash_after,
                  "detail": json.dumps(detail or {}, sort_keys=True, default=str)}
        prev = conn.execute("SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        prev_hash = prev[0] if prev else None
        cur = conn.execute(
            f"INSERT INTO audit_log ({', '.join(AUDIT_COLUMNS)}, prev_hash, entry_hash) "
            f"VALUES ({', '.join('?' * (len(AUDIT_COLUMNS) + 2))})",
            (*(values[c] for c in AUDIT_COLUMNS), prev_hash, self.entry_hash(prev_hash, values)))
        return int(cur.lastrowid or 0)

    @staticmethod
    def head(conn: sqlite3.Connection) -> tuple[int, str] | None:
        row = conn.execute("SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        return (int(row[0]), str(row[1])) if row else None

    @staticmethod
    def entries(conn: sqlite3.Connection, review_id: str | None = None) -> list[AuditEntry]:
        sql, params = "SELECT * FROM audit_log", tuple[str, ...]()
        if review_id is not None:
            sql, params = sql + " WHERE review_id=?", (review_id,)
        return [AuditEntry(id=r["id"], at=r["at"], review_id=r["review_id"], actor=r["actor"], action=r["action"],
                           revision=r["revision"], version=r["version"], hash_before=r["hash_before"],
                           hash_after=r["hash_after"], detail=json.loads(r["detail"]), prev_hash=r["prev_hash"],
                           entry_hash=r["entry_hash"])
                for r in conn.execute(sql + " ORDER BY id", params)]

    def walk(self, conn: sqlite3.Connection) -> ChainCheck:
        """Recompute every link: each row must chain to the previous one under this key."""
        broken: list[int] = []
        legacy_after: list[int] = []
        prev: str | None = None
        keyed_seen = False
        head: tuple[int, str] | None = None
        count = 0
        for row in conn.execute("SELECT * FROM audit_log ORDER BY id"):
            count += 1
            stored = str(row["entry_hash"])
            if stored.startswith(KEYED_PREFIX):
                keyed_seen = True
                ok = stored == self.entry_hash(row["prev_hash"], row)
            else:
                ok = stored == _legacy_hash(row["prev_hash"], row)
                if keyed_seen:
                    legacy_after.append(int(row["id"]))
            if row["prev_hash"] != prev or not ok:
                broken.append(int(row["id"]))
            prev = stored
            head = (int(row["id"]), stored)
        return ChainCheck(broken=broken, head=head, legacy_after_keyed=legacy_after, count=count)
