"""A ticket's root cause as the records state it (shared by the QBR's top issues and the KPIs)."""

from __future__ import annotations

import re

from copilot.facts.common import first_sentence
from copilot.records.models import Ticket

__all__ = ["ticket_root_cause"]

_ROOT_CAUSE = re.compile(r"\broot cause\s*:\s*(?P<v>[^\n]+)", re.IGNORECASE)


def ticket_root_cause(ticket: Ticket) -> tuple[str, str]:
    """``(root cause, source id)``: the ticket's field, else the ``Root cause:`` line of its last
    public agent comment (how solved tickets state it); ``("", "")`` when neither says."""
    if ticket.root_cause:
        return ticket.root_cause, ticket.id
    for c in sorted(ticket.comments, key=lambda c: c.created_at, reverse=True):
        if c.public and c.author_role == "agent":
            match = _ROOT_CAUSE.search(c.body)
            if match:
                return first_sentence(match.group("v")), c.id
    return "", ""
