"""SLA response compliance and update-cadence compliance.

SLA response compliance: of the tickets created in the quarter, the share whose first agent
response came within the account's ``sla.<priority>.first_response_minutes``; a ticket with
no response is a miss (the QBR's "First-response SLA compliance",
:func:`copilot.facts.metrics.first_response_outcomes`). No data: no ticket created.

Update-cadence compliance: of the P1/P2 tickets created in the quarter, the share whose
public agent updates never left a gap longer than ``sla.<priority>.update_cadence_minutes``
(:func:`copilot.facts.metrics.cadence_outcomes`). No data: no P1/P2 ticket created.

Both pool the tickets of every account given, each judged against its own account's SLA.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from copilot.facts.kpis.base import KpiSpec, empty_kpi, rate_kpi
from copilot.facts.kpis.model import AccountRecords, Kpi
from copilot.facts.metrics import TicketOutcome, cadence_outcomes, first_response_outcomes, tickets_in_quarter
from copilot.records.models import AccountPlan, Ticket

__all__ = ["SLA_RESPONSE", "UPDATE_CADENCE", "sla_response_compliance", "update_cadence_compliance"]

SLA_RESPONSE = KpiSpec("sla_response", "SLA response compliance", "percent", higher_is_better=True)
UPDATE_CADENCE = KpiSpec("update_cadence", "Update-cadence compliance (P1/P2)", "percent", higher_is_better=True)

Judge = Callable[[AccountPlan, list[Ticket]], list[TicketOutcome]]


def _outcomes(accounts: Sequence[AccountRecords], quarter: str, judge: Judge) -> list[TicketOutcome]:
    out: list[TicketOutcome] = []
    for a in accounts:
        out += judge(a.plan, tickets_in_quarter([t for t in a.tickets if t.account_id == a.account_id], quarter))
    return out


def _notes(outcomes: list[TicketOutcome], what: str) -> list[str]:
    return [f"{o.ticket_id} ({o.priority}): " + (f"no {what}" if o.minutes is None else
                                                 f"{o.minutes} min against a {o.target_minutes} min target")
            for o in outcomes if not o.met]


def sla_response_compliance(accounts: Sequence[AccountRecords], quarter: str, as_of: datetime) -> Kpi:
    outcomes = _outcomes(accounts, quarter, first_response_outcomes)
    if not outcomes:
        return empty_kpi(SLA_RESPONSE, quarter, "no_data", f"no ticket created in {quarter}")
    return rate_kpi(SLA_RESPONSE, quarter, [o.ticket_id for o in outcomes if o.met], [o.ticket_id for o in outcomes],
                    _notes(outcomes, "agent response"))


def update_cadence_compliance(accounts: Sequence[AccountRecords], quarter: str, as_of: datetime) -> Kpi:
    outcomes = _outcomes(accounts, quarter, cadence_outcomes)
    if not outcomes:
        return empty_kpi(UPDATE_CADENCE, quarter, "no_data", f"no P1/P2 ticket created in {quarter}")
    return rate_kpi(UPDATE_CADENCE, quarter, [o.ticket_id for o in outcomes if o.met],
                    [o.ticket_id for o in outcomes], _notes(outcomes, "public agent update"))
