"""'Needs you today' on small hand-made records: each kind of item, what settles it, and the order."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from copilot.console.needs_today import needs_you_today
from copilot.records.models import AccountPlan, Comment, Incident, Ticket

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=timezone.utc)  # 2026Q4: the QBR due now reviews 2026Q3


def plan(renewal: date = date(2027, 9, 30), success_plan: list[dict] | None = None) -> AccountPlan:
    return AccountPlan.model_validate({
        "account": {"id": "northwind", "name": "Northwind Freight"},
        "contract": {"arr": 480000, "tier": "enterprise", "start_date": "2024-03-01",
                     "renewal_date": renewal.isoformat()},
        "sla": {"P1": {"first_response_minutes": 30, "update_cadence_minutes": 60},
                "P2": {"first_response_minutes": 120, "update_cadence_minutes": 240},
                "P3": {"first_response_minutes": 480, "update_cadence_minutes": 1440},
                "P4": {"first_response_minutes": 1440, "update_cadence_minutes": 4320}},
        "success_plan": success_plan or [],
    })


def ticket(tid: str, priority: str, minutes_ago: int, reply_minutes_ago: int | None = None) -> Ticket:
    comments = [] if reply_minutes_ago is None else [Comment(
        id=f"{tid}-c1", ticket_id=tid, author="Sam Agent", author_role="agent",
        created_at=NOW - timedelta(minutes=reply_minutes_ago), body="Looking.")]
    return Ticket(id=tid, account_id="northwind", source="zendesk", subject=tid, priority=priority, status="open",
                  created_at=NOW - timedelta(minutes=minutes_ago), comments=comments)


def incident(iid: str, priority: str = "P1", *, resolved_days_ago: float | None = None,
             last_update_minutes_ago: int | None = None, actions: list[dict] | None = None,
             source_file: str = "incidents/x.yaml", related: list[str] | None = None) -> Incident:
    started = NOW - timedelta(days=20)
    return Incident(id=iid, account_id="northwind", title=f"outage {iid}", priority=priority,
                    status="resolved" if resolved_days_ago is not None else "identified", started_at=started,
                    detected_at=started,
                    resolved_at=NOW - timedelta(days=resolved_days_ago) if resolved_days_ago is not None else None,
                    last_customer_update_at=(NOW - timedelta(minutes=last_update_minutes_ago)
                                             if last_update_minutes_ago is not None else None),
                    corrective_actions=actions or [], source_file=source_file, related_tickets=related or [])


def kinds(items) -> list[tuple[str, str]]:
    return [(i.kind, i.subject_id) for i in items]


def test_customer_updates_due_on_incidents_and_urgent_tickets_but_not_twice() -> None:
    items = needs_you_today(
        [plan()],
        [ticket("ZD-1", "P2", 100),  # P2 first response due in 20m: under a quarter of 120m left -> at risk
         ticket("ZD-2", "P1", 300, reply_minutes_ago=90),  # P1 update overdue by 30m
         ticket("ZD-3", "P3", 5000),  # P3 overdue: not a P1/P2, not on today's list
         ticket("ZD-4", "P1", 300, reply_minutes_ago=90)],  # covered by the open incident: its update is the item
        [incident("INC-1", last_update_minutes_ago=75, related=["ZD-4"])],  # P1 cadence 60m: overdue by 15m
        NOW, written={("qbr_narrative", "northwind:2026Q3")})
    updates = [i for i in items if i.kind == "customer_update"]
    assert kinds(updates) == [("customer_update", "ZD-2"), ("customer_update", "INC-1"), ("customer_update", "ZD-1")]
    by_id = {i.subject_id: i for i in updates}
    assert by_id["INC-1"].action == "update" and by_id["INC-1"].overdue and "overdue by 15m" in by_id["INC-1"].title
    assert by_id["ZD-2"].action == "brief" and by_id["ZD-2"].action_subject == "ZD-2" and by_id["ZD-2"].overdue
    assert not by_id["ZD-1"].overdue and by_id["ZD-1"].detail == "first response"
    assert by_id["ZD-1"].due_at == NOW + timedelta(minutes=20)
    assert all("ZD-3" != i.subject_id and "ZD-4" != i.subject_id for i in items)


def test_renewal_step_due_until_the_next_mark_and_overdue_after_the_renewal_date() -> None:
    # renewal in 100 days: the 120-day mark (value review done, executive alignment) was reached, the 90-day not
    item, = [i for i in needs_you_today([plan(NOW.date() + timedelta(days=100))], [], [], NOW)
             if i.kind == "renewal_step"]
    assert item.title == "Renewal 120-day step: executive alignment on the success plan"
    assert item.due_at.date() == NOW.date() + timedelta(days=10) and not item.overdue  # the 90-day mark
    assert (item.action, item.action_subject, item.quarter) == ("qbr", "northwind", "2026Q3")
    assert item.source_ids == ["plan:northwind#contract"]
    passed, = [i for i in needs_you_today([plan(NOW.date() - timedelta(days=3))], [], [], NOW)
               if i.kind == "renewal_step"]
    assert passed.overdue
    assert not [i for i in needs_you_today([plan(NOW.date() + timedelta(days=200))], [], [], NOW)
                if i.kind == "renewal_step"]  # the timeline starts at 180 days


def test_qbr_due_this_quarter_unless_written_and_on_the_success_plan_date() -> None:
    item, = [i for i in needs_you_today([plan()], [], [], NOW) if i.kind == "qbr"]
    assert (item.quarter, item.due_at.date(), item.overdue) == ("2026Q3", date(2026, 12, 31), False)
    assert not [i for i in needs_you_today([plan()], [], [], NOW, written={("qbr_narrative", "northwind:2026Q3")})
                if i.kind == "qbr"]
    scheduled = plan(success_plan=[{"id": "S2", "item": "QBR with the CTO", "owner": "Ann Lee", "due": "2026-11-10"}])
    item, = [i for i in needs_you_today([scheduled], [], [], NOW) if i.kind == "qbr"]
    assert item.due_at.date() == date(2026, 11, 10) and item.overdue
    assert item.source_ids == ["plan:northwind#success-plan"] and "S2" in item.detail


def test_pir_due_for_resolved_high_severity_incidents_without_one() -> None:
    incidents = [incident("INC-1", "P1", resolved_days_ago=7),  # due 5 days after resolution: overdue
                 incident("INC-2", "P2", resolved_days_ago=1),  # due in 4 days
                 incident("INC-3", "P3", resolved_days_ago=7),  # low severity: no PIR asked
                 incident("INC-4", "P1", resolved_days_ago=7),  # a PIR is in review
                 incident("INC-5", "P1", resolved_days_ago=7, source_file="postmortems/inc-5.md"),  # published report
                 incident("INC-6", "P1")]  # still open: no PIR yet
    items = [i for i in needs_you_today([plan()], [], incidents, NOW, written={("pir_timeline", "INC-4")})
             if i.kind == "pir"]
    assert kinds(items) == [("pir", "INC-1"), ("pir", "INC-2")]
    assert items[0].overdue and not items[1].overdue
    assert items[1].due_at == NOW - timedelta(days=1) + timedelta(days=5)
    assert all(i.action == "pir" and i.action_subject == i.subject_id for i in items)


def test_corrective_actions_past_due_and_the_order_overdue_first() -> None:
    actions = [{"id": "CA-1", "action": "Alert on pool use", "owner": "Chris Walker", "due": "2026-11-01",
                "status": "in_progress"},
               {"id": "CA-2", "action": "Done already", "owner": "Ann Lee", "due": "2026-10-01", "status": "done"},
               {"id": "CA-3", "action": "No date", "owner": "Ann Lee"},
               {"id": "CA-4", "action": "Due later", "owner": "Ann Lee", "due": "2026-12-01"}]
    items = needs_you_today([plan()], [], [incident("INC-1", "P3", resolved_days_ago=30, actions=actions)], NOW)
    past, = [i for i in items if i.kind == "corrective_action"]
    assert past.title == "INC-1 CA-1: Alert on pool use" and "owner Chris Walker" in past.detail
    assert past.overdue and (past.action, past.action_subject) == ("pir", "INC-1") and past.source_ids == ["INC-1"]
    flags = [i.overdue for i in items]
    assert flags == sorted(flags, reverse=True)  # overdue first
    assert [i.due_at for i in items if i.overdue] == sorted(i.due_at for i in items if i.overdue)


def test_records_after_today_are_not_seen() -> None:
    later = ticket("ZD-9", "P1", -600)  # opened ten hours after "today"
    assert not [i for i in needs_you_today([plan()], [later], [], NOW) if i.subject_id == "ZD-9"]
