"""Read-only summaries the console shows: an account at a glance, the index, uploads staging.

Everything here reads records; ``stage_uploads`` only writes files a person uploaded into the
home so that ingest can read them like any other folder.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from copilot.records.store import Store

__all__ = ["AccountOverview", "IndexStatus", "account_overview", "index_status", "stage_uploads"]


class AccountOverview(BaseModel):
    """An account at a glance: contract, renewal and open high-severity work."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    tier: str
    arr: float
    currency: str
    renewal_date: date
    days_to_renewal: int
    renewal_stage: str = ""
    health: str
    open_p1: int
    open_p2: int
    open_tickets: int
    open_incidents: int


class IndexStatus(BaseModel):
    """How much is indexed and when the last ingest finished."""

    model_config = ConfigDict(extra="forbid")

    accounts: int
    tickets: int
    incidents: int
    runbooks: int
    chunks: int
    chunks_pending: int
    last_ingest_at: datetime | None = None
    last_ingest_quarantined: int = 0


def account_overview(store: "Store", account_id: str, today: date | None = None) -> AccountOverview | None:
    plan = store.plan(account_id)
    if plan is None:
        return None
    today = today or datetime.now(timezone.utc).date()
    tickets = [t for t in store.tickets(account_id) if t.is_open]
    incidents = [i for i in store.incidents(account_id) if i.status != "resolved"]
    return AccountOverview(
        id=plan.account.id, name=plan.account.name, tier=plan.contract.tier, arr=plan.contract.arr,
        currency=plan.contract.currency, renewal_date=plan.contract.renewal_date,
        days_to_renewal=(plan.contract.renewal_date - today).days, renewal_stage=plan.contract.renewal_stage,
        health=plan.account.health,
        open_p1=sum(t.priority == "P1" for t in tickets), open_p2=sum(t.priority == "P2" for t in tickets),
        open_tickets=len(tickets), open_incidents=len(incidents),
    )


def index_status(store: "Store") -> IndexStatus:
    counts = store.counts()
    pending = int(store.execute("SELECT COUNT(*) FROM chunks WHERE state != 'indexed'")[0][0])
    last = store.last_run()
    finished = datetime.fromisoformat(last["finished_at"]) if last and last.get("finished_at") else None
    quarantined = len(store.quarantine(last["id"])) if last else 0
    return IndexStatus(accounts=counts["accounts"], tickets=counts["tickets"], incidents=counts["incidents"],
                       runbooks=counts["runbooks"], chunks=counts["chunks"], chunks_pending=pending,
                       last_ingest_at=finished, last_ingest_quarantined=quarantined)


_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def stage_uploads(home: Path, files: list[tuple[str, bytes]]) -> Path:
    """Write uploaded ``(name, bytes)`` pairs under ``home/uploads/<UTC stamp>/`` and return that folder.

    Names may carry a relative folder path (a folder upload); every part is sanitised, and
    ``..``/absolute parts are dropped, so nothing is written outside the new folder.
    """
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    root = Path(home) / "uploads" / stamp
    root.mkdir(parents=True, exist_ok=False)
    for name, data in files:
        parts = [_UNSAFE.sub("_", p).strip() for p in PurePosixPath(name.replace("\\", "/")).parts
                 if p not in ("", ".", "..", "/")]
        parts = [p for p in parts if p and not p.startswith(".")] or ["upload"]
        target = root.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root
