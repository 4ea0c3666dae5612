"""What "now" means for a home: the time given, or the wall clock, or the data's own snapshot time.

A TAM working on live records wants the wall clock. A newcomer opening an exported data set
(the bundled sample, a customer's archive) does not want every ticket shown as weeks overdue:
when the newest record is more than ``SNAPSHOT_AFTER`` older than the wall clock, "now" is the
newest record's time, and the console and CLI say so. ``--as-of`` (or ``COPILOT_AS_OF``) always wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from copilot.records.models import Incident, Ticket

__all__ = ["SNAPSHOT_AFTER", "Clock", "data_clock", "newest_activity"]

SNAPSHOT_AFTER = timedelta(days=3)
"""How stale the newest record must be before the home is treated as a snapshot."""


class Clock(BaseModel):
    """The moment drafts and SLA clocks are computed at, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    now: datetime
    source: Literal["given", "wall clock", "data snapshot"]

    @property
    def note(self) -> str:
        """One line for a person: what "now" is and how to change it."""
        stamp = self.now.strftime("%Y-%m-%d %H:%M UTC")
        if self.source == "data snapshot":
            return (f"as of {stamp}: the newest record in this home (it looks like a snapshot); "
                    "pass --as-of to choose another time")
        return f"as of {stamp} ({self.source})"


def newest_activity(tickets: Iterable[Ticket], incidents: Iterable[Incident]) -> datetime | None:
    """The latest instant any ticket, comment, incident or incident event records."""
    times: list[datetime] = []
    for t in tickets:
        times += [x for x in (t.created_at, t.first_response_at, t.resolved_at, t.updated_at) if x]
        times += [c.created_at for c in t.comments]
    for i in incidents:
        times += [x for x in (i.started_at, i.detected_at, i.engaged_at, i.mitigated_at, i.resolved_at,
                              i.last_customer_update_at) if x]
        times += [e.at for e in i.events]
    return max(times, default=None)


def data_clock(newest: datetime | None, wall: datetime, given: datetime | None = None) -> Clock:
    """The ``Clock`` for a home whose newest record is ``newest``, at wall-clock time ``wall``."""
    if given is not None:
        return Clock(now=given, source="given")
    if newest is not None and wall - newest > SNAPSHOT_AFTER:
        return Clock(now=newest.replace(second=0, microsecond=0) + timedelta(minutes=1), source="data snapshot")
    return Clock(now=wall, source="wall clock")
