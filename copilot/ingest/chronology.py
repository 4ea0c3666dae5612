"""Impossible dates: things that happened cannot happen in the future or out of order.

The rule (``docs/formats.md``, "Impossible dates"): a timestamp of something that
happened (a ticket's created/updated/first-response/resolved time, a comment, an
incident milestone or status event, a Slack message) is refused when it is more than
``future_days`` (default 30) days after the ingest run's clock, and a ticket or incident
cannot be resolved, answered, updated, detected, engaged or mitigated before it started.
The clock is the run's (``ingest_paths(now=...)``), never read inside a check, so tests pass it.

A bad ticket or incident is quarantined whole; a bad comment, status event or message is
quarantined alone and the record keeps the rest. Plan dates (renewals, due dates) are plans,
not events, and are not checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone

from copilot.ingest.base import SlackMessage
from copilot.ingest.ticket_fields import first_response_at
from copilot.records.models import Comment, Incident, QuarantineEntry, Ticket

__all__ = ["Chronology"]

_TICKET_TIMES = ("created_at", "updated_at", "first_response_at", "resolved_at")
_INCIDENT_TIMES = ("started_at", "detected_at", "engaged_at", "mitigated_at", "resolved_at",
                   "last_customer_update_at")
_ACTION = "correct the timestamp in the source (check its timezone and year) and re-ingest"


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


class Chronology:
    """The date checks of one run, against its clock ``now``."""

    def __init__(self, now: datetime, future_days: int) -> None:
        self.now = now.astimezone(timezone.utc)
        self.future_days = future_days
        self.horizon = self.now + timedelta(days=future_days)

    def future(self, name: str, at: datetime | None) -> str | None:
        """Why ``at`` is too far in the future, or None."""
        if at is None or at <= self.horizon:
            return None
        return (f"{name} {_iso(at)} is more than {self.future_days} days after this run's clock "
                f"({_iso(self.now)}; future_days limit of {self.future_days}): it cannot have happened yet")

    @staticmethod
    def before(name: str, at: datetime | None, start_name: str, start: datetime) -> str | None:
        """Why ``at`` (an event after the start) precedes ``start``, or None."""
        if at is None or at >= start:
            return None
        return f"{name} {_iso(at)} is before {start_name} {_iso(start)}"

    def _problems(self, record: Ticket | Incident, names: tuple[str, ...]) -> list[str]:
        start_name = names[0]
        start = getattr(record, start_name)
        found = [self.future(n, getattr(record, n)) for n in names]
        found += [self.before(n, getattr(record, n), start_name, start) for n in names[1:]]
        return [p for p in found if p]

    def messages(self, messages: Iterable[SlackMessage]) -> tuple[list[SlackMessage], list[QuarantineEntry]]:
        """Messages dated too far in the future are refused one by one."""
        kept, refused = [], []
        for message in messages:
            problem = self.future("ts", message.at)
            if problem:
                refused.append(QuarantineEntry(file=message.source_file, row=message.ts, reason=problem,
                                               action=_ACTION))
            else:
                kept.append(message)
        return kept, refused

    def comments(self, file: str, comments: Iterable[Comment],
                 ticket_start: Callable[[str], datetime | None]) -> tuple[list[Comment], list[QuarantineEntry]]:
        """Comments from the future, or older than their ticket, are refused one by one."""
        kept, refused = [], []
        for comment in comments:
            start = ticket_start(comment.ticket_id)
            problem = self.future("created_at", comment.created_at) or (
                self.before("created_at", comment.created_at, f"ticket {comment.ticket_id}'s created_at", start)
                if start else None)
            if problem:
                refused.append(QuarantineEntry(file=file, row=comment.id, reason=f"comment {problem}",
                                               action=_ACTION))
            else:
                kept.append(comment)
        return kept, refused

    def ticket(self, ticket: Ticket) -> tuple[Ticket | None, list[QuarantineEntry]]:
        """The ticket (without refused comments), or None when its own dates are impossible."""
        problems = self._problems(ticket, _TICKET_TIMES)
        if problems:
            return None, [QuarantineEntry(file=ticket.source_file, row=ticket.id,
                                          reason="impossible dates: " + "; ".join(problems), action=_ACTION)]
        kept, refused = self.comments(ticket.source_file, ticket.comments, lambda _: ticket.created_at)
        if not refused:
            return ticket, []
        update: dict[str, object] = {"comments": kept}
        if ticket.first_response_at in {c.created_at for c in ticket.comments if c not in kept}:
            update["first_response_at"] = first_response_at(kept)
        return ticket.model_copy(update=update), refused

    def incident(self, incident: Incident) -> tuple[Incident | None, list[QuarantineEntry]]:
        """The incident (without refused events), or None when its milestones are impossible."""
        problems = self._problems(incident, _INCIDENT_TIMES)
        if problems:
            return None, [QuarantineEntry(file=incident.source_file, row=incident.id,
                                          reason="impossible dates: " + "; ".join(problems), action=_ACTION)]
        kept, refused = [], []
        for event in incident.events:
            problem = self.future("at", event.at)
            if problem:
                refused.append(QuarantineEntry(file=incident.source_file, row=event.id,
                                               reason=f"event {problem}", action=_ACTION))
            else:
                kept.append(event)
        return (incident.model_copy(update={"events": kept}) if refused else incident), refused
