"""Problem-management closure rate.

Definition: of the high-severity (P1/P2) incidents that started in the quarter and are
resolved, the share that are *closed* for problem management: a PIR is on record AND at
least one corrective action is recorded AND every corrective action is ``done``.

A PIR is on record when the review queue holds an approved ``pir_timeline`` draft for the
incident (``AccountRecords.pir_reviews``; cited as ``review:<id>``) or the incident itself
was ingested from a post-incident report document (its ``source_file`` is Markdown).

No data: no P1/P2 incident started in the quarter, or none is resolved yet (a PIR follows
resolution). Corrective-action statuses carry no completion date, so they are read as they
stand today, whatever the quarter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from copilot.facts.kpis.base import HIGH_SEVERITY, KpiSpec, empty_kpi, quarter_incidents, rate_kpi
from copilot.facts.kpis.model import AccountRecords, Kpi, KpiPart
from copilot.records.models import Incident

__all__ = ["PROBLEM_CLOSURE", "pir_source", "problem_closure_rate"]

PROBLEM_CLOSURE = KpiSpec("problem_closure", "Problem-management closure rate", "percent", higher_is_better=True)
_DOCUMENT_SUFFIXES = (".md", ".markdown")


def pir_source(incident: Incident, pir_reviews: dict[str, str]) -> str:
    """The id of the PIR on record for ``incident`` ("" when there is none)."""
    if incident.id in pir_reviews:
        return f"review:{pir_reviews[incident.id]}"
    if incident.source_file.lower().endswith(_DOCUMENT_SUFFIXES):
        return incident.id
    return ""


def _verdict(incident: Incident, pir: str) -> str:
    """"" when closed, else what is still open."""
    actions = incident.corrective_actions
    missing = [] if pir else ["no PIR on record"]
    if not actions:
        missing.append("no corrective actions recorded")
    open_ = [a.id for a in actions if a.status != "done"]
    if open_:
        missing.append(f"corrective action(s) {', '.join(open_)} not done")
    return "; ".join(missing)


def problem_closure_rate(accounts: Sequence[AccountRecords], quarter: str, as_of: datetime) -> Kpi:
    high = [(i, a.pir_reviews) for a in accounts for i in quarter_incidents([a], quarter)
            if i.priority in HIGH_SEVERITY]
    if not high:
        return empty_kpi(PROBLEM_CLOSURE, quarter, "no_data", f"no P1/P2 incident started in {quarter}")
    resolved = [(i, reviews) for i, reviews in high if i.resolved_at is not None]
    notes = [f"{i.id}: " + ("resolved but no resolution time recorded" if i.status == "resolved" else "not resolved yet")
             + "; left out" for i, _ in high if i.resolved_at is None]
    if not resolved:
        return empty_kpi(PROBLEM_CLOSURE, quarter, "no_data", f"no P1/P2 incident of {quarter} is resolved yet",
                         notes, [i.id for i, _ in high])
    closed, parts, sources = [], [], []
    for i, reviews in resolved:
        pir = pir_source(i, reviews)
        verdict = _verdict(i, pir)
        if not verdict:
            closed.append(i.id)
        parts.append(KpiPart(label=i.id, text=verdict or "closed: PIR on record, every corrective action done",
                             source_ids=[i.id] + ([pir] if pir and pir != i.id else [])))
        sources += parts[-1].source_ids
    return rate_kpi(PROBLEM_CLOSURE, quarter, closed, [i.id for i, _ in resolved], notes, sources, parts)
