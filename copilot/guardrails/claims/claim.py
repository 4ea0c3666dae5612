"""A claim about one record, and the view of a record the claim recognizers compare with."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from copilot.records.models import Incident, Ticket

__all__ = ["Claim", "RecordView"]


@dataclass(frozen=True, slots=True)
class Claim:
    """``field`` of ``record_id`` is stated as ``stated`` at ``span``; ``ok`` is the verdict and
    ``recorded`` what the record says instead; ``message`` (when set) says both to the TAM."""

    record_id: str
    field: str
    stated: str
    span: tuple[int, int]
    ok: bool
    recorded: str
    message: str = ""


class RecordView:
    """A ticket's or incident's fields and own text (its comments or events), as claims read them."""

    def __init__(self, record: Ticket | Incident) -> None:
        self.record = record
        self.id = record.id
        self.kind = "ticket" if isinstance(record, Ticket) else "incident"
        self.priority: str = record.priority
        self.status: str = record.status
        self.resolved = record.resolved_at is not None or record.status in ("solved", "closed", "resolved")
        if isinstance(record, Ticket):
            texts = [record.subject, record.description, *(c.body for c in record.comments)]
            self.statuses_seen = {record.status}
        else:
            texts = [record.title, record.summary, record.customer_impact, record.workaround, record.root_cause.summary,
                     *record.contributing_factors, *(a.action for a in record.corrective_actions),
                     *(e.text for e in record.events)]
            self.statuses_seen = {record.status, "investigating"} | {e.status for e in record.events if e.status}
        self.text = "\n".join(t for t in texts if t)

    def mentions(self, pattern: str) -> bool:
        """Whether the record's own text matches ``pattern`` (case-insensitive)."""
        return re.search(pattern, self.text, re.IGNORECASE) is not None

    def field(self, name: str) -> Any:
        return getattr(self.record, name, None)
