"""The portfolio: one row per account, ranked by an explainable risk score.

Each row carries the figures a TAM scans in the morning (health, tier, ARR, renewal and the
renewal-timeline step that is due, open P1/P2, SLA clocks at risk, churn signals, stakeholder
coverage), each with the record ids behind it, and the risk score as a list of components
(``ScoreComponent``: which rule added how many points, from which records). The rules are
``SCORE_RULES``, documented in ``docs/portfolio.md``; the order is score (highest first), then
ARR (largest first), then account id.

Churn signals and ticket volume are read over a rolling window of ``SIGNAL_WINDOW`` before
``as_of``, so the portfolio answers "what is true now", not "what happened last quarter".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from copilot.console.sla_queue import SlaClock, incident_update_clock, sla_clock
from copilot.facts.common import Fact, Sourced, format_date
from copilot.facts.renewal import renewal_context
from copilot.facts.signals import ChurnSignal, StakeholderCoverage, churn_signals, stakeholder_coverage
from copilot.records.models import AccountPlan, CorrectiveAction, Incident, Ticket, ensure_utc

__all__ = [
    "SCORE_RULES",
    "SIGNAL_WINDOW",
    "ClockAtRisk",
    "PortfolioRow",
    "RenewalStepDue",
    "ScoreComponent",
    "account_row",
    "clocks_at_risk",
    "overdue_actions",
    "rank_accounts",
    "recent_churn_signals",
    "renewal_step_due",
    "signal_kinds",
]

SIGNAL_WINDOW = timedelta(days=90)
"""Churn signals are read from customer text written in this window before ``as_of``; ticket
volume in it is compared with the window before (a drop by half raises ``engagement_decline``)."""

SCORE_RULES: dict[str, str] = {
    "health": "plan health red +30, yellow +15",
    "renewal": "renewal date passed +30; within 30 days +25, 60 +20, 90 +15, 180 +8",
    "open_p1": "+15 per open P1 ticket (at most +30)",
    "open_p2": "+5 per open P2 ticket (at most +15)",
    "active_incidents": "+10 per incident not yet resolved (at most +20)",
    "sla": "+5 per breached SLA clock on a P1/P2 ticket or an open incident, +2 per one at risk (at most +15)",
    "churn": "per kind of churn signal, once: champion left +20, competitor mention +15, data export +15, "
             "usage decline +10, engagement decline +5, adversarial tone +5",
    "coverage": "+5 per stakeholder-coverage gap (3×3 rule; at most +10)",
    "corrective_actions": "+3 per incident corrective action past its due date (at most +9)",
}
"""Component -> the rule that scores it (shown on the page and in ``portfolio --json``)."""

HEALTH_POINTS = {"red": 30, "yellow": 15, "green": 0}
RENEWAL_POINTS = [(30, 25), (60, 20), (90, 15), (180, 8)]  # within N days -> points
CHURN_POINTS = {"champion_left": 20, "competitor_mention": 15, "data_export": 15, "usage_decline": 10,
                "engagement_decline": 5, "adversarial_tone": 5}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScoreComponent(_Model):
    """One rule's contribution to an account's risk score."""

    component: str  # a key of SCORE_RULES
    points: int
    reason: str
    source_ids: list[str] = Field(default_factory=list)


class RenewalStepDue(_Model):
    """The renewal-timeline step in force at ``as_of``: its mark was reached, the next one was not."""

    days_before: int
    activity: str
    mark: date  # when the step started (renewal date minus days_before)
    due_by: date  # the next mark, or the renewal date for the last step
    status: Literal["due", "overdue"]  # overdue: the renewal date itself has passed
    source_ids: list[str]


class ClockAtRisk(_Model):
    """A running SLA clock that is breached or close to breaching."""

    subject_id: str  # ticket or incident id
    kind: Literal["ticket", "incident"]
    priority: str
    clock: SlaClock


class PortfolioRow(_Model):
    """One account as the portfolio page shows it; every figure names its records."""

    rank: int = 0
    account_id: str
    name: str
    health: Sourced[str]
    tier: Sourced[str]
    arr: Sourced[float]
    currency: str
    renewal_date: date
    days_to_renewal: Sourced[int]
    renewal_position: str
    renewal_step: RenewalStepDue | None = None
    open_p1: Sourced[int]
    open_p2: Sourced[int]
    active_incidents: Sourced[int]
    clocks_at_risk: list[ClockAtRisk] = Field(default_factory=list)
    churn_signals: list[ChurnSignal] = Field(default_factory=list)
    stakeholder_coverage: StakeholderCoverage
    overdue_corrective_actions: Sourced[int]
    risk_score: int
    score: list[ScoreComponent] = Field(default_factory=list)


def _open(tickets: Iterable[Ticket], priority: str) -> Sourced[int]:
    ids = sorted(t.id for t in tickets if t.is_open and t.priority == priority)
    return Sourced[int](value=len(ids), source_ids=ids)


def renewal_step_due(plan: AccountPlan, as_of: datetime) -> RenewalStepDue | None:
    """The step whose mark was reached last (None before the 180-day mark)."""
    ctx = renewal_context(plan, as_of)
    if ctx.current_step is None:
        return None
    step = ctx.current_step
    due_by = ctx.next_step.on if ctx.next_step else ctx.renewal_date
    return RenewalStepDue(days_before=step.days_before, activity=step.activity, mark=step.on, due_by=due_by,
                          status="overdue" if ctx.days_to_renewal < 0 else "due", source_ids=ctx.source_ids)


def clocks_at_risk(plan: AccountPlan, tickets: Iterable[Ticket], incidents: Iterable[Incident],
                   as_of: datetime) -> list[ClockAtRisk]:
    """Breached or at-risk clocks: open tickets' SLA clocks and open incidents' customer-update clocks."""
    out: list[ClockAtRisk] = []
    for t in tickets:
        clock = sla_clock(plan, t, as_of)
        if clock and clock.risk != "ok":
            out.append(ClockAtRisk(subject_id=t.id, kind="ticket", priority=t.priority, clock=clock))
    for i in incidents:
        clock = incident_update_clock(plan, i, as_of)
        if clock and clock.risk != "ok":
            out.append(ClockAtRisk(subject_id=i.id, kind="incident", priority=i.priority, clock=clock))
    out.sort(key=lambda c: (c.clock.minutes_left, c.subject_id))
    return out


def overdue_actions(incidents: Iterable[Incident], today: date) -> list[tuple[Incident, CorrectiveAction]]:
    """``(incident, corrective action)`` pairs not done whose due date is before ``today``."""
    return [(i, a) for i in incidents for a in i.corrective_actions
            if a.status != "done" and a.due is not None and a.due < today]


def recent_churn_signals(plan: AccountPlan, tickets: list[Ticket], as_of: datetime) -> list[ChurnSignal]:
    """Churn signals over ``SIGNAL_WINDOW`` before ``as_of`` (ticket volume against the window before)."""
    since, before = as_of - SIGNAL_WINDOW, as_of - 2 * SIGNAL_WINDOW
    now = [t.id for t in tickets if since <= t.created_at < as_of]
    earlier = [t.id for t in tickets if before <= t.created_at < since]
    signals = churn_signals(plan, tickets, since, as_of, len(now), len(earlier))
    for s in signals:  # the volume signal names no record: cite the tickets it counted
        if s.kind == "engagement_decline" and not s.evidence.source_ids:
            s.evidence = Fact(value=s.evidence.value, source_ids=sorted(now + earlier))
    return signals


def account_row(plan: AccountPlan, tickets: list[Ticket], incidents: list[Incident], as_of: datetime) -> PortfolioRow:
    """The portfolio row of ``plan``'s account (records of other accounts are ignored)."""
    as_of = ensure_utc(as_of)
    account = plan.account.id
    tickets = [t for t in tickets if t.account_id == account and t.created_at <= as_of]
    incidents = [i for i in incidents if i.account_id == account and i.started_at <= as_of]
    contract, plan_id = [f"plan:{account}#contract"], f"plan:{account}"
    ctx = renewal_context(plan, as_of)
    active = sorted(i.id for i in incidents if i.status != "resolved")
    overdue = overdue_actions(incidents, as_of.date())
    row = PortfolioRow(
        account_id=account, name=plan.account.name,
        health=Sourced[str](value=plan.account.health, source_ids=[plan_id]),
        tier=Sourced[str](value=plan.contract.tier, source_ids=contract),
        arr=Sourced[float](value=plan.contract.arr, source_ids=contract), currency=plan.contract.currency,
        renewal_date=ctx.renewal_date, days_to_renewal=Sourced[int](value=ctx.days_to_renewal, source_ids=contract),
        renewal_position=ctx.position, renewal_step=renewal_step_due(plan, as_of),
        open_p1=_open(tickets, "P1"), open_p2=_open(tickets, "P2"),
        active_incidents=Sourced[int](value=len(active), source_ids=active),
        clocks_at_risk=clocks_at_risk(plan, tickets, incidents, as_of),
        churn_signals=recent_churn_signals(plan, tickets, as_of), stakeholder_coverage=stakeholder_coverage(plan),
        overdue_corrective_actions=Sourced[int](value=len(overdue), source_ids=sorted({i.id for i, _ in overdue})),
        risk_score=0,
    )
    row.score = score_components(row)
    row.risk_score = sum(c.points for c in row.score)
    return row


