"""Mean time to mitigation (P1).

Definition: for the P1 incidents that started in the quarter and record a mitigation, the
mean of ``mitigated_at`` − ``started_at``, in whole minutes rounded half-up. A P1 incident
not mitigated yet is left out and named in the notes.

No data: no P1 incident started in the quarter, or none of them is mitigated yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from copilot.facts.kpis.base import KpiSpec, duration_kpi, empty_kpi, milestone_durations, quarter_incidents
from copilot.facts.kpis.model import AccountRecords, Kpi

__all__ = ["MEAN_TIME_TO_MITIGATION", "mean_time_to_mitigation"]

MEAN_TIME_TO_MITIGATION = KpiSpec("mttm_p1", "Mean time to mitigation (P1)", "minutes", higher_is_better=False)


def mean_time_to_mitigation(accounts: Sequence[AccountRecords], quarter: str, as_of: datetime) -> Kpi:
    incidents = [i for i in quarter_incidents(accounts, quarter) if i.priority == "P1"]
    if not incidents:
        return empty_kpi(MEAN_TIME_TO_MITIGATION, quarter, "no_data", f"no P1 incident started in {quarter}")
    measured, notes = milestone_durations(incidents, "mitigated_at", "not mitigated yet ({status})")
    if not measured:
        return empty_kpi(MEAN_TIME_TO_MITIGATION, quarter, "no_data",
                         f"no P1 incident of {quarter} is mitigated yet", notes, [i.id for i in incidents])
    return duration_kpi(MEAN_TIME_TO_MITIGATION, quarter, measured, notes)
