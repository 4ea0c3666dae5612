"""Facts for a QBR narrative: one account, one quarter.

Value first (the plan's value-realization entries), then service performance
(:mod:`copilot.facts.metrics`), top issues, risks, next quarter's success plan and the
renewal context. Stakeholder coverage and churn signals are computed for the TAM and kept
in the facts; the customer-facing narrative does not print them.

The same goes for the commercial and relationship side of the plan, which is ours, not the
customer's: risks and success-plan items about champions, competitors, pricing, renewal,
migration or usage decline (:data:`INTERNAL_TOPICS`) land in ``internal_risks`` /
``internal_plan_items``, and a renewal stage in those terms is not printed.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from pydantic import Field

from copilot.facts.common import (
    Fact,
    FactModel,
    banned_terms,
    customer_safe,
    format_date,
    format_time,
    next_quarter,
    previous_quarter,
    quarter_bounds,
    utc_now,
)
from copilot.facts.kpis.model import Kpi
from copilot.facts.kpis.quotable import qbr_kpis
from copilot.facts.metrics import (
    QuarterMetrics,
    compute_quarter_metrics,
    incidents_in_quarter,
    tickets_in_quarter,
)
from copilot.facts.renewal import RenewalContext, renewal_context
from copilot.facts.root_cause import ticket_root_cause
from copilot.facts.signals import (
    ChurnSignal,
    StakeholderCoverage,
    churn_signals,
    stakeholder_coverage,
)
from copilot.records.models import AccountPlan, Incident, Ticket
from copilot.records.source import RecordSource, require

__all__ = ["INTERNAL_TOPICS", "IssueFact", "PlanItem", "QbrFacts", "RiskFact", "ValueFact", "build_qbr_facts", "qbr_facts",
           "ticket_root_cause"]

_LEVEL = {"high": 0, "medium": 1, "low": 2}
INTERNAL_TOPICS = re.compile(
    r"\b(?:champion|competit\w*|churn|single-threaded|pric(?:e|ing)|uplift|discount|renewal|migrat\w*|"
    r"data[- ]export|usage (?:is )?down|usage\b.*\bdeclin\w*|sentiment|relationship|at risk|evaluat\w*)\b",
    re.IGNORECASE)
"""Plan text on these topics is the vendor's internal account strategy, not for the customer."""


class ValueFact(FactModel):
    id: str
    outcome: str
    metric: str = ""
    baseline: str = ""
    current: str = ""
    achieved_text: str = ""
    in_quarter: bool
    evidence: str = ""
    source_ids: list[str]


class IssueFact(FactModel):
    id: str
    kind: str  # incident | ticket
    title: str
    priority: str
    status: str
    opened_text: str
    root_cause_status: str  # confirmed | identified | under investigation | not recorded
    root_cause: str = ""  # stated only when confirmed/identified and customer-safe
    related: list[str] = Field(default_factory=list)
    source_ids: list[str]


class RiskFact(FactModel):
    id: str
    title: str
    likelihood: str
    impact: str
    mitigation: str
    owner: str
    status: str
    source_ids: list[str]


class PlanItem(FactModel):
    id: str
    item: str
    owner: str
    due_text: str
    status: str
    quarter: str
    source_ids: list[str]


class QbrFacts(FactModel):
    kind: str = "qbr_narrative"
    account_id: str
    account_name: str
    quarter: str
    previous_quarter: str
    next_quarter: str
    period_text: str  # "2026-07-01 to 2026-09-30"
    as_of: datetime
    as_of_text: str
    value_delivered: list[ValueFact] = Field(default_factory=list)
    objectives: list[Fact] = Field(default_factory=list)
    metrics: QuarterMetrics
    kpis: list[Kpi] = Field(default_factory=list)  # the quotable KPIs (copilot.facts.kpis.quotable)
    top_issues: list[IssueFact] = Field(default_factory=list)
    risks: list[RiskFact] = Field(default_factory=list)
    internal_risks: list[RiskFact] = Field(default_factory=list)  # not printed (see INTERNAL_TOPICS)
    success_plan: list[PlanItem] = Field(default_factory=list)
    internal_plan_items: list[PlanItem] = Field(default_factory=list)  # not printed
    renewal_stage_shareable: bool = True
    roadmap: list[Fact] = Field(default_factory=list)
    renewal: RenewalContext
    stakeholder_coverage: StakeholderCoverage
    churn_signals: list[ChurnSignal] = Field(default_factory=list)


def _value(plan: AccountPlan, quarter: str, safe) -> list[ValueFact]:
    start, end = quarter_bounds(quarter)
    out = []
    for v in plan.value_realization:
        if v.achieved_on is not None and v.achieved_on >= end.date():
            continue  # achieved after the quarter: not this QBR's story
        out.append(ValueFact(
            id=v.id, outcome=safe(v.outcome) or v.outcome, metric=v.metric, baseline=v.baseline, current=v.current,
            achieved_text=format_date(v.achieved_on) if v.achieved_on else "",
            in_quarter=v.achieved_on is not None and start.date() <= v.achieved_on < end.date(),
            evidence=safe(v.evidence), source_ids=[f"plan:{plan.account.id}#value"]))
    # this quarter's outcomes first, then earlier ones, most recent first
    return sorted(out, key=lambda v: (not v.in_quarter, v.achieved_text == "", [-ord(ch) for ch in v.achieved_text]))


