"""Time to engage.

Definition: for the incidents that started in the quarter, the mean of ``engaged_at`` −
``started_at`` (impact start to engineering engaged, the PIR's "Time to engage"), in whole
minutes rounded half-up. Open incidents count once they record an engagement time.

No data: no incident started in the quarter. Not supported: none of them records an
engagement time (``engaged_at`` or an ``engaged`` milestone).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from copilot.facts.kpis.base import KpiSpec, duration_kpi, empty_kpi, milestone_durations, quarter_incidents
from copilot.facts.kpis.model import AccountRecords, Kpi

__all__ = ["TIME_TO_ENGAGE", "time_to_engage"]

TIME_TO_ENGAGE = KpiSpec("time_to_engage", "Time to engage", "minutes", higher_is_better=False)


def time_to_engage(accounts: Sequence[AccountRecords], quarter: str, as_of: datetime) -> Kpi:
    incidents = quarter_incidents(accounts, quarter)
    if not incidents:
        return empty_kpi(TIME_TO_ENGAGE, quarter, "no_data", f"no incident started in {quarter}")
    measured, notes = milestone_durations(incidents, "engaged_at", "no engagement time recorded")
    if not measured:
        return empty_kpi(TIME_TO_ENGAGE, quarter, "not_supported",
                         f"no incident of {quarter} records an engagement time (engaged_at)", notes,
                         [i.id for i in incidents])
    return duration_kpi(TIME_TO_ENGAGE, quarter, measured, notes)
