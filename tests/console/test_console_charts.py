"""Chart rows for the QBR page use the QBR metrics' definitions, month by month."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from test_console_queue import PLAN

from copilot.console.charts import account_chart_data, available_quarters, default_quarter, shift_quarter
from copilot.facts.metrics import compute_quarter_metrics
from copilot.records.models import Ticket


def t(tid: str, priority: str, created: str, *, responded_after: int | None = None,
      resolved_after: int | None = None, account: str = "northwind") -> Ticket:
    at = datetime.fromisoformat(created).replace(tzinfo=timezone.utc)
    return Ticket(id=tid, account_id=account, source="zendesk", subject=tid, priority=priority,
                  status="solved" if resolved_after is not None else "open", created_at=at,
                  first_response_at=at + timedelta(minutes=responded_after) if responded_after is not None else None,
                  resolved_at=at + timedelta(minutes=resolved_after) if resolved_after is not None else None)


TICKETS = [
    t("ZD-1", "P1", "2026-07-03T10:00", responded_after=20, resolved_after=120),  # met, 2h
    t("ZD-2", "P1", "2026-07-20T10:00", responded_after=45, resolved_after=240),  # missed, 4h
    t("ZD-3", "P2", "2026-08-05T10:00", responded_after=60),  # met, open
    t("ZD-4", "P3", "2026-09-30T23:59", resolved_after=600),  # never responded: missed
    t("ZD-5", "P2", "2026-04-15T08:00", responded_after=10, resolved_after=60),  # previous quarter
    t("ZD-6", "P1", "2026-10-01T00:00", responded_after=10),  # next quarter: not shown
    t("XX-1", "P1", "2026-07-03T10:00", responded_after=500, account="contoso"),  # other account: ignored
]


def test_monthly_rows_follow_metric_definitions() -> None:
    data = account_chart_data(PLAN, TICKETS, "2026Q3", quarters=2)
    assert data.months == ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]
    severity = {(r["month"], r["priority"]): r["tickets"] for r in data.severity}
    assert severity[("2026-07", "P1")] == 2 and severity[("2026-08", "P2")] == 1 and severity[("2026-09", "P3")] == 1
    assert severity[("2026-04", "P2")] == 1 and sum(severity.values()) == 5
    sla = {r["month"]: r for r in data.sla}
    assert (sla["2026-07"]["met"], sla["2026-07"]["total"], sla["2026-07"]["compliance_pct"]) == (1, 2, 50.0)
    assert sla["2026-09"]["compliance_pct"] == 0.0  # no response at all is a breach
    assert sla["2026-05"]["compliance_pct"] is None  # no tickets: no point, not 0%
    mttr = {(r["month"], r["priority"]): r["mttr_hours"] for r in data.mttr}
    assert mttr[("2026-07", "P1")] == 3.0 and mttr[("2026-08", "P2")] is None


def test_quarter_rows_equal_the_qbr_metrics() -> None:
    data = account_chart_data(PLAN, TICKETS, "2026Q3", quarters=2)
    assert [r["quarter"] for r in data.quarters] == ["2026Q2", "2026Q3"]
    metrics = compute_quarter_metrics(PLAN, TICKETS, [], "2026Q3")
    q3 = data.quarters[-1]
    assert q3["tickets"] == metrics.tickets_opened == 4
    assert q3["first_response"] == metrics.first_response_percent
    assert q3["mttr_p1_hours"] == metrics.mttr_minutes["P1"] / 60


def test_quarters_helpers() -> None:
    assert shift_quarter("2026Q1", -1) == "2025Q4" and shift_quarter("2025Q4", 2) == "2026Q2"
    assert available_quarters(TICKETS)[:2] == ["2026Q4", "2026Q3"]


def test_default_quarter_is_the_latest_complete_one() -> None:
    quarters = ["2026Q4", "2026Q3", "2026Q1"]
    assert default_quarter(quarters, datetime(2026, 11, 23, tzinfo=timezone.utc)) == "2026Q3"
    assert default_quarter(["2026Q4"], datetime(2026, 11, 23, tzinfo=timezone.utc)) == "2026Q4"
    assert default_quarter([], datetime(2026, 11, 23, tzinfo=timezone.utc)) is None
