"""Small hand-made records for unit tests of the pure fact builders (no store, no index)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from copilot.records.models import (
    Account,
    AccountPlan,
    Comment,
    Contact,
    Contract,
    CorrectiveAction,
    Incident,
    IncidentEvent,
    Risk,
    RootCause,
    Runbook,
    RunbookSection,
    SevDefinition,
    SlaPolicy,
    SlaTarget,
    SuccessPlanItem,
    Ticket,
    ValueEntry,
)

__all__ = ["at", "comment", "incident", "plan", "runbook", "ticket"]


def at(text: str) -> datetime:
    """``"2026-07-01 09:00"`` -> aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def plan(account_id: str = "acme", **overrides) -> AccountPlan:
    values = dict(
        account=Account(id=account_id, name="Acme Logistics", aliases=["Acme"], email_domains=["acme.example"]),
        contract=Contract(arr=480000, tier="enterprise", start_date=date(2024, 3, 1),
                          renewal_date=date(2027, 2, 28), renewal_stage="value review scheduled"),
        sla=SlaPolicy(P1=SlaTarget(first_response_minutes=30, update_cadence_minutes=60),
                      P2=SlaTarget(first_response_minutes=120, update_cadence_minutes=240),
                      P3=SlaTarget(first_response_minutes=480, update_cadence_minutes=1440),
                      P4=SlaTarget(first_response_minutes=1440, update_cadence_minutes=4320)),
        severity_policy=[
            SevDefinition(priority="P1", definition="Production down for all users", keywords=["outage", "down"]),
            SevDefinition(priority="P2", definition="Major function degraded", keywords=["degraded", "timeout"]),
            SevDefinition(priority="P3", definition="Minor function impaired", keywords=[]),
            SevDefinition(priority="P4", definition="Question", keywords=[]),
        ],
        stakeholders=[
            Contact(name="Dana Reyes", title="VP Engineering", email="dana@acme.example", function="engineering",
                    seniority="executive", buying_role="economic_buyer"),
            Contact(name="Lee Park", title="Ops Lead", function="operations", seniority="manager",
                    buying_role="champion", status="left", left_on=date(2026, 8, 1)),
            Contact(name="Sam Okafor", title="TAM", email="sam@ourco.example", internal=True),
        ],
        objectives=["Cut label latency below 300 ms p95"],
        value_realization=[ValueEntry(id="V1", outcome="Label API p95 latency cut from 900 ms to 280 ms",
                                      metric="p95 latency", baseline="900 ms", current="280 ms",
                                      achieved_on=date(2026, 8, 14))],
        risks=[Risk(id="R1", title="Champion left", likelihood="high", impact="high",
                    mitigation="Build a new champion in operations", owner="Sam Okafor")],
        success_plan=[SuccessPlanItem(id="S1", item="Migrate to 5.x", owner="Dana Reyes", due=date(2026, 12, 15),
                                      status="in_progress", quarter="2026Q4")],
        roadmap=["Regional failover (planned, no date committed)"],
        internal_codenames=["Bluejay"],
    )
    values.update(overrides)
    return AccountPlan(**values)


def comment(ticket_id: str, n: int, when: str, body: str, role: str = "agent", public: bool = True,
            author: str = "Sam Okafor") -> Comment:
    return Comment(id=f"{ticket_id}-c{n}", ticket_id=ticket_id, author=author, author_role=role, public=public,
                   created_at=at(when), body=body)


def ticket(tid: str, created: str, priority: str = "P3", *, resolved: str | None = None, comments=(),
           account_id: str = "acme", **fields) -> Ticket:
    comments = list(comments)
    firsts = [c.created_at for c in comments if c.public and c.author_role == "agent"]
    return Ticket(id=tid, account_id=account_id, source="zendesk", subject=fields.pop("subject", f"Issue {tid}"),
                  description=fields.pop("description", ""), priority=priority,
                  status=fields.pop("status", "solved" if resolved else "open"), created_at=at(created),
                  resolved_at=at(resolved) if resolved else None, first_response_at=min(firsts) if firsts else None,
                  comments=comments, **fields)


def incident(iid: str = "INC-2026-0412", **overrides) -> Incident:
    values = dict(
        id=iid, account_id="acme", title="Label API returning 504 in eu-west-1", priority="P1", status="resolved",
        customer_impact="Label creation failed for all warehouses.", workaround="Retry label creation.",
        started_at=at("2026-08-12 08:52"), detected_at=at("2026-08-12 09:05"), engaged_at=at("2026-08-12 09:20"),
        mitigated_at=at("2026-08-12 11:10"), resolved_at=at("2026-08-12 13:45"),
        related_tickets=["ZD-1"],
        root_cause=RootCause(status="confirmed", summary="A connection pool limit was too low after the upgrade.",
                             source=f"{iid}:status:1"),
        contributing_factors=["No alert on pool saturation", "Bluejay rollout happened the same day"],
        corrective_actions=[CorrectiveAction(id="CA-1", action="Raise the pool limit", owner="Sam Okafor",
                                             due=date(2026, 9, 15), status="done")],
        events=[
            IncidentEvent(id=f"{iid}:milestone:impact_start", incident_id=iid, at=at("2026-08-12 08:52"),
                          kind="milestone", milestone="impact_start", text="Customer impact started", source_id=iid),
            IncidentEvent(id=f"{iid}:milestone:detected", incident_id=iid, at=at("2026-08-12 09:05"),
                          kind="milestone", milestone="detected", text="Issue detected", source_id=iid),
            IncidentEvent(id=f"{iid}:status:0", incident_id=iid, at=at("2026-08-12 09:30"), kind="status",
                          text="Investigating elevated 504 errors on label creation.", source_id=iid),
            IncidentEvent(id=f"{iid}:status:1", incident_id=iid, at=at("2026-08-12 10:40"), kind="status",
                          text="Identified: connection pool exhausted on lb-prod-3.internal.", source_id=iid),
            IncidentEvent(id="slack:inc-acme:1786500000.000100", incident_id=iid, at=at("2026-08-12 09:10"),
                          kind="message", author="Sam Okafor", text="Seeing 504s from the label API. Paging SRE.",
                          source_id="slack:inc-acme:1786500000.000100"),
        ],
    )
    values.update(overrides)
    return Incident(**values)


def runbook() -> Runbook:
    return Runbook(id="RB-label-api-504", title="Label API 504s", component="label-api", sections=[
        RunbookSection(heading="Symptoms", text="Clients see 504 Gateway Timeout."),
        RunbookSection(heading="Diagnosis", text="- Check the gateway error rate\n- Check connection pool usage"),
    ])
