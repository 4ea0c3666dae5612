"""Normalisation of source vocabularies: priorities, statuses and timestamps.

Every source speaks its own dialect (Zendesk ``urgent``, Jira ``Highest``, ServiceNow
``1 - Critical``, incident ``Sev1``); records only ever hold ``P1``-``P4``, the ticket
statuses of :class:`copilot.records.models.Ticket` and timezone-aware UTC datetimes. Unknown values
raise :class:`ValueError` naming what is accepted, so a parser can quarantine the row with
an actionable reason.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

__all__ = [
    "INCIDENT_STATUSES",
    "TICKET_STATUSES",
    "normalize_incident_status",
    "normalize_priority",
    "normalize_status",
    "parse_timestamp",
]


def _key(raw: str) -> str:
    """Case-, space-, underscore- and hyphen-insensitive lookup key."""
    return re.sub(r"[\s_\-]+", " ", raw.strip().casefold()).strip()


_PRIORITY_WORDS: dict[str, str] = {
    # Zendesk
    "urgent": "P1",
    "high": "P2",
    "normal": "P3",
    "low": "P4",
    # Jira
    "highest": "P1",
    "blocker": "P1",
    "critical": "P2",
    "medium": "P3",
    "major": "P3",
    "lowest": "P4",
    "minor": "P4",
    "trivial": "P4",
}
_SERVICENOW = {"1": {"critical"}, "2": {"high"}, "3": {"moderate", "medium"}, "4": {"low"}}
_LEVEL_RE = re.compile(r"^(?:p|sev|severity)\s?([1-4])$")
_SERVICENOW_RE = re.compile(r"^([0-9]) ([a-z]+)$")

_PRIORITY_HELP = (
    "accepted: P1-P4, Sev1-Sev4 (also SEV-1), Zendesk urgent/high/normal/low, "
    "Jira Highest/High/Medium/Low/Lowest or Blocker/Critical/Major/Minor/Trivial, "
    "ServiceNow '1 - Critical', '2 - High', '3 - Moderate', '4 - Low'"
)


def normalize_priority(raw: str) -> str:
    """Map a source priority or severity to ``P1``..``P4``.

    Raises:
        ValueError: for an unknown or empty value; the message lists the accepted values.
    """
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"priority is empty; {_PRIORITY_HELP}")
    key = _key(raw)
    if key in _PRIORITY_WORDS:
        return _PRIORITY_WORDS[key]
    level = _LEVEL_RE.match(key)
    if level:
        return f"P{level.group(1)}"
    servicenow = _SERVICENOW_RE.match(key)  # "1 - Critical" is "1 critical" after _key
    if servicenow and servicenow.group(2) in _SERVICENOW.get(servicenow.group(1), set()):
        return f"P{servicenow.group(1)}"
    raise ValueError(f"unknown priority {raw!r}; {_PRIORITY_HELP}")


TICKET_STATUSES: tuple[str, ...] = ("new", "open", "pending", "on_hold", "solved", "closed")

_STATUS_WORDS: dict[str, str] = {
    "new": "new",
    "open": "open",
    "to do": "open",
    "todo": "open",
    "backlog": "open",
    "in progress": "open",
    "work in progress": "open",
    "reopened": "open",
    "active": "open",
    "assigned": "open",
    "selected for development": "open",
    "in review": "open",
    "waiting for support": "open",
    "escalated": "open",
    "pending": "pending",
    "waiting for customer": "pending",
    "waiting on customer": "pending",
    "awaiting customer": "pending",
    "awaiting info": "pending",
    "awaiting user info": "pending",
    "hold": "on_hold",
    "on hold": "on_hold",
    "solved": "solved",
    "resolved": "solved",
    "done": "solved",
    "fixed": "solved",
    "closed": "closed",
    "cancelled": "closed",
    "canceled": "closed",
}
_STATUS_HELP = (
    "accepted: new, open, pending, hold/on hold, solved, closed (Zendesk); To Do, Open, "
    "Backlog, In Progress, Waiting for customer, Done, Resolved, Closed (Jira); "
    "In Progress, On Hold, Awaiting Customer, Resolved, Closed, Canceled (ServiceNow)"
)


def normalize_status(raw: str) -> str:
    """Map a source ticket status to one of :data:`TICKET_STATUSES`.

    Raises:
        ValueError: for an unknown or empty value; the message lists the accepted values.
    """
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"status is empty; {_STATUS_HELP}")
    status = _STATUS_WORDS.get(_key(raw))
    if status is None:
        raise ValueError(f"unknown status {raw!r}; {_STATUS_HELP}")
    return status


INCIDENT_STATUSES: tuple[str, ...] = ("investigating", "identified", "monitoring", "resolved")


def normalize_incident_status(raw: str) -> str:
    """Validate an incident status (case-insensitive) against :data:`INCIDENT_STATUSES`.

    Raises:
        ValueError: for an unknown or empty value.
    """
    key = _key(raw) if isinstance(raw, str) else ""
    if key not in INCIDENT_STATUSES:
        raise ValueError(
            f"unknown incident status {raw!r}; accepted: {', '.join(INCIDENT_STATUSES)}"
        )
    return key


_EPOCH_RE = re.compile(r"^\d+(\.\d+)?$")
_EPOCH_MAX = 100_000_000_000  # ~ year 5138; larger values are milliseconds, not seconds
_TS_HELP = (
    "expected ISO 8601 with a timezone (2026-04-12T09:14:00Z, 2026-04-12T11:14:00+02:00, "
    "Jira's 2026-04-12T09:14:00.000+0000) or epoch seconds (1776000000.000100)"
)


def _from_epoch(seconds: float, raw: object) -> datetime:
    if seconds >= _EPOCH_MAX:
        raise ValueError(f"timestamp {raw!r} looks like epoch milliseconds; {_TS_HELP}")
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def parse_timestamp(raw: str | datetime | int | float) -> datetime:
    """Parse a source timestamp into an aware UTC datetime.

    Accepts ISO 8601 strings with ``Z`` or an offset (``+02:00`` or ``+0000``), epoch
    seconds (string or number, as Slack's ``ts``) and aware ``datetime`` objects (as YAML
    loads them). Naive values are refused: we never guess a timezone.

    Raises:
        ValueError: naive, date-only, empty or unparseable values.
    """
    if isinstance(raw, datetime):
        if raw.tzinfo is None or raw.utcoffset() is None:
            raise ValueError(
                f"timestamp {raw.isoformat()} has no timezone; add Z or an offset "
                "(we never guess a timezone)"
            )
        return raw.astimezone(timezone.utc)
    if isinstance(raw, date):
        raise ValueError(f"{raw.isoformat()} is a date without a time and timezone; {_TS_HELP}")
    if isinstance(raw, bool) or raw is None:
        raise ValueError(f"timestamp {raw!r} is not a timestamp; {_TS_HELP}")
    if isinstance(raw, (int, float)):
        return _from_epoch(float(raw), raw)
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"timestamp is empty; {_TS_HELP}")
    text = raw.strip()
    if _EPOCH_RE.match(text):
        return _from_epoch(float(text), raw)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"unparseable timestamp {raw!r}; {_TS_HELP}") from None
    if parsed.tzinfo is None:
        raise ValueError(
            f"timestamp {raw!r} has no timezone; add Z or an offset such as +00:00 "
            "(we never guess a timezone)"
        )
    return parsed.astimezone(timezone.utc)
