"""What every KPI module shares: the population of a quarter and the three ways a KPI ends.

A KPI function has the signature ``(accounts, quarter, as_of) -> Kpi`` (:data:`KpiFunction`):
``accounts`` is one account (its KPI) or several (the portfolio's, pooled), the records as
seen at ``as_of`` (:func:`copilot.facts.kpis.view.seen_at`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from copilot.facts.common import format_duration, format_percent, quarter_bounds
from copilot.facts.kpis.model import AccountRecords, Kpi, KpiPart, KpiUnit
from copilot.facts.metrics import incidents_in_quarter, mean_minutes, tickets_in_quarter
from copilot.records.models import Incident, Ticket

__all__ = [
    "HIGH_SEVERITY",
    "KpiFunction",
    "KpiSpec",
    "cutoff",
    "duration_kpi",
    "empty_kpi",
    "milestone_durations",
    "percent_value",
    "quarter_incidents",
    "quarter_tickets",
    "rate_kpi",
]

HIGH_SEVERITY = ("P1", "P2")

KpiFunction = Callable[[Sequence[AccountRecords], str, datetime], Kpi]


class KpiSpec:
    """The fixed facts about one KPI: its key, label, unit and which way is better."""

    def __init__(self, key: str, label: str, unit: KpiUnit, higher_is_better: bool) -> None:
        self.key, self.label, self.unit, self.higher_is_better = key, label, unit, higher_is_better

    def head(self, quarter: str) -> dict:
        return {"key": self.key, "label": self.label, "quarter": quarter, "unit": self.unit,
                "higher_is_better": self.higher_is_better}


def cutoff(quarter: str, as_of: datetime) -> datetime:
    """The end of ``quarter`` or ``as_of``, whichever comes first."""
    return min(quarter_bounds(quarter)[1], as_of)


def quarter_tickets(accounts: Sequence[AccountRecords], quarter: str) -> list[Ticket]:
    """Each account's own tickets created in ``quarter`` (pooled, in time order)."""
    out = [t for a in accounts for t in tickets_in_quarter(
        [t for t in a.tickets if t.account_id == a.account_id], quarter)]
    return sorted(out, key=lambda t: (t.created_at, t.id))


def quarter_incidents(accounts: Sequence[AccountRecords], quarter: str) -> list[Incident]:
    """Each account's own incidents started in ``quarter`` (pooled, in time order)."""
    out = [i for a in accounts for i in incidents_in_quarter(
        [i for i in a.incidents if i.account_id == a.account_id], quarter)]
    return sorted(out, key=lambda i: (i.started_at, i.id))


def empty_kpi(spec: KpiSpec, quarter: str, status: str, reason: str, notes: list[str] | None = None,
              source_ids: list[str] | None = None) -> Kpi:
    """A KPI with no value: ``status`` is ``no_data`` or ``not_supported``; never a 0."""
    head = "no data" if status == "no_data" else "not supported"
    return Kpi(**spec.head(quarter), status=status, text=f"{head}: {reason}", reason=reason,  # type: ignore[arg-type]
               notes=notes or [], source_ids=source_ids or [])


def percent_value(numerator: int, denominator: int) -> float:
    """The percentage :func:`format_percent` prints, as a number (``92.3``)."""
    return float(format_percent(numerator, denominator).rstrip("%"))


def rate_kpi(spec: KpiSpec, quarter: str, met: list[str], measured: list[str], notes: list[str] | None = None,
             source_ids: list[str] | None = None, parts: list[KpiPart] | None = None) -> Kpi:
    """``len(met) / len(measured)`` as a percentage (``measured`` must not be empty)."""
    n, d = len(met), len(measured)
    return Kpi(**spec.head(quarter), status="ok", value=percent_value(n, d),
               text=f"{format_percent(n, d)} ({n} of {d})", numerator=n, denominator=d, notes=notes or [],
               parts=parts or [], source_ids=source_ids if source_ids is not None else list(measured))


def duration_kpi(spec: KpiSpec, quarter: str, measured: list[tuple[str, float]], notes: list[str] | None = None,
                 parts: list[KpiPart] | None = None) -> Kpi:
    """The mean of ``(record id, seconds)`` in whole minutes, rounded half-up (``measured`` not empty)."""
    minutes = mean_minutes([s for _, s in measured])
    assert minutes is not None
    return Kpi(**spec.head(quarter), status="ok", value=float(minutes),
               text=f"{format_duration(minutes)} ({len(measured)} measured)", denominator=len(measured),
               notes=notes or [], parts=parts or [], source_ids=[i for i, _ in measured])


def milestone_durations(incidents: list[Incident], field: str, missing: str) -> tuple[list[tuple[str, float]], list[str]]:
    """``([(incident id, seconds from started_at to field)], notes)``; an incident without ``field``
    gets the note ``"<id>: <missing>"`` (``missing`` may use ``{status}``), one before impact start
    is left out as the records disagree."""
    measured, notes = [], []
    for i in incidents:
        at = getattr(i, field)
        if at is None:
            notes.append(f"{i.id}: " + missing.format(status=i.status))
        elif at < i.started_at:
            notes.append(f"{i.id}: {field} before impact start (records disagree); left out")
        else:
            measured.append((i.id, (at - i.started_at).total_seconds()))
    return measured, notes
