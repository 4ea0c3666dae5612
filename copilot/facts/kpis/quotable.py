"""The KPIs a customer-facing QBR may quote, and how a guardrail recomputes them.

Only KPIs that are about the customer's service and that the account's own records fully
determine: time to engage, mean time to mitigation (P1), MTTR (P1/P2) and the repeat incident
rate. Not quoted: SLA and cadence compliance (the QBR's metric lines already state them),
problem-management closure (it depends on the review queue, which the guardrails cannot see),
success-plan timeliness (the plan mixes in our internal items) and renewal risk (internal).
"""

from __future__ import annotations

from datetime import datetime, timezone

from copilot.facts.kpis.base import KpiFunction
from copilot.facts.kpis.engagement import time_to_engage
from copilot.facts.kpis.mitigation import mean_time_to_mitigation
from copilot.facts.kpis.model import AccountRecords, Kpi
from copilot.facts.kpis.repeats import repeat_incident_rate
from copilot.facts.kpis.resolution import mttr
from copilot.facts.kpis.view import seen_at
from copilot.records.models import AccountPlan, Incident, Ticket

__all__ = ["QBR_KPIS", "qbr_kpis"]

QBR_KPIS: list[KpiFunction] = [time_to_engage, mean_time_to_mitigation, mttr, repeat_incident_rate]


def qbr_kpis(plan: AccountPlan, tickets: list[Ticket], incidents: list[Incident], quarter: str,
             as_of: datetime | None) -> list[Kpi]:
    """The quotable KPIs of ``plan``'s account for ``quarter``, from the records as seen at
    ``as_of`` (all of them when None). Other accounts' records are ignored."""
    account = plan.account.id
    records = AccountRecords(plan=plan, tickets=[t for t in tickets if t.account_id == account],
                             incidents=[i for i in incidents if i.account_id == account])
    if as_of is not None:
        records = seen_at(records, as_of)
    moment = as_of or datetime.max.replace(tzinfo=timezone.utc)
    return [fn([records], quarter, moment) for fn in QBR_KPIS]
