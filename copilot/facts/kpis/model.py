"""The KPI result model: one figure, its unit, the records it came from, and when it cannot be given.

A KPI is never 0 for missing data. ``status`` says which of three things is true:

``ok``
    ``value`` is computed; ``source_ids`` are the records it was computed from.
``no_data``
    the quarter has nothing to measure (e.g. no incidents started): ``value`` is None,
    ``reason`` says what was missing from the population.
``not_supported``
    the records have the population but not the fields the KPI needs (e.g. no success-plan
    item has a due date): ``value`` is None, ``reason`` says which field and where to add it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import Field

from copilot.facts.common import FactModel
from copilot.records.models import AccountPlan, Incident, Ticket

__all__ = [
    "AccountKpis",
    "AccountRecords",
    "Kpi",
    "KpiLine",
    "KpiPart",
    "KpiReport",
    "KpiStatus",
    "KpiTrend",
    "KpiUnit",
]

KpiStatus = Literal["ok", "no_data", "not_supported"]
KpiUnit = Literal["minutes", "percent", "score"]


@dataclass(frozen=True)
class AccountRecords:
    """One account's records, as the KPI functions read them.

    Attributes:
        pir_reviews: incident id -> id of an approved PIR review for it (the review queue
            sits above facts, so the service passes what it holds).
    """

    plan: AccountPlan
    tickets: list[Ticket] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    pir_reviews: dict[str, str] = field(default_factory=dict)

    @property
    def account_id(self) -> str:
        return self.plan.account.id


class KpiPart(FactModel):
    """One named piece behind a figure (a risk factor and its points, a per-severity mean)."""

    label: str
    text: str
    points: float | None = None
    source_ids: list[str] = Field(default_factory=list)


class Kpi(FactModel):
    """One KPI for one scope (an account or the portfolio) and one quarter."""

    key: str
    label: str
    quarter: str
    status: KpiStatus
    unit: KpiUnit
    higher_is_better: bool
    value: float | None = None  # minutes, percent (0-100, one decimal) or score (0-100)
    text: str  # as a person reads it: "1h 05m", "92.3% (12 of 13)", "not supported: ..."
    numerator: int | None = None  # for rates: how many met
    denominator: int | None = None  # for rates and means: how many were measured
    level: str = ""  # renewal risk: low | medium | high
    reason: str = ""  # why there is no value (status no_data / not_supported)
    notes: list[str] = Field(default_factory=list)  # what was left out and why
    parts: list[KpiPart] = Field(default_factory=list)
    source_ids: list[str] = Field(default_factory=list)  # the records the figure was computed from


class KpiTrend(FactModel):
    """This quarter against the previous one."""

    direction: Literal["up", "down", "flat", "n/a"]
    assessment: Literal["better", "worse", "unchanged", "n/a"]
    delta: float | None = None  # current - previous, in the KPI's unit
    text: str  # "+5.0 pts vs 2026Q2", "n/a (no 2026Q2 value)"


class KpiLine(FactModel):
    key: str
    label: str
    current: Kpi
    previous: Kpi
    trend: KpiTrend


class AccountKpis(FactModel):
    account_id: str
    account_name: str
    kpis: list[KpiLine]


class KpiReport(FactModel):
    """KPIs for one account (``scope="account"``) or every account (``scope="portfolio"``).

    ``kpis`` are the scope's figures (for the portfolio: pooled over every account's records,
    see docs/metrics.md); ``accounts`` has one row per account.
    """

    scope: Literal["account", "portfolio"]
    account_id: str | None = None
    quarter: str
    previous_quarter: str
    as_of: datetime
    as_of_note: str = ""
    kpis: list[KpiLine]
    accounts: list[AccountKpis] = Field(default_factory=list)