def _capped(component: str, each: int, cap: int, ids: list[str], what: str) -> ScoreComponent | None:
    if not ids:
        return None
    return ScoreComponent(component=component, points=min(each * len(ids), cap),
                          reason=f"{len(ids)} {what}", source_ids=ids)


def score_components(row: PortfolioRow) -> list[ScoreComponent]:
    """The non-zero components of ``row``'s risk score, by ``SCORE_RULES``."""
    out: list[ScoreComponent | None] = []
    if HEALTH_POINTS.get(row.health.value):
        out.append(ScoreComponent(component="health", points=HEALTH_POINTS[row.health.value],
                                  reason=f"plan health is {row.health.value}", source_ids=row.health.source_ids))
    days = row.days_to_renewal.value
    points = 30 if days < 0 else next((p for limit, p in RENEWAL_POINTS if days <= limit), 0)
    if points:
        reason = "renewal date has passed" if days < 0 else f"renewal in {days} days ({format_date(row.renewal_date)})"
        out.append(ScoreComponent(component="renewal", points=points, reason=reason,
                                  source_ids=row.days_to_renewal.source_ids))
    out.append(_capped("open_p1", 15, 30, row.open_p1.source_ids, "open P1 ticket(s)"))
    out.append(_capped("open_p2", 5, 15, row.open_p2.source_ids, "open P2 ticket(s)"))
    out.append(_capped("active_incidents", 10, 20, row.active_incidents.source_ids, "incident(s) not resolved"))
    scored = [c for c in row.clocks_at_risk if c.kind == "incident" or c.priority in ("P1", "P2")]
    if scored:
        breached = [c for c in scored if c.clock.risk == "breached"]
        points = min(5 * len(breached) + 2 * (len(scored) - len(breached)), 15)
        out.append(ScoreComponent(component="sla", points=points,
                                  reason=f"{len(breached)} breached, {len(scored) - len(breached)} at risk "
                                         "(P1/P2 tickets and open incidents)",
                                  source_ids=[c.subject_id for c in scored]))
    out += _churn(row.churn_signals)
    gaps = row.stakeholder_coverage.gaps
    if gaps:
        out.append(ScoreComponent(component="coverage", points=min(5 * len(gaps), 10), reason="; ".join(gaps),
                                  source_ids=row.stakeholder_coverage.source_ids))
    overdue = row.overdue_corrective_actions
    if overdue.value:
        out.append(ScoreComponent(component="corrective_actions", points=min(3 * overdue.value, 9),
                                  reason=f"{overdue.value} corrective action(s) past due", source_ids=overdue.source_ids))
    return [c for c in out if c is not None]


def signal_kinds(signals: list[ChurnSignal]) -> list[tuple[str, str, list[str]]]:
    """``(kind, first evidence sentence, every cited id)`` per kind of signal, in the order found."""
    out = []
    for kind in dict.fromkeys(s.kind for s in signals):
        found = [s for s in signals if s.kind == kind]
        out.append((kind, found[0].evidence.value, sorted({sid for s in found for sid in s.evidence.source_ids})))
    return out


def _churn(signals: list[ChurnSignal]) -> list[ScoreComponent]:
    return [ScoreComponent(component="churn", points=CHURN_POINTS.get(kind, 5),
                           reason=f"{kind.replace('_', ' ')}: {first}", source_ids=ids)
            for kind, first, ids in signal_kinds(signals)]


def rank_accounts(plans: list[AccountPlan], tickets: list[Ticket], incidents: list[Incident],
                  as_of: datetime) -> list[PortfolioRow]:
    """Every account's row, ranked: risk score (highest first), then ARR (largest first), then id."""
    rows = [account_row(p, tickets, incidents, as_of) for p in plans]
    rows.sort(key=lambda r: (-r.risk_score, -r.arr.value, r.account_id))
    for n, row in enumerate(rows, 1):
        row.rank = n
    return rows
