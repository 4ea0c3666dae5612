"""Chart data for an account's service performance: plain rows, ready for any plotting library.

The console draws these with altair; batch QBR may draw the same rows with matplotlib. Series
are bucketed by calendar month (UTC) over the quarters leading up to and including the chosen
quarter, so a QBR shows the trend into the quarter it reviews.

The definitions are exactly those of ``copilot.facts.metrics`` (the QBR narrative's numbers):
a ticket belongs to the month it was *created* in; first-response compliance and MTTR per
month are computed with ``first_response_outcomes`` and ``mttr_by_severity`` over that month's
tickets; ``quarters`` repeats ``compute_quarter_metrics`` per quarter, so the chosen quarter's
row matches the narrative line for line.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pydantic import BaseModel, ConfigDict, Field

from copilot.facts.common import next_quarter, previous_quarter, quarter_bounds, quarter_of
from copilot.facts.metrics import compute_quarter_metrics, first_response_outcomes, mttr_by_severity, severity_mix
from copilot.records.models import PRIORITIES, AccountPlan, Incident, Ticket

__all__ = [
    "ChartData",
    "account_chart_data",
    "available_quarters",
    "default_quarter",
    "quarter_bounds",
    "quarter_of",
    "shift_quarter",
]


def shift_quarter(quarter: str, delta: int) -> str:
    """``shift_quarter("2026Q1", -1)`` -> ``2025Q4``."""
    for _ in range(abs(delta)):
        quarter = next_quarter(quarter) if delta > 0 else previous_quarter(quarter)
    return quarter


def available_quarters(tickets: list[Ticket]) -> list[str]:
    """Quarters in which any of ``tickets`` was created or resolved, newest first."""
    seen = {quarter_of(t.created_at) for t in tickets} | {quarter_of(t.resolved_at) for t in tickets if t.resolved_at}
    return sorted(seen, reverse=True)


def default_quarter(quarters: list[str], as_of: datetime | None = None) -> str | None:
    """The newest of ``quarters`` that has ended by ``as_of`` (a QBR reviews a whole quarter), else the newest."""
    as_of = as_of or datetime.now(timezone.utc)
    complete = [q for q in quarters if quarter_bounds(q)[1] <= as_of]
    ordered = sorted(complete or quarters, reverse=True)
    return ordered[0] if ordered else None


def _month(moment: datetime) -> str:
    return f"{moment.year}-{moment.month:02d}"


def _months(start: datetime, end: datetime) -> list[str]:
    out, cursor = [], start
    while cursor < end:
        out.append(_month(cursor))
        cursor = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


class ChartData(BaseModel):
    """Rows per series; monthly rows carry ``month`` (``YYYY-MM``), quarterly rows ``quarter``."""

    model_config = ConfigDict(extra="forbid")

    account_id: str
    quarter: str
    start: datetime
    end: datetime
    months: list[str]
    severity: list[dict] = Field(default_factory=list)  # month, priority, tickets
    sla: list[dict] = Field(default_factory=list)  # month, met, total, compliance_pct (None: no tickets)
    mttr: list[dict] = Field(default_factory=list)  # month, priority, resolved, mttr_hours (None: none resolved)
    quarters: list[dict] = Field(default_factory=list)  # quarter, tickets, first_response_pct, cadence_pct, ...


def _pct(met: int, total: int) -> float | None:
    return round(100 * met / total, 1) if total else None


def account_chart_data(plan: AccountPlan, tickets: list[Ticket], quarter: str, *, quarters: int = 4,
                       incidents: list[Incident] | None = None) -> ChartData:
    """Monthly series for the ``quarters`` quarters ending with ``quarter`` (one account only)."""
    _, end = quarter_bounds(quarter)
    first = shift_quarter(quarter, -(quarters - 1))
    start, _ = quarter_bounds(first)
    months = _months(start, end)
    mine = [t for t in tickets if t.account_id == plan.account.id]
    by_month: dict[str, list[Ticket]] = {m: [] for m in months}
    for t in mine:
        if start <= t.created_at < end:
            by_month[_month(t.created_at)].append(t)

    severity, sla, mttr = [], [], []
    for m in months:
        mix = severity_mix(by_month[m])
        severity += [{"month": m, "priority": p, "tickets": mix[p]} for p in PRIORITIES]
        outcomes = first_response_outcomes(plan, by_month[m])
        met = sum(o.met for o in outcomes)
        sla.append({"month": m, "met": met, "total": len(outcomes), "compliance_pct": _pct(met, len(outcomes))})
        minutes, counts = mttr_by_severity(by_month[m])
        mttr += [{"month": m, "priority": p, "resolved": counts[p],
                  "mttr_hours": round(minutes[p] / 60, 1) if minutes[p] is not None else None} for p in PRIORITIES]

    rows, q = [], first
    for _ in range(quarters):
        metrics = compute_quarter_metrics(plan, mine, incidents or [], q)
        rows.append({"quarter": q, "tickets": metrics.tickets_opened,
                     "first_response_pct": _pct(metrics.first_response_met, metrics.first_response_total),
                     "first_response": metrics.first_response_percent,
                     "cadence_pct": _pct(metrics.cadence_met, metrics.cadence_total),
                     "update_cadence": metrics.cadence_percent,
                     **{f"mttr_{p.lower()}_hours": round(v / 60, 1) if v is not None else None
                        for p, v in metrics.mttr_minutes.items()}})
        q = shift_quarter(q, 1)

    return ChartData(account_id=plan.account.id, quarter=quarter, start=start, end=end, months=months,
                     severity=severity, sla=sla, mttr=mttr, quarters=rows)
