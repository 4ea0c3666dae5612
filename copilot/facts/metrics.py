"""Service-performance metrics for a quarter: pure, deterministic functions over records.

The QBR template prints each metric as ``- <METRIC_LABELS[key]>: <text>`` under
``## Service performance``; the QBR guardrail re-runs :func:`compute_quarter_metrics` on the
same records and compares every labelled line exactly. So these definitions ARE the metric:

Population
    A ticket counts in a quarter when its ``created_at`` lies in the quarter's UTC
    ``[start, end)`` (:func:`copilot.facts.common.quarter_bounds`). Where it was resolved
    does not matter. Incidents count by ``started_at`` the same way.

First-response SLA compliance (all priorities)
    Response time = ``first_response_at`` − ``created_at``; ``first_response_at`` is the
    source's explicit field or, failing that, the earliest *public* comment by an *agent*
    (see ``copilot.ingest.ticket_fields``). A ticket *meets* SLA when that response time is
    ≤ the account's ``sla.<priority>.first_response_minutes`` (to the second). A ticket with
    no agent response at all (open or not) is a breach and stays in the denominator.

P1/P2 update-cadence compliance
    Per P1/P2 ticket of the quarter. Its *updates* are its public agent comments made while
    it was open (at or before ``resolved_at``; all of them when unresolved). The checkpoints
    are the updates plus ``resolved_at`` when resolved. The ticket *meets* cadence when it has
    at least one update and every gap between consecutive checkpoints is ≤
    ``sla.<priority>.update_cadence_minutes``. A P1/P2 ticket with no public agent update is
    a miss. Open tickets are judged on the gaps so far (no "now" is involved).

MTTR by severity
    Mean of ``resolved_at`` − ``created_at`` over the quarter's tickets of that priority that
    have ``resolved_at``; open tickets are left out. Seconds are summed, divided by the count
    and rounded half-up to whole minutes, then written with ``format_duration``.

MTTM (incidents)
    Mean of ``mitigated_at`` − ``started_at`` over the quarter's incidents that have
    ``mitigated_at``, rounded the same way.

Severity mix
    Ticket counts per priority P1..P4, this quarter and the previous one.

Repeat incidents
    Among the quarter's P1/P2 tickets, in ``created_at`` order: a ticket is a repeat when an
    earlier P1/P2 ticket of the same account (this quarter or the previous one) has the same
    non-empty ``component`` or the same non-empty ``root_cause`` (case-insensitive). The value
    is the number of repeat tickets; the text names each group's component or root cause and
    its ticket ids (a shared root cause is named only as "same root cause", since its wording
    may be internal).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import Field

from copilot.facts.common import (
    FactModel,
    format_duration,
    format_percent,
    previous_quarter,
    quarter_bounds,
)
from copilot.records.models import PRIORITIES, AccountPlan, Incident, Ticket

__all__ = [
    "METRIC_LABELS",
    "MetricLine",
    "QuarterMetrics",
    "RepeatGroup",
    "TicketOutcome",
    "cadence_outcomes",
    "compute_quarter_metrics",
    "first_response_outcomes",
    "in_quarter",
    "incidents_in_quarter",
    "mean_minutes",
    "mttm_minutes",
    "mttr_by_severity",
    "repeat_incidents",
    "severity_mix",
    "tickets_in_quarter",
]

METRIC_LABELS: dict[str, str] = {
    "tickets_opened": "Tickets opened",
    "severity_mix": "Severity mix",
    "first_response": "First-response SLA compliance",
    "update_cadence": "P1/P2 update-cadence compliance",
    "mttr_p1": "MTTR P1",
    "mttr_p2": "MTTR P2",
    "mttr_p3": "MTTR P3",
    "mttr_p4": "MTTR P4",
    "incidents": "Incidents",
    "mttm": "MTTM (incidents)",
    "repeat_incidents": "Repeat incidents",
}
"""Metric key -> the exact label printed before ``: `` in ``## Service performance``."""


