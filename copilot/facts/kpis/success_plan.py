"""Success-plan actions on time.

Definition: of the account plan's success-plan items due in the quarter (``due`` inside it)
that are either done or already past due at ``as_of``, the share that are ``done``. An item
not done and not yet due is not judged. The plan records no completion date, so a done item
counts as on time (docs/metrics.md says so).

Not supported: the quarter has success-plan items (by their ``quarter`` field) but none has
a ``due`` date. No data: no item is due in the quarter, or none is due yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from copilot.facts.common import format_date, quarter_bounds
from copilot.facts.kpis.base import KpiSpec, empty_kpi, rate_kpi
from copilot.facts.kpis.model import AccountRecords, Kpi, KpiPart

__all__ = ["SUCCESS_PLAN", "success_plan_on_time"]

SUCCESS_PLAN = KpiSpec("success_plan_on_time", "Success-plan actions on time", "percent", higher_is_better=True)


def success_plan_on_time(accounts: Sequence[AccountRecords], quarter: str, as_of: datetime) -> Kpi:
    start, end = (b.date() for b in quarter_bounds(quarter))
    today = as_of.date()
    judged, on_time, parts, pending, undated, sources = [], [], [], [], [], []
    for a in accounts:
        source = f"plan:{a.account_id}#success-plan"
        for s in a.plan.success_plan:
            label = s.id if len(accounts) == 1 else f"{a.account_id} {s.id}"
            if s.due is None:
                if s.quarter.upper() == quarter.upper():
                    undated.append(label)
                continue
            if not start <= s.due < end:
                continue
            if s.status != "done" and s.due >= today:
                pending.append(f"{label}: due {format_date(s.due)}, not yet due ({s.status})")
                continue
            judged.append(label)
            if s.status == "done":
                on_time.append(label)
            parts.append(KpiPart(label=label, text=f"{s.status.replace('_', ' ')}, due {format_date(s.due)}"
                                 + ("" if s.status == "done" else ": late"), source_ids=[source]))
            if source not in sources:
                sources.append(source)
    notes = pending + [f"{label}: no due date; left out" for label in undated]
    if judged:
        return rate_kpi(SUCCESS_PLAN, quarter, on_time, judged, notes, sources, parts)
    if undated and not pending:
        return empty_kpi(SUCCESS_PLAN, quarter, "not_supported",
                         f"no due dates on the success-plan items of {quarter} ({', '.join(undated)}): "
                         "add `due:` to them in the account plan", notes,
                         [f"plan:{a.account_id}#success-plan" for a in accounts])
    reason = (f"no success-plan item due in {quarter} is done or past due at {format_date(today)}" if pending
              else f"no success-plan item is due in {quarter}")
    return empty_kpi(SUCCESS_PLAN, quarter, "no_data", reason, notes)
