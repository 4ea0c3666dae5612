"""'Needs you today': the short list across the portfolio of what a TAM owes someone.

Five kinds of item, each with the one-click draft that answers it:

| kind | when | action |
|---|---|---|
| ``customer_update`` | an open incident's customer-update clock is breached or at risk | ``update`` (incident) |
| ``customer_update`` | an open P1/P2 ticket's SLA clock (first response or next update) is breached or at risk, and no open incident covers it | ``brief`` (ticket) |
| ``renewal_step`` | the account is inside its renewal timeline: the step in force is due by the next mark | ``qbr`` (last complete quarter: the value review the step needs) |
| ``qbr`` | no QBR for the last complete quarter is in review or approved; due by the end of this quarter (or by a success-plan item that names a QBR this quarter) | ``qbr`` |
| ``pir`` | a resolved P1/P2 incident has no PIR in review or approved, and did not come from a published post-incident report; due ``PIR_DUE`` after resolution | ``pir`` |
| ``corrective_action`` | an incident's corrective action is not done and its due date has passed | ``pir`` (the PIR lists the actions) |

Order: overdue items first, customer updates before the rest (a customer is waiting), then by
severity and by how long overdue; then the items still due, soonest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from copilot.console.portfolio import clocks_at_risk, overdue_actions, renewal_step_due
from copilot.facts.common import format_date, previous_quarter, quarter_bounds, quarter_of
from copilot.records.models import AccountPlan, Incident, Ticket, ensure_utc

__all__ = ["PIR_DUE", "Action", "TodayItem", "Written", "needs_you_today"]

PIR_DUE = timedelta(days=5)
"""A PIR is due this long after the incident is resolved."""
PIR_PRIORITIES = ("P1", "P2")
"""The severities whose incidents need a PIR ("high severity")."""
_QBR_WORDS = re.compile(r"\b(QBR|quarterly business review|business review)\b", re.IGNORECASE)
_REPORT_SUFFIXES = (".md", ".markdown")
KIND_ORDER = {"customer_update": 0, "corrective_action": 1, "pir": 2, "renewal_step": 3, "qbr": 4}
"""Among overdue items: what comes first."""

Action = Literal["update", "brief", "pir", "qbr"]
Written = set[tuple[str, str]]
"""``(draft kind, subject id)`` of drafts in review or approved (QBR subjects are ``account:quarter``)."""


class TodayItem(BaseModel):
    """One thing the TAM owes today, and the draft that answers it."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["customer_update", "renewal_step", "qbr", "pir", "corrective_action"]
    account_id: str
    account_name: str
    subject_id: str  # the incident, ticket or account the item is about
    priority: str = ""  # P1-P4 of the ticket or incident ("" for account items)
    title: str
    detail: str
    due_at: datetime
    overdue: bool
    action: Action
    action_subject: str  # incident id (update, pir), ticket id (brief), account id (qbr)
    quarter: str | None = None  # for action qbr
    source_ids: list[str] = Field(default_factory=list)


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59), tzinfo=timezone.utc)


def _updates(plan: AccountPlan, tickets: list[Ticket], incidents: list[Incident], as_of: datetime) -> list[TodayItem]:
    open_incidents = [i for i in incidents if i.status != "resolved"]
    covered = {t for i in open_incidents for t in i.related_tickets}
    urgent = [t for t in tickets if t.priority in ("P1", "P2") and t.id not in covered]
    out = []
    for c in clocks_at_risk(plan, urgent, open_incidents, as_of):
        incident = c.kind == "incident"
        out.append(TodayItem(
            kind="customer_update", account_id=plan.account.id, account_name=plan.account.name,
            subject_id=c.subject_id, priority=c.priority, title=f"{c.priority} {c.subject_id}: {c.clock.reason}",
            detail=("customer update on the incident" if incident else
                    "first response" if c.clock.clock == "first_response" else "customer update on the ticket"),
            due_at=c.clock.due_at, overdue=c.clock.risk == "breached", action="update" if incident else "brief",
            action_subject=c.subject_id, source_ids=[c.subject_id, f"plan:{plan.account.id}"]))
    return out


