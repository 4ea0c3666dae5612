"""What facts and guardrails read: a small protocol over the records, not the whole service.

The SQLite :class:`~copilot.records.store.Store` implements it, and so does the batch run's
in-memory snapshot; a test can hand in anything with these methods.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from copilot.errors import NotFound
from copilot.records.models import AccountPlan, Incident, Runbook, Ticket

__all__ = ["RecordSource", "require"]

T = TypeVar("T")


class RecordSource(Protocol):
    """Read access to one home's records."""

    def plans(self) -> list[AccountPlan]: ...

    def plan(self, account_id: str) -> AccountPlan | None: ...

    def tickets(self, account_id: str | None = None) -> list[Ticket]: ...

    def ticket(self, ticket_id: str) -> Ticket | None: ...

    def incidents(self, account_id: str | None = None) -> list[Incident]: ...

    def incident(self, incident_id: str) -> Incident | None: ...

    def runbooks(self) -> list[Runbook]: ...

    def version(self) -> tuple:
        """Changes whenever a record changes: the key of every cache built from the records."""
        ...


def require(record: T | None, kind: str, record_id: str, hint: str = "") -> T:
    """``record``, or :class:`NotFound` naming what was missing and how to find the ids."""
    if record is None:
        raise NotFound(f"no {kind} {record_id!r}" + (f"; {hint}" if hint else ""))
    return record
