"""The TAM's KPIs: pure functions of records, one module per KPI (its definition in the docstring).

Each KPI function is ``(accounts, quarter, as_of) -> Kpi``; one account gives the account's
figure, several give the portfolio's (pooled). :func:`build_kpi_report` adds the previous
quarter and the trend. Definitions, formulas and "not supported" cases: docs/metrics.md.
"""

from copilot.facts.kpis.model import (
    AccountKpis,
    AccountRecords,
    Kpi,
    KpiLine,
    KpiPart,
    KpiReport,
    KpiTrend,
)
from copilot.facts.kpis.report import KPI_FUNCTIONS, build_kpi_report, kpi_lines, trend

__all__ = [
    "KPI_FUNCTIONS",
    "AccountKpis",
    "AccountRecords",
    "Kpi",
    "KpiLine",
    "KpiPart",
    "KpiReport",
    "KpiTrend",
    "build_kpi_report",
    "kpi_lines",
    "trend",
]