def _renewal(plan: AccountPlan, as_of: datetime) -> list[TodayItem]:
    step = renewal_step_due(plan, as_of)
    if step is None:
        return []
    quarter = previous_quarter(quarter_of(as_of))
    return [TodayItem(
        kind="renewal_step", account_id=plan.account.id, account_name=plan.account.name, subject_id=plan.account.id,
        title=f"Renewal {step.days_before}-day step: {step.activity}",
        detail=(f"renewal {format_date(plan.contract.renewal_date)}; step started {format_date(step.mark)}, "
                f"due by {format_date(step.due_by)}"),
        due_at=_end_of(step.due_by), overdue=step.status == "overdue" or step.due_by < as_of.date(),
        action="qbr", action_subject=plan.account.id, quarter=quarter, source_ids=step.source_ids)]


def _qbr(plan: AccountPlan, as_of: datetime, written: Written) -> list[TodayItem]:
    current = quarter_of(as_of)
    reviewed = previous_quarter(current)
    if ("qbr_narrative", f"{plan.account.id}:{reviewed}") in written:
        return []
    start, end = quarter_bounds(current)
    scheduled = [s for s in plan.success_plan if s.status != "done" and s.due and _QBR_WORDS.search(s.item)
                 and start.date() <= s.due < end.date()]
    due = min((s.due for s in scheduled if s.due), default=(end - timedelta(days=1)).date())
    sources = [f"plan:{plan.account.id}#success-plan"] if scheduled else [f"plan:{plan.account.id}#contract"]
    why = (f"success-plan item {scheduled[0].id} ({scheduled[0].item}) is due {format_date(due)}" if scheduled
           else f"no {reviewed} QBR in review or approved; due by the end of {current}")
    return [TodayItem(kind="qbr", account_id=plan.account.id, account_name=plan.account.name,
                      subject_id=plan.account.id, title=f"{reviewed} QBR", detail=why, due_at=_end_of(due),
                      overdue=due < as_of.date(), action="qbr", action_subject=plan.account.id, quarter=reviewed,
                      source_ids=sources)]


def _pirs(plan: AccountPlan, incidents: list[Incident], as_of: datetime, written: Written) -> list[TodayItem]:
    out = []
    for i in incidents:
        if (i.status != "resolved" or i.priority not in PIR_PRIORITIES or ("pir_timeline", i.id) in written
                or i.source_file.lower().endswith(_REPORT_SUFFIXES)):
            continue
        resolved = i.resolved_at or i.started_at
        due = resolved + PIR_DUE
        out.append(TodayItem(
            kind="pir", account_id=plan.account.id, account_name=plan.account.name, subject_id=i.id, priority=i.priority,
            title=f"{i.priority} {i.id}: PIR not written", detail=f"{i.title}; resolved {format_date(resolved)}",
            due_at=due, overdue=due < as_of, action="pir", action_subject=i.id, source_ids=[i.id]))
    return out


def _actions(plan: AccountPlan, incidents: list[Incident], as_of: datetime) -> list[TodayItem]:
    return [TodayItem(
        kind="corrective_action", account_id=plan.account.id, account_name=plan.account.name, subject_id=i.id,
        priority=i.priority,
        title=f"{i.id} {a.id}: {a.action}", detail=f"owner {a.owner or 'not named'}; {a.status}; due {format_date(a.due)}",
        due_at=_end_of(a.due), overdue=True, action="pir", action_subject=i.id, source_ids=[i.id])  # type: ignore[arg-type]
        for i, a in overdue_actions(incidents, as_of.date())]


def needs_you_today(plans: Iterable[AccountPlan], tickets: list[Ticket], incidents: list[Incident], as_of: datetime,
                    written: Written | None = None) -> list[TodayItem]:
    """What needs the TAM at ``as_of`` across ``plans``' accounts (see the module docstring for the rules).

    Args:
        written: drafts already in review or approved, which settle QBR and PIR items.
    """
    as_of, written = ensure_utc(as_of), written or set()
    out: list[TodayItem] = []
    for plan in plans:
        account = plan.account.id
        mine_t = [t for t in tickets if t.account_id == account and t.created_at <= as_of]
        mine_i = [i for i in incidents if i.account_id == account and i.started_at <= as_of]
        out += _updates(plan, mine_t, mine_i, as_of) + _renewal(plan, as_of) + _qbr(plan, as_of, written)
        out += _pirs(plan, mine_i, as_of, written) + _actions(plan, mine_i, as_of)
    out.sort(key=_order)
    return out


def _order(item: TodayItem) -> tuple:
    if item.overdue:
        return (0, KIND_ORDER[item.kind], item.priority or "P9", item.due_at, item.account_id, item.subject_id)
    return (1, 0, "", item.due_at, item.account_id, item.subject_id)