class TicketOutcome(FactModel):
    """Whether one ticket met a target, and the number behind it."""

    ticket_id: str
    priority: str
    target_minutes: int
    minutes: int | None = None  # response time, or the longest gap; None when there was none
    met: bool


class RepeatGroup(FactModel):
    """Tickets that share a component or a root cause; ``ticket_ids`` in time order."""

    by: str  # "component" | "root cause"
    value: str
    ticket_ids: list[str]
    repeats: list[str]  # the ticket ids in this quarter that repeat an earlier one


class MetricLine(FactModel):
    """One labelled line of ``## Service performance``."""

    key: str
    label: str
    text: str
    source_ids: list[str] = Field(default_factory=list)


class QuarterMetrics(FactModel):
    quarter: str
    previous_quarter: str
    tickets_opened: int
    tickets_opened_previous: int
    severity_mix: dict[str, int]
    severity_mix_previous: dict[str, int]
    first_response_met: int
    first_response_total: int
    first_response_percent: str
    first_response: list[TicketOutcome]
    cadence_met: int
    cadence_total: int
    cadence_percent: str
    cadence: list[TicketOutcome]
    mttr_minutes: dict[str, int | None]
    mttr_counts: dict[str, int]
    incidents: int
    incident_ids: list[str]
    mttm_minutes: int | None
    repeat_count: int
    repeat_groups: list[RepeatGroup]
    lines: list[MetricLine]

    def line_map(self) -> dict[str, str]:
        """``{label: text}`` — what the Markdown must say after each label."""
        return {line.label: line.text for line in self.lines}


# --- population --------------------------------------------------------------------------


def in_quarter(at: datetime, quarter: str) -> bool:
    start, end = quarter_bounds(quarter)
    return start <= at < end


def tickets_in_quarter(tickets: Iterable[Ticket], quarter: str) -> list[Ticket]:
    """Tickets created in the quarter, in ``(created_at, id)`` order."""
    return sorted((t for t in tickets if in_quarter(t.created_at, quarter)), key=lambda t: (t.created_at, t.id))


def incidents_in_quarter(incidents: Iterable[Incident], quarter: str) -> list[Incident]:
    return sorted((i for i in incidents if in_quarter(i.started_at, quarter)), key=lambda i: (i.started_at, i.id))


# --- single metrics ----------------------------------------------------------------------


def _first_response_at(ticket: Ticket) -> datetime | None:
    if ticket.first_response_at is not None:
        return ticket.first_response_at
    times = [c.created_at for c in ticket.comments if c.public and c.author_role == "agent"]
    return min(times) if times else None


