"""A read snapshot of the records for one batch worker: parse every record once, not once per account.

Drafting and checking one QBR reads whole tables: the facts builder reads every plan (other
accounts' names are scrubbed from a customer draft) and the guardrails read every plan, ticket
and incident (account isolation needs every other account's ids and people). Over a portfolio
that is quadratic: at 200 accounts, re-parsing ~5,000 tickets per account costs about a second
of CPU per account. ``SnapshotStore`` parses each table once per worker and serves those reads
from memory, so a batch drafts from one consistent snapshot taken when the worker starts (the
manifests' fingerprints are computed at the start of the run, so a record changed mid-run is
redone by the next run either way).

It also contains bad data. A stored record that no longer validates is left out of the
whole-table reads (so other accounts' drafts and checks go on without it), while every read
of its own account still raises the validation error, so exactly that account fails, with
the record named in its error (:func:`copilot.batch.errors.find_invalid_record`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from copilot.records.models import AccountPlan, Incident, Runbook, Ticket
from copilot.records.store import Store

__all__ = ["SnapshotStore"]

M = TypeVar("M", bound=BaseModel)


class _Table:
    """One parsed table: every valid record in SQL order, the same records by account (each
    account's in that order: a per-account read is a lookup, not a pass over the portfolio), and
    the accounts with a record that failed validation."""

    __slots__ = ("by_account", "invalid", "records")

    def __init__(self, records: list[Any], invalid: set[str]) -> None:
        self.records = records
        self.invalid = invalid
        self.by_account: dict[str, list[Any]] = {}
        for record in records:
            owner = record.account.id if isinstance(record, AccountPlan) else getattr(record, "account_id", None)
            self.by_account.setdefault(owner, []).append(record)


@contextmanager
def _parsed_out_of_the_collectors_way() -> Iterator[None]:
    """Parse a table with the cyclic garbage collector paused, then freeze what was parsed.

    The snapshot is millions of small objects that live as long as the worker and hold no
    reference cycles. Left to the collector, every full collection walks all of them: during
    the parse (collections triggered by the allocations themselves, over an ever larger heap)
    and then during every account drafted afterwards, a cost that grows with the portfolio
    (measured at 1,000 accounts: about a third of each account's CPU). ``gc.freeze()`` moves
    them out of the collector's generations for good (and, in forked workers, the collector no
    longer writes to the pages they share with the parent). It runs *before* the collector is
    enabled again: otherwise the first allocation after the parse would start a collection of
    every object the parse made (seen at 1,000 accounts: ~2 s on the restart's first account).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


class SnapshotStore(Store):
    """A ``Store`` whose record reads come from a snapshot parsed on first use (writes pass through).

    Only records are snapshotted (plans, tickets, incidents, runbooks); chunks, review tables
    and everything written during the batch are read live.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._snapshot: dict[str, _Table] = {}
        self._snapshot_lock = threading.Lock()

    def export_snapshot(self) -> dict[str, _Table]:
        """The tables parsed so far (for a forked worker to :meth:`adopt_snapshot` instead of re-parsing)."""
        with self._snapshot_lock:
            return dict(self._snapshot)

    def adopt_snapshot(self, snapshot: dict[str, _Table]) -> None:
        with self._snapshot_lock:
            for name, value in snapshot.items():
                self._snapshot.setdefault(name, value)

    def _table(self, name: str, sql: str, model: type[M], key: str = "account_id") -> _Table:
        """The table's valid records in SQL order, grouped by account, and the accounts with a
        record that failed validation."""
        with self._snapshot_lock:
            cached = self._snapshot.get(name)
            if cached is None:
                good: list[M] = []
                bad: set[str] = set()
                with _parsed_out_of_the_collectors_way():
                    for row in self.execute(sql):
                        try:
                            good.append(model.model_validate_json(row["json"]))
                        except ValidationError:
                            bad.add(row[key])
                    cached = self._snapshot[name] = _Table(good, bad)
            return cached

    def _plans(self) -> _Table:
        return self._table("plans", "SELECT account_id, json FROM plans ORDER BY account_id", AccountPlan)

    def _tickets(self) -> _Table:
        return self._table("tickets", "SELECT account_id, json FROM tickets ORDER BY created_at, id", Ticket)

    def _incidents(self) -> _Table:
        return self._table("incidents", "SELECT account_id, json FROM incidents ORDER BY created_at, id", Incident)

    @staticmethod
    def _scoped(table: _Table, account_id: str | None, live: Callable[[], list[Any]]) -> list[Any]:
        if account_id is None:
            return list(table.records)
        if account_id in table.invalid:
            return live()  # raises the record's ValidationError for exactly this account
        return list(table.by_account.get(account_id, ()))

    # --- reads served from the snapshot ---------------------------------------------------

    def plans(self) -> list[AccountPlan]:
        return list(self._plans().records)

    def plan(self, account_id: str) -> AccountPlan | None:
        table = self._plans()
        if account_id in table.invalid:
            return super().plan(account_id)  # raises
        found = table.by_account.get(account_id)
        return found[0] if found else None

    def tickets(self, account_id: str | None = None) -> list[Ticket]:
        return self._scoped(self._tickets(), account_id, lambda: super(SnapshotStore, self).tickets(account_id))

    def incidents(self, account_id: str | None = None) -> list[Incident]:
        return self._scoped(self._incidents(), account_id, lambda: super(SnapshotStore, self).incidents(account_id))

    def runbooks(self) -> list[Runbook]:
        return list(self._table("runbooks", "SELECT id AS account_id, json FROM runbooks ORDER BY id", Runbook).records)