def _issues(tickets: list[Ticket], incidents: list[Incident], safe, limit: int = 5) -> list[IssueFact]:
    out: list[tuple[tuple, IssueFact]] = []
    covered: set[str] = set()
    for inc in incidents:
        rc = inc.root_cause
        status = {"confirmed": "confirmed", "unconfirmed": "under investigation"}.get(rc.status, "under investigation")
        text = safe(rc.summary) if rc.status == "confirmed" else ""
        related = [t for t in inc.related_tickets]
        covered.update(related)
        out.append(((inc.priority, 0, inc.started_at), IssueFact(
            id=inc.id, kind="incident", title=safe(inc.title) or inc.id, priority=inc.priority, status=inc.status,
            opened_text=format_time(inc.started_at), root_cause_status=status, root_cause=text, related=related,
            source_ids=[inc.id] + ([rc.source] if rc.status == "confirmed" and rc.source else []))))
    for t in tickets:
        if t.id in covered or t.priority not in ("P1", "P2"):
            continue
        raw, source = ticket_root_cause(t)
        text = safe(raw)
        status = "identified" if text else ("under investigation" if t.is_open else "not recorded")
        out.append(((t.priority, 1, t.created_at), IssueFact(
            id=t.id, kind="ticket", title=safe(t.subject) or t.id, priority=t.priority, status=t.status,
            opened_text=format_time(t.created_at), root_cause_status=status, root_cause=text,
            source_ids=[t.id] + ([source] if text and source != t.id else []))))
    out.sort(key=lambda x: x[0])
    return [issue for _, issue in out[:limit]]


def _risks(plan: AccountPlan, safe) -> list[RiskFact]:
    risks = [r for r in plan.risks if r.status != "closed"]
    risks.sort(key=lambda r: (_LEVEL[r.impact], _LEVEL[r.likelihood], r.id))
    return [RiskFact(id=r.id, title=safe(r.title) or r.title, likelihood=r.likelihood, impact=r.impact,
                     mitigation=safe(r.mitigation), owner=r.owner, status=r.status,
                     source_ids=[f"plan:{plan.account.id}#risks"]) for r in risks]


def _success_plan(plan: AccountPlan, quarter: str, safe) -> list[PlanItem]:
    nxt = next_quarter(quarter)
    start, end = quarter_bounds(nxt)
    items = []
    for s in plan.success_plan:
        due_next = s.due is not None and start.date() <= s.due < end.date()
        carried = s.status != "done" and (s.quarter in ("", quarter) or (s.due is not None and s.due < start.date()))
        if s.quarter == nxt or due_next or carried:
            items.append(PlanItem(id=s.id, item=safe(s.item) or s.item, owner=s.owner,
                                  due_text=format_date(s.due) if s.due else "no due date set", status=s.status,
                                  quarter=s.quarter, source_ids=[f"plan:{plan.account.id}#success-plan"]))
    return items


def qbr_facts(plan: AccountPlan, tickets: list[Ticket], incidents: list[Incident], quarter: str, as_of: datetime,
              plans: list[AccountPlan] | None = None) -> QbrFacts:
    """The QBR facts for ``plan``'s account and ``quarter`` (pure).

    Args:
        tickets, incidents: records (other accounts' are ignored).
        as_of: the moment the QBR is prepared (days to renewal count from its UTC date).
    """
    account = plan.account.id
    tickets = [t for t in tickets if t.account_id == account]
    incidents = [i for i in incidents if i.account_id == account]
    banned = banned_terms(plan, plans or [])
    safe = lambda text: customer_safe(text, banned=banned)  # noqa: E731
    metrics = compute_quarter_metrics(plan, tickets, incidents, quarter)
    start, end = quarter_bounds(quarter)
    prev_start, _ = quarter_bounds(previous_quarter(quarter))
    current = tickets_in_quarter(tickets, quarter)
    risks = _risks(plan, safe)
    items = _success_plan(plan, quarter, safe)
    internal = lambda *texts: any(INTERNAL_TOPICS.search(t) for t in texts)  # noqa: E731
    return QbrFacts(
        account_id=account, account_name=plan.account.name, quarter=quarter,
        previous_quarter=previous_quarter(quarter), next_quarter=next_quarter(quarter),
        period_text=f"{format_date(start)} to {format_date(end - timedelta(days=1))}",
        as_of=as_of, as_of_text=format_date(as_of),
        value_delivered=_value(plan, quarter, safe),
        objectives=[Fact(value=o, source_ids=[f"plan:{account}#contract"]) for o in plan.objectives if safe(o)],
        metrics=metrics,
        kpis=qbr_kpis(plan, tickets, incidents, quarter, as_of),
        top_issues=_issues(current, incidents_in_quarter(incidents, quarter), safe),
        risks=[r for r in risks if not internal(r.title, r.mitigation)],
        internal_risks=[r for r in risks if internal(r.title, r.mitigation)],
        success_plan=[i for i in items if not internal(i.item)],
        internal_plan_items=[i for i in items if internal(i.item)],
        renewal_stage_shareable=not internal(plan.contract.renewal_stage),
        roadmap=[Fact(value=t, source_ids=[f"plan:{account}"]) for r in plan.roadmap if (t := safe(r))],
        renewal=renewal_context(plan, as_of),
        stakeholder_coverage=stakeholder_coverage(plan),
        churn_signals=churn_signals(plan, tickets, prev_start, end, metrics.tickets_opened,
                                    metrics.tickets_opened_previous),
    )


def build_qbr_facts(source: RecordSource, account_id: str, quarter: str, as_of: datetime | None = None) -> QbrFacts:
    plan = require(source.plan(account_id), "account", account_id, "`list accounts` shows the ids")
    return qbr_facts(plan, source.tickets(account_id), source.incidents(account_id), quarter,
                     as_of or utc_now(), source.plans())