def first_response_outcomes(plan: AccountPlan, tickets: Iterable[Ticket]) -> list[TicketOutcome]:
    """Per ticket: response minutes (whole, truncated) and whether it met the SLA target."""
    out = []
    for t in tickets:
        target = plan.sla.for_priority(t.priority).first_response_minutes
        responded = _first_response_at(t)
        if responded is None:
            out.append(TicketOutcome(ticket_id=t.id, priority=t.priority, target_minutes=target, met=False))
            continue
        seconds = (responded - t.created_at).total_seconds()
        out.append(TicketOutcome(ticket_id=t.id, priority=t.priority, target_minutes=target,
                                 minutes=int(seconds // 60), met=seconds <= target * 60))
    return out


def _updates(ticket: Ticket) -> list[datetime]:
    times = sorted(c.created_at for c in ticket.comments if c.public and c.author_role == "agent")
    if ticket.resolved_at is not None:
        times = [t for t in times if t <= ticket.resolved_at]
    return times


def cadence_outcomes(plan: AccountPlan, tickets: Iterable[Ticket]) -> list[TicketOutcome]:
    """Per P1/P2 ticket: the longest gap between checkpoints and whether all gaps met cadence."""
    out = []
    for t in tickets:
        if t.priority not in ("P1", "P2"):
            continue
        cadence = plan.sla.for_priority(t.priority).update_cadence_minutes
        updates = _updates(t)
        if not updates:
            out.append(TicketOutcome(ticket_id=t.id, priority=t.priority, target_minutes=cadence, met=False))
            continue
        checkpoints = updates + ([t.resolved_at] if t.resolved_at is not None else [])
        gaps = [(b - a).total_seconds() for a, b in zip(checkpoints, checkpoints[1:])]
        longest = max(gaps, default=0.0)
        out.append(TicketOutcome(ticket_id=t.id, priority=t.priority, target_minutes=cadence,
                                 minutes=int(longest // 60), met=all(g <= cadence * 60 for g in gaps)))
    return out


def mean_minutes(durations_seconds: list[float]) -> int | None:
    """Mean of durations in seconds as whole minutes, rounded half-up; None when empty."""
    if not durations_seconds:
        return None
    total = int(round(sum(durations_seconds)))
    n = len(durations_seconds)
    return (total + 30 * n) // (60 * n)


def mttr_by_severity(tickets: Iterable[Ticket]) -> tuple[dict[str, int | None], dict[str, int]]:
    """``({priority: mean minutes or None}, {priority: resolved ticket count})``."""
    durations: dict[str, list[float]] = {p: [] for p in PRIORITIES}
    for t in tickets:
        if t.resolved_at is not None:
            durations[t.priority].append((t.resolved_at - t.created_at).total_seconds())
    return {p: mean_minutes(d) for p, d in durations.items()}, {p: len(d) for p, d in durations.items()}


def mttm_minutes(incidents: Iterable[Incident]) -> int | None:
    return mean_minutes([(i.mitigated_at - i.started_at).total_seconds() for i in incidents if i.mitigated_at])


def severity_mix(tickets: Iterable[Ticket]) -> dict[str, int]:
    mix = {p: 0 for p in PRIORITIES}
    for t in tickets:
        mix[t.priority] += 1
    return mix


def repeat_incidents(current: list[Ticket], previous: list[Ticket]) -> list[RepeatGroup]:
    """Groups of P1/P2 tickets sharing a component or root cause (see the module docstring)."""
    high = lambda ts: [t for t in ts if t.priority in ("P1", "P2")]  # noqa: E731
    ordered = sorted(high(previous), key=lambda t: (t.created_at, t.id)) + sorted(
        high(current), key=lambda t: (t.created_at, t.id))
    current_ids = {t.id for t in high(current)}
    groups: dict[tuple[str, str], list[Ticket]] = {}
    for t in ordered:
        for by, raw in (("component", t.component), ("root cause", t.root_cause)):
            key = raw.strip().lower()
            if key:
                groups.setdefault((by, key), []).append(t)
    out = []
    for (by, _), members in groups.items():
        repeats = [t.id for t in members[1:] if t.id in current_ids]
        if repeats:
            out.append(RepeatGroup(by=by, value=members[0].component if by == "component" else members[0].root_cause,
                                   ticket_ids=[t.id for t in members], repeats=repeats))
    return sorted(out, key=lambda g: (g.by, g.value.lower()))


# --- the quarter -------------------------------------------------------------------------


def _group_text(group: RepeatGroup) -> str:
    # a root cause's wording may be internal; the customer-facing line names only the tickets
    head = f"component {group.value}" if group.by == "component" else "same root cause"
    return f"{head}: {', '.join(group.ticket_ids)}"


def _mix_text(mix: dict[str, int]) -> str:
    return ", ".join(f"{p} {mix[p]}" for p in PRIORITIES)


def compute_quarter_metrics(plan: AccountPlan, tickets: list[Ticket], incidents: list[Incident],
                            quarter: str) -> QuarterMetrics:
    """Every service-performance metric of one account for ``quarter`` (e.g. ``2026Q3``).

    Args:
        plan: the account's plan (its SLA targets are the yardstick).
        tickets: the account's tickets (any quarter; filtered here).
        incidents: the account's incidents (any quarter; filtered here).
        quarter: ``YYYYQn``.

    Records of other accounts are ignored, so passing a whole store's records is safe.
    """
    account = plan.account.id
    prev = previous_quarter(quarter)
    own = [t for t in tickets if t.account_id == account]
    current = tickets_in_quarter(own, quarter)
    before = tickets_in_quarter(own, prev)
    quarter_incidents = incidents_in_quarter([i for i in incidents if i.account_id == account], quarter)

    fr = first_response_outcomes(plan, current)
    fr_met = sum(o.met for o in fr)
    cad = cadence_outcomes(plan, current)
    cad_met = sum(o.met for o in cad)
    mttr, mttr_counts = mttr_by_severity(current)
    mttm = mttm_minutes(quarter_incidents)
    groups = repeat_incidents(current, before)
    repeat_ids = sorted({tid for g in groups for tid in g.repeats})
    mix, mix_prev = severity_mix(current), severity_mix(before)
    current_ids = [t.id for t in current]

    lines = [
        MetricLine(key="tickets_opened", label=METRIC_LABELS["tickets_opened"],
                   text=f"{len(current)} (previous quarter {len(before)})", source_ids=current_ids),
        MetricLine(key="severity_mix", label=METRIC_LABELS["severity_mix"],
                   text=f"{_mix_text(mix)} (previous quarter {_mix_text(mix_prev)})", source_ids=current_ids),
        MetricLine(key="first_response", label=METRIC_LABELS["first_response"],
                   text=f"{format_percent(fr_met, len(fr))} ({fr_met} of {len(fr)})" if fr else "no tickets opened",
                   source_ids=[o.ticket_id for o in fr]),
        MetricLine(key="update_cadence", label=METRIC_LABELS["update_cadence"],
                   text=f"{format_percent(cad_met, len(cad))} ({cad_met} of {len(cad)})" if cad
                   else "no P1/P2 tickets", source_ids=[o.ticket_id for o in cad]),
    ]
    for p in PRIORITIES:
        value = mttr[p]
        lines.append(MetricLine(
            key=f"mttr_{p.lower()}", label=METRIC_LABELS[f"mttr_{p.lower()}"],
            text=f"{format_duration(value)} ({mttr_counts[p]} resolved)" if value is not None
            else f"no resolved {p} tickets",
            source_ids=[t.id for t in current if t.priority == p and t.resolved_at is not None]))
    lines.append(MetricLine(key="incidents", label=METRIC_LABELS["incidents"], text=str(len(quarter_incidents)),
                            source_ids=[i.id for i in quarter_incidents]))
    lines.append(MetricLine(key="mttm", label=METRIC_LABELS["mttm"],
                            text=format_duration(mttm) if mttm is not None else "no mitigated incidents",
                            source_ids=[i.id for i in quarter_incidents if i.mitigated_at]))
    repeat_text = str(len(repeat_ids))
    if groups:
        repeat_text += " (" + "; ".join(_group_text(g) for g in groups) + ")"
    lines.append(MetricLine(key="repeat_incidents", label=METRIC_LABELS["repeat_incidents"], text=repeat_text,
                            source_ids=sorted({tid for g in groups for tid in g.ticket_ids})))

    return QuarterMetrics(
        quarter=quarter, previous_quarter=prev,
        tickets_opened=len(current), tickets_opened_previous=len(before),
        severity_mix=mix, severity_mix_previous=mix_prev,
        first_response_met=fr_met, first_response_total=len(fr),
        first_response_percent=format_percent(fr_met, len(fr)), first_response=fr,
        cadence_met=cad_met, cadence_total=len(cad), cadence_percent=format_percent(cad_met, len(cad)), cadence=cad,
        mttr_minutes=mttr, mttr_counts=mttr_counts,
        incidents=len(quarter_incidents), incident_ids=[i.id for i in quarter_incidents], mttm_minutes=mttm,
        repeat_count=len(repeat_ids), repeat_groups=groups, lines=lines,
    )
