"""Technical renewal risk: a 0-100 score of the technical reasons a renewal could be at risk.

Definition (one account, one quarter; "the cutoff" is the quarter's end or ``as_of``,
whichever is first). Points per factor, each capped, summed and capped at 100:

=====================================  ===============================  =====
factor                                 points                           cap
=====================================  ===============================  =====
P1/P2 incidents started in the quarter 10 each                          30
SLA response compliance below 90%      15                               15
Update-cadence compliance below 90%    10                               10
repeat tickets (same root cause)       10 each                          20
overdue corrective actions             5 each (due before the cutoff,   15
                                       not done; any incident so far)
open P1/P2 tickets at the cutoff       5 each                           15
=====================================  ===============================  =====

Level: high at 50 or more, medium at 25 or more, else low. Each factor is a ``KpiPart``
citing its records. Commercial signals (renewal date, champion changes) are not in the
score: the renewal timeline and churn signals show those.

Portfolio: the mean of the accounts' scores (accounts with no data left out), with one part
per account. No data: the account has no ticket or incident in the quarter, no open P1/P2
ticket and no overdue corrective action at the cutoff.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from copilot.facts.kpis.base import HIGH_SEVERITY, KpiSpec, cutoff, empty_kpi, quarter_incidents, quarter_tickets
from copilot.facts.kpis.model import AccountRecords, Kpi, KpiPart
from copilot.facts.kpis.repeats import repeats_of
from copilot.facts.kpis.sla import sla_response_compliance, update_cadence_compliance

__all__ = ["RENEWAL_RISK", "risk_level", "technical_renewal_risk"]

RENEWAL_RISK = KpiSpec("renewal_risk", "Technical renewal risk", "score", higher_is_better=False)
BELOW = 90.0  # compliance below this percentage adds points


def risk_level(score: float) -> str:
    return "high" if score >= 50 else "medium" if score >= 25 else "low"


def _part(label: str, ids: list[str], each: float, cap: float) -> KpiPart | None:
    if not ids:
        return None
    points = min(cap, each * len(ids))
    return KpiPart(label=label, text=f"{len(ids)}: {', '.join(ids)}", points=points, source_ids=ids)


def _factors(a: AccountRecords, quarter: str, as_of: datetime) -> list[KpiPart | None]:
    end = cutoff(quarter, as_of)
    incidents = [i.id for i in quarter_incidents([a], quarter) if i.priority in HIGH_SEVERITY]
    overdue = [f"{i.id}#{c.id}" for i in a.incidents if i.started_at < end
               for c in i.corrective_actions if c.due is not None and c.due < end.date() and c.status != "done"]
    open_high = [t.id for t in a.tickets if t.priority in HIGH_SEVERITY and t.created_at < end
                 and (t.resolved_at is None or t.resolved_at >= end)]
    out = [_part("P1/P2 incidents", incidents, 10, 30)]
    for kpi, points in ((sla_response_compliance([a], quarter, as_of), 15),
                        (update_cadence_compliance([a], quarter, as_of), 10)):
        if kpi.value is not None and kpi.value < BELOW:
            out.append(KpiPart(label=f"{kpi.label} below {BELOW:g}%", text=kpi.text, points=points,
                               source_ids=kpi.source_ids))
    out.append(_part("Repeat root causes", sorted(repeats_of(a, quarter)[2]), 10, 20))
    out.append(_part("Overdue corrective actions", overdue, 5, 15))
    out.append(_part("Open P1/P2 tickets at the cutoff", open_high, 5, 15))
    return out


def _account_risk(a: AccountRecords, quarter: str, as_of: datetime) -> Kpi:
    parts = [p for p in _factors(a, quarter, as_of) if p is not None]
    if not parts and not quarter_tickets([a], quarter) and not quarter_incidents([a], quarter):
        return empty_kpi(RENEWAL_RISK, quarter, "no_data",
                         f"no ticket or incident in {quarter} and no open P1/P2 work at its cutoff")
    score = min(100.0, sum(p.points or 0 for p in parts))
    level = risk_level(score)
    why = "; ".join(f"{p.label} +{p.points:g}" for p in parts) or "no risk factor found"
    return Kpi(**RENEWAL_RISK.head(quarter), status="ok", value=score, level=level,
               text=f"{score:g} ({level}): {why}", parts=parts,
               source_ids=sorted({s for p in parts for s in p.source_ids}))


def technical_renewal_risk(accounts: Sequence[AccountRecords], quarter: str, as_of: datetime) -> Kpi:
    if len(accounts) == 1:
        return _account_risk(accounts[0], quarter, as_of)
    scored = [(a, _account_risk(a, quarter, as_of)) for a in accounts]
    ok = [(a, k) for a, k in scored if k.value is not None]
    notes = [f"{a.account_id}: {k.reason}" for a, k in scored if k.value is None]
    if not ok:
        return empty_kpi(RENEWAL_RISK, quarter, "no_data", f"no account has records to score in {quarter}", notes)
    mean = round(sum(k.value or 0 for _, k in ok) / len(ok), 1)
    level = risk_level(mean)
    parts = [KpiPart(label=a.account_id, text=k.text, points=k.value, source_ids=k.source_ids)
             for a, k in sorted(ok, key=lambda x: -(x[1].value or 0))]
    high = [p.label for p in parts if risk_level(p.points or 0) == "high"]
    text = f"{mean:g} ({level}), mean of {len(ok)} accounts" + (f"; high: {', '.join(high)}" if high else "")
    return Kpi(**RENEWAL_RISK.head(quarter), status="ok", value=mean, level=level, text=text,
               denominator=len(ok), notes=notes, parts=parts,
               source_ids=sorted({s for p in parts for s in p.source_ids}))
