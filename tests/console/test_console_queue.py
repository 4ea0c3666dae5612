"""The escalation queue orders open tickets by severity, then SLA risk; incident update clocks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from copilot.console.sla_queue import format_minutes, incident_update_clock, rank_open_tickets, sla_clock
from copilot.records.models import AccountPlan, Comment, Incident, Ticket

NOW = datetime(2026, 4, 12, 12, 0, tzinfo=timezone.utc)

PLAN = AccountPlan.model_validate({
    "account": {"id": "northwind", "name": "Northwind Freight"},
    "contract": {"arr": 480000, "tier": "enterprise", "start_date": "2024-03-01", "renewal_date": "2027-02-28"},
    "sla": {
        "P1": {"first_response_minutes": 30, "update_cadence_minutes": 60},
        "P2": {"first_response_minutes": 120, "update_cadence_minutes": 240},
        "P3": {"first_response_minutes": 480, "update_cadence_minutes": 1440},
        "P4": {"first_response_minutes": 1440, "update_cadence_minutes": 4320},
    },
})


def ticket(tid: str, priority: str, created_minutes_ago: int, *, status: str = "open", account: str = "northwind",
           agent_reply_minutes_ago: int | None = None) -> Ticket:
    created = NOW - timedelta(minutes=created_minutes_ago)
    comments = []
    if agent_reply_minutes_ago is not None:
        comments.append(Comment(id=f"{tid}-c1", ticket_id=tid, author="Sam", author_role="agent", public=True,
                                created_at=NOW - timedelta(minutes=agent_reply_minutes_ago), body="Looking into it."))
    return Ticket(id=tid, account_id=account, source="zendesk", subject=f"subject {tid}", priority=priority,
                  status=status, created_at=created, comments=comments)


def test_priority_first_then_minutes_left_then_age() -> None:
    tickets = [
        ticket("ZD-4", "P2", 600, agent_reply_minutes_ago=300),  # P2 update overdue by 60m
        ticket("ZD-1", "P1", 25),  # P1 first response due in 5m: under a quarter of the window left
        ticket("ZD-2", "P1", 45),  # P1 first response overdue by 15m
        ticket("ZD-3", "P1", 200, agent_reply_minutes_ago=10),  # P1 update due in 50m
        ticket("ZD-5", "P3", 10_000),  # P3 long overdue, still after every P1/P2
        ticket("ZD-6", "P1", 5, status="solved"),  # closed: not in the queue
        ticket("OTHER-1", "P1", 500, account="contoso"),  # another account: never in this queue
    ]
    queue = rank_open_tickets(PLAN, tickets, NOW)
    assert [e.id for e in queue] == ["ZD-2", "ZD-1", "ZD-3", "ZD-4", "ZD-5"]
    assert [e.rank for e in queue] == [1, 2, 3, 4, 5]
    assert [e.risk for e in queue] == ["breached", "at_risk", "ok", "breached", "breached"]
    assert queue[0].sla.clock == "first_response" and queue[0].sla.minutes_left == -15
    assert queue[2].sla.clock == "update" and queue[2].sla.minutes_left == 50
    assert "overdue by 15m" in queue[0].sla.reason


def test_equal_clocks_fall_back_to_age_then_id() -> None:
    tickets = [ticket("ZD-9", "P2", 30), ticket("ZD-8", "P2", 30), ticket("ZD-7", "P2", 60)]
    queue = rank_open_tickets(PLAN, tickets, NOW)
    assert [e.id for e in queue] == ["ZD-7", "ZD-8", "ZD-9"]


def test_closed_ticket_has_no_clock_and_pending_counts_as_open() -> None:
    assert sla_clock(PLAN, ticket("ZD-1", "P1", 5, status="closed"), NOW) is None
    assert sla_clock(PLAN, ticket("ZD-1", "P1", 5, status="pending"), NOW) is not None


def test_naive_as_of_is_refused() -> None:
    with pytest.raises(ValueError):
        rank_open_tickets(PLAN, [ticket("ZD-1", "P1", 5)], datetime(2026, 4, 12, 12, 0))


def test_format_minutes() -> None:
    assert format_minutes(45) == "45m"
    assert format_minutes(-135) == "2h 15m"
    assert format_minutes(3000) == "2d 2h 00m"  # the one duration format drafts use too


def test_incident_update_clock_runs_from_last_customer_update() -> None:
    incident = Incident(id="INC-2026-0412", account_id="northwind", title="Label API 504s", priority="P1",
                        status="identified", started_at=NOW - timedelta(hours=3),
                        detected_at=NOW - timedelta(hours=2, minutes=50),
                        last_customer_update_at=NOW - timedelta(minutes=40))
    clock = incident_update_clock(PLAN, incident, NOW)
    assert clock.due_at == NOW + timedelta(minutes=20)
    assert clock.risk == "ok" and clock.minutes_left == 20
    late = incident_update_clock(PLAN, incident, NOW + timedelta(minutes=50))
    assert late.risk == "breached" and "overdue by 30m" in late.reason
    assert incident_update_clock(PLAN, incident.model_copy(update={"status": "resolved"}), NOW) is None
