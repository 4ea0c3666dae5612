"""Repeat incident rate (same root cause).

Definition: of the P1/P2 tickets created in the quarter whose root cause is recorded, the
share that repeat one: an earlier P1/P2 ticket of the same account (this quarter or the
previous one) has the same root cause. A ticket's root cause is its ``root_cause`` field,
else the ``Root cause:`` line of its last public agent reply
(:func:`copilot.facts.qbr.ticket_root_cause`), else the confirmed root cause of an incident
that lists it in ``related_tickets``. Root causes are compared case-insensitively with
whitespace and a final full stop ignored. (The QBR's "Repeat incidents" line also groups by
component; this KPI is about root causes only.)

Not supported: P1/P2 tickets were created but none records a root cause. No data: no P1/P2
ticket created in the quarter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from copilot.facts.common import previous_quarter
from copilot.facts.kpis.base import HIGH_SEVERITY, KpiSpec, empty_kpi, rate_kpi
from copilot.facts.kpis.model import AccountRecords, Kpi, KpiPart
from copilot.facts.metrics import tickets_in_quarter
from copilot.facts.root_cause import ticket_root_cause
from copilot.records.models import Ticket

__all__ = ["REPEAT_RATE", "repeat_incident_rate", "repeats_of", "root_cause_key"]

REPEAT_RATE = KpiSpec("repeat_rate", "Repeat incident rate (same root cause)", "percent", higher_is_better=False)


def root_cause_key(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


def _root_causes(records: AccountRecords) -> dict[str, str]:
    """Ticket id -> normalised root cause, for the account's tickets that record one."""
    from_incidents = {tid: i.root_cause.summary for i in records.incidents
                      if i.root_cause.status == "confirmed" and i.root_cause.summary for tid in i.related_tickets}
    out = {}
    for t in records.tickets:
        text = ticket_root_cause(t)[0] or from_incidents.get(t.id, "")
        if text.strip():
            out[t.id] = root_cause_key(text)
    return out


def repeats_of(records: AccountRecords, quarter: str) -> tuple[list[Ticket], dict[str, str], dict[str, str]]:
    """``(the quarter's P1/P2 tickets, {ticket id: root cause key}, {repeat ticket id: earlier ticket id})``."""
    own = [t for t in records.tickets if t.account_id == records.account_id and t.priority in HIGH_SEVERITY]
    current = tickets_in_quarter(own, quarter)
    ordered = tickets_in_quarter(own, previous_quarter(quarter)) + current
    causes = _root_causes(records)
    first_seen: dict[str, str] = {}
    repeats: dict[str, str] = {}
    current_ids = {t.id for t in current}
    for t in ordered:
        key = causes.get(t.id)
        if not key:
            continue
        if key in first_seen and t.id in current_ids:
            repeats[t.id] = first_seen[key]
        first_seen.setdefault(key, t.id)
    return current, causes, repeats


def repeat_incident_rate(accounts: Sequence[AccountRecords], quarter: str, as_of: datetime) -> Kpi:
    high: list[Ticket] = []
    measured: list[str] = []
    repeats: dict[str, str] = {}
    for a in accounts:
        current, causes, found = repeats_of(a, quarter)
        high += current
        measured += [t.id for t in current if t.id in causes]
        repeats |= found
    if not high:
        return empty_kpi(REPEAT_RATE, quarter, "no_data", f"no P1/P2 ticket created in {quarter}")
    unknown = [t.id for t in high if t.id not in measured]
    notes = [f"{tid}: no root cause recorded; left out" for tid in unknown]
    if not measured:
        return empty_kpi(REPEAT_RATE, quarter, "not_supported",
                         f"none of the {len(high)} P1/P2 tickets of {quarter} records a root cause "
                         "(ticket root_cause, a 'Root cause:' line in an agent reply, or a related incident's "
                         "confirmed root cause)", notes, [t.id for t in high])
    parts = [KpiPart(label=tid, text=f"same root cause as {earlier}", source_ids=[earlier, tid])
             for tid, earlier in sorted(repeats.items())]
    return rate_kpi(REPEAT_RATE, quarter, sorted(repeats), measured, notes,
                    sorted(set(measured) | set(repeats.values())), parts)
