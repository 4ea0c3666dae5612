"""The risk register: plan risks, churn signals and incident follow-ups, each cited; CSV and Markdown export."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

from test_needs_today import incident, plan

from copilot.console.risk_register import COLUMNS, register_csv, register_markdown, risk_register
from copilot.records.models import AccountPlan, Comment, Ticket

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=timezone.utc)


def account() -> AccountPlan:
    data = plan().model_dump(mode="json")
    data["risks"] = [{"id": "R1", "title": "Repeat label outages | erode trust", "likelihood": "medium",
                      "impact": "high", "mitigation": "Monthly reliability review", "owner": "Priya Shah",
                      "status": "mitigating"},
                     {"id": "R2", "title": "Minor docs gap", "likelihood": "low", "impact": "low", "owner": "Ann Lee"}]
    data["stakeholders"] = [
        {"name": "Marcus Bell", "title": "Director of Operations", "seniority": "director", "buying_role": "champion",
         "status": "left", "left_on": "2026-09-30"},
        {"name": "Priya Shah", "title": "Technical Account Manager", "internal": True},
    ]
    return AccountPlan.model_validate(data)


def competitor_ticket() -> Ticket:
    created = NOW - timedelta(days=10)
    return Ticket(id="ZD-7", account_id="northwind", source="zendesk", subject="Export question", priority="P3",
                  status="open", created_at=created, comments=[Comment(
                      id="ZD-7-c2", ticket_id="ZD-7", author="Karen Liu", author_role="customer", created_at=created,
                      body="We are evaluating other vendors for next year.")])


def entries():
    actions = [{"id": "CA-1", "action": "Alert on pool use", "owner": "Chris Walker", "due": "2026-11-01",
                "status": "in_progress"},
               {"id": "CA-2", "action": "Shipped", "owner": "Ann Lee", "due": "2026-10-01", "status": "done"},
               {"id": "CA-3", "action": "=SUM(1,2) runbook update", "owner": "Ann Lee", "due": "2026-12-01"}]
    inc = incident("INC-1", "P1", resolved_days_ago=9, actions=actions)
    inc.root_cause.status = "unconfirmed"
    return risk_register([account()], [competitor_ticket()], [inc], NOW)


def test_register_draws_on_plan_risks_churn_signals_and_incident_follow_ups() -> None:
    by_id = {e.id: e for e in entries()}
    assert set(by_id) == {"northwind:R1", "northwind:R2", "northwind:churn:champion_left",
                          "northwind:churn:competitor_mention", "INC-1:CA-1", "INC-1:CA-3", "INC-1:root-cause"}
    r1 = by_id["northwind:R1"]
    assert (r1.owner, r1.mitigation, r1.status, r1.severity) == ("Priya Shah", "Monthly reliability review",
                                                                  "mitigating", "high")
    assert r1.evidence == ["plan:northwind#risks"] and by_id["northwind:R2"].severity == "low"
    champion = by_id["northwind:churn:champion_left"]
    assert "Marcus Bell" in champion.risk and champion.evidence == ["plan:northwind#stakeholders"]
    assert champion.owner == "Priya Shah" and champion.mitigation  # the account's TAM owns churn risks
    assert by_id["northwind:churn:competitor_mention"].evidence == ["ZD-7-c2"]
    late = by_id["INC-1:CA-1"]
    assert (late.status, late.owner, late.due, late.evidence) == ("overdue", "Chris Walker", date(2026, 11, 1),
                                                                  ["INC-1"])
    assert by_id["INC-1:CA-3"].status == "open" and by_id["INC-1:root-cause"].severity == "high"
    assert next(iter(by_id)) == "INC-1:CA-1"  # overdue first


def test_csv_export_round_trips_and_keeps_record_text_from_running_as_a_formula() -> None:
    rows = list(csv.DictReader(io.StringIO(register_csv(entries()))))
    assert list(rows[0]) == COLUMNS and len(rows) == 7
    late = next(r for r in rows if r["id"] == "INC-1:CA-1")
    assert (late["due"], late["status"], late["owner"], late["evidence"]) == ("2026-11-01", "overdue", "Chris Walker",
                                                                             "INC-1")
    competitor = next(r for r in rows if r["id"] == "northwind:churn:competitor_mention")
    assert "evaluating other vendors" in competitor["risk"]
    assert next(r for r in rows if r["id"] == "INC-1:CA-3")["mitigation"] == "'=SUM(1,2) runbook update"
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())


def test_markdown_export_is_one_table_whose_cells_cannot_break_it() -> None:
    text = register_markdown(entries(), title="Risk register: northwind")
    lines = text.splitlines()
    assert lines[0] == "# Risk register: northwind"
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 2 + 7
    assert all(line.count("|") - line.count("\\|") == len(COLUMNS) + 1 for line in table)
    assert "Repeat label outages \\| erode trust" in text
    assert "| — |" in register_markdown([])  # an empty register still says so
