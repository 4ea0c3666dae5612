"""Tiny hand-made record sets for the KPI tests: an account plan, tickets and incidents in memory."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from copilot.facts.kpis import AccountRecords
from copilot.records.models import (
    Account,
    AccountPlan,
    Comment,
    Contract,
    CorrectiveAction,
    Incident,
    RootCause,
    SlaPolicy,
    SlaTarget,
    SuccessPlanItem,
    Ticket,
)

__all__ = ["at", "incident", "plan", "records", "ticket"]


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=timezone.utc)


def plan(account: str = "acme", *, p3_response: int = 960, success_plan: list[SuccessPlanItem] | None = None,
         renewal: date = date(2027, 6, 30)) -> AccountPlan:
    return AccountPlan(
        account=Account(id=account, name=account.title()),
        contract=Contract(arr=100000, tier="enterprise", start_date=date(2025, 7, 1), renewal_date=renewal),
        sla=SlaPolicy(P1=SlaTarget(first_response_minutes=60, update_cadence_minutes=120),
                      P2=SlaTarget(first_response_minutes=240, update_cadence_minutes=480),
                      P3=SlaTarget(first_response_minutes=p3_response, update_cadence_minutes=2880),
                      P4=SlaTarget(first_response_minutes=2880, update_cadence_minutes=5760)),
        success_plan=success_plan or [])


def ticket(tid: str, priority: str, created: datetime, *, updates: tuple[int, ...] = (),
           resolved_after: int | None = None, root_cause: str = "", account: str = "acme",
           closing_note: str = "") -> Ticket:
    """A ticket with public agent updates ``updates`` minutes after ``created``; resolved
    ``resolved_after`` minutes after it (open when None); ``closing_note`` as a last agent reply."""
    comments = [Comment(id=f"{tid}-c{n}", ticket_id=tid, author="Maya", author_role="agent", public=True,
                        created_at=created + timedelta(minutes=m), body=f"Update {n}.") for n, m in enumerate(updates)]
    resolved = created + timedelta(minutes=resolved_after) if resolved_after is not None else None
    if closing_note:
        comments.append(Comment(id=f"{tid}-close", ticket_id=tid, author="Maya", author_role="agent", public=True,
                                created_at=resolved or created + timedelta(minutes=1), body=closing_note))
    return Ticket(id=tid, account_id=account, source="zendesk", subject=f"Ticket {tid}", priority=priority,
                  status="solved" if resolved else "open", created_at=created, resolved_at=resolved,
                  root_cause=root_cause, comments=comments)


def incident(iid: str, priority: str, started: datetime, *, engaged_after: int | None = None,
             mitigated_after: int | None = None, resolved_after: int | None = None,
             actions: list[tuple[str, date | None]] | None = None, source_file: str = "incident.yaml",
             account: str = "acme") -> Incident:
    """``actions``: ``(status, due)`` per corrective action."""
    plus = lambda m: started + timedelta(minutes=m) if m is not None else None  # noqa: E731
    return Incident(
        id=iid, account_id=account, title=f"Incident {iid}", priority=priority,
        status="resolved" if resolved_after is not None else "investigating", source_file=source_file,
        started_at=started, engaged_at=plus(engaged_after), mitigated_at=plus(mitigated_after),
        resolved_at=plus(resolved_after), root_cause=RootCause(status="unknown"),
        corrective_actions=[CorrectiveAction(id=f"CA-{n + 1}", action="Fix it", owner="Ines", due=due, status=status)
                            for n, (status, due) in enumerate(actions or [])])


def records(tickets: list[Ticket] = (), incidents: list[Incident] = (), *, account: str = "acme",
            pir_reviews: dict[str, str] | None = None, **plan_kw) -> AccountRecords:
    return AccountRecords(plan=plan(account, **plan_kw), tickets=list(tickets), incidents=list(incidents),
                          pir_reviews=pir_reviews or {})
