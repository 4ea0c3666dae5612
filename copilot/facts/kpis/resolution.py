"""MTTR (high severity).

Definition: for the P1/P2 tickets created in the quarter that are resolved, the mean of
``resolved_at`` − ``created_at``, in whole minutes rounded half-up (the QBR's per-severity
MTTR, :func:`copilot.facts.metrics.mttr_by_severity`, pooled over P1 and P2). A ticket
created in the quarter and resolved in a later one counts in the quarter it was created.
Open tickets are left out and named in the notes. ``parts`` gives the mean per severity
P1-P4.

No data: no P1/P2 ticket created in the quarter, or none of them resolved yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from copilot.facts.common import format_duration
from copilot.facts.kpis.base import HIGH_SEVERITY, KpiSpec, duration_kpi, empty_kpi, quarter_tickets
from copilot.facts.kpis.model import AccountRecords, Kpi, KpiPart
from copilot.facts.metrics import mttr_by_severity

__all__ = ["MTTR", "mttr"]

MTTR = KpiSpec("mttr", "MTTR (P1/P2)", "minutes", higher_is_better=False)


def mttr(accounts: Sequence[AccountRecords], quarter: str, as_of: datetime) -> Kpi:
    tickets = quarter_tickets(accounts, quarter)
    high = [t for t in tickets if t.priority in HIGH_SEVERITY]
    if not high:
        return empty_kpi(MTTR, quarter, "no_data", f"no P1/P2 ticket created in {quarter}")
    means, counts = mttr_by_severity(tickets)
    parts = [KpiPart(label=f"MTTR {p}", text=f"{format_duration(m)} ({counts[p]} resolved)" if m is not None
                     else f"no resolved {p} tickets",
                     source_ids=[t.id for t in tickets if t.priority == p and t.resolved_at is not None])
             for p, m in means.items()]
    measured = [(t.id, (t.resolved_at - t.created_at).total_seconds()) for t in high if t.resolved_at is not None]
    notes = [f"{t.id}: still {t.status}" if t.is_open else f"{t.id}: {t.status} but no resolution time recorded"
             for t in high if t.resolved_at is None]
    if not measured:
        return empty_kpi(MTTR, quarter, "no_data", f"no P1/P2 ticket of {quarter} is resolved yet", notes,
                         [t.id for t in high])
    return duration_kpi(MTTR, quarter, measured, notes, parts)
