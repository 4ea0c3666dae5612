"""The KPI report: every KPI for an account or the portfolio, this quarter against the previous one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from copilot.facts.common import format_duration, previous_quarter
from copilot.facts.kpis.base import KpiFunction
from copilot.facts.kpis.closure import problem_closure_rate
from copilot.facts.kpis.engagement import time_to_engage
from copilot.facts.kpis.mitigation import mean_time_to_mitigation
from copilot.facts.kpis.model import AccountKpis, AccountRecords, Kpi, KpiLine, KpiReport, KpiTrend
from copilot.facts.kpis.renewal_risk import technical_renewal_risk
from copilot.facts.kpis.repeats import repeat_incident_rate
from copilot.facts.kpis.resolution import mttr
from copilot.facts.kpis.sla import sla_response_compliance, update_cadence_compliance
from copilot.facts.kpis.success_plan import success_plan_on_time
from copilot.facts.kpis.view import seen_at

__all__ = ["KPI_FUNCTIONS", "build_kpi_report", "kpi_lines", "trend"]

KPI_FUNCTIONS: list[KpiFunction] = [
    time_to_engage,
    mean_time_to_mitigation,
    mttr,
    sla_response_compliance,
    update_cadence_compliance,
    repeat_incident_rate,
    problem_closure_rate,
    success_plan_on_time,
    technical_renewal_risk,
]
"""The KPIs in the order a report lists them."""


def _delta_text(kpi: Kpi, delta: float) -> str:
    sign = "+" if delta > 0 else "-" if delta < 0 else "±"
    if kpi.unit == "minutes":
        return f"{sign}{format_duration(abs(delta))}"
    if kpi.unit == "percent":
        return f"{sign}{abs(delta):.1f} pts"
    return f"{sign}{abs(delta):g}"


def trend(current: Kpi, previous: Kpi) -> KpiTrend:
    """Which way the KPI moved from ``previous`` to ``current``, and whether that is better."""
    if current.value is None or previous.value is None:
        missing = previous.quarter if previous.value is None else current.quarter
        return KpiTrend(direction="n/a", assessment="n/a", text=f"n/a (no {missing} value)")
    delta = round(current.value - previous.value, 1)
    if delta == 0:
        return KpiTrend(direction="flat", assessment="unchanged", delta=0.0, text=f"unchanged vs {previous.quarter}")
    up = delta > 0
    better = up == current.higher_is_better
    return KpiTrend(direction="up" if up else "down", assessment="better" if better else "worse", delta=delta,
                    text=f"{_delta_text(current, delta)} vs {previous.quarter} ({'better' if better else 'worse'})")


def kpi_lines(accounts: Sequence[AccountRecords], quarter: str, as_of: datetime) -> list[KpiLine]:
    """Every KPI over ``accounts`` (records already as seen at ``as_of``) with its trend."""
    prev = previous_quarter(quarter)
    out = []
    for fn in KPI_FUNCTIONS:
        current, previous = fn(accounts, quarter, as_of), fn(accounts, prev, as_of)
        out.append(KpiLine(key=current.key, label=current.label, current=current, previous=previous,
                           trend=trend(current, previous)))
    return out


def build_kpi_report(accounts: Sequence[AccountRecords], quarter: str, as_of: datetime,
                     account_id: str | None = None, as_of_note: str = "") -> KpiReport:
    """The KPIs of ``account_id`` (one of ``accounts``) or, when None, of the whole portfolio.

    Records are first cut to what was known at ``as_of`` (:mod:`copilot.facts.kpis.view`).
    """
    seen = [seen_at(a, as_of) for a in accounts]
    if account_id is not None:
        seen = [a for a in seen if a.account_id == account_id]
    rows = [AccountKpis(account_id=a.account_id, account_name=a.plan.account.name, kpis=kpi_lines([a], quarter, as_of))
            for a in seen]
    scope_lines = rows[0].kpis if account_id is not None and rows else kpi_lines(seen, quarter, as_of)
    return KpiReport(scope="account" if account_id is not None else "portfolio", account_id=account_id,
                     quarter=quarter, previous_quarter=previous_quarter(quarter), as_of=as_of, as_of_note=as_of_note,
                     kpis=scope_lines, accounts=rows)
