"""Incident records: ``*.yaml`` with a top-level ``incident:`` key.

The record's milestone timestamps (``started_at`` … ``resolved_at``) and its
``status_events`` become :class:`IncidentEvent` s; the messages of its Slack channel are
added later by :func:`attach_channel`, once every channel file is parsed. The account
must be a known plan, and the channel must not belong to another account's plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from copilot.ingest.base import AccountResolver, ParseResult, SlackMessage
from copilot.ingest.files import YAML_SUFFIXES
from copilot.ingest.rows import (
    RowError,
    describe_validation_error,
    entry,
    field_timestamp,
    optional_str,
    optional_timestamp,
    require_fields,
    require_mapping,
    str_list,
    unexpected,
)
from copilot.ingest.severity import normalize_incident_status, normalize_priority
from copilot.records.models import CorrectiveAction, Incident, IncidentEvent, QuarantineEntry, RootCause

__all__ = ["MILESTONES", "IncidentIngestor", "attach_channel", "event_order", "parse_incident"]

MILESTONES: dict[str, tuple[str, str]] = {
    "started_at": ("impact_start", "Customer impact started"),
    "detected_at": ("detected", "Issue detected"),
    "engaged_at": ("engaged", "Engineering engaged"),
    "mitigated_at": ("mitigated", "Impact mitigated"),
    "resolved_at": ("resolved", "Incident resolved"),
}
_KNOWN_KEYS = {
    "id", "account", "title", "priority", "status", "channel", "summary", "customer_impact",
    "workaround", "last_customer_update_at", "related_tickets", "root_cause",
    "contributing_factors", "corrective_actions", "status_events", *MILESTONES,
}
_EVENT_KEYS = {"at", "status", "text", "author"}
_M = TypeVar("_M", bound=BaseModel)
_KIND_ORDER = {"milestone": 0, "status": 1, "ticket_comment": 2, "message": 3}


def event_order(event: IncidentEvent) -> tuple[datetime, int, str]:
    """Sort key: time, then milestones before status changes before messages, then id."""
    return (event.at, _KIND_ORDER.get(event.kind, 9), event.id)


def _validated(model: type[_M], value: object, where: str) -> _M:
    """``model.model_validate(value)``, errors prefixed with where they are."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise RowError(f"{where}: {describe_validation_error(exc)}") from None


def _status_event(incident_id: str, index: int, raw: object) -> IncidentEvent:
    item = require_mapping(raw, "status event")
    unknown = sorted(set(item) - _EVENT_KEYS)
    if unknown:
        raise RowError(f"unknown field(s) {', '.join(unknown)}; known: at, status, text, author")
    require_fields(item, ["at", "status"])
    try:
        status = normalize_incident_status(item["status"])
    except ValueError as exc:
        raise RowError(str(exc)) from None
    return IncidentEvent(
        id=f"{incident_id}:status:{index}",
        incident_id=incident_id,
        at=field_timestamp(item["at"], "at"),
        kind="status",
        author=optional_str(item.get("author")),
        text=optional_str(item.get("text")) or f"Status changed to {status}",
        status=status,  # type: ignore[arg-type]
        source_id=incident_id,
    )


class _Parser:
    def __init__(self, path: Path, resolver: AccountResolver) -> None:
        self.path = path
        self.resolver = resolver
        self.quarantine: list[QuarantineEntry] = []

    def account(self, doc: Mapping[str, Any]) -> str:
        account_id = optional_str(doc["account"])
        if not self.resolver.known(account_id):
            raise RowError(
                f"unknown account {account_id!r}: no account plan has this id",
                "set incident.account to the id of an ingested account plan "
                f"(known: {', '.join(self.resolver.account_ids) or 'none'}), then re-ingest",
            )
        channel = optional_str(doc.get("channel")).lstrip("#")
        owners = self.resolver.claimants("slack_channel", channel) if channel else []
        if owners and owners != [account_id]:
            raise RowError(
                f"channel {channel!r} is mapped to account plan(s) {', '.join(owners)}, "
                f"not to {account_id!r}; refusing to mix accounts",
                "fix incident.channel or the plans' mappings.slack_channels, then re-ingest",
            )
        return account_id

    def events(self, incident_id: str, doc: Mapping[str, Any],
               times: dict[str, datetime | None]) -> list[IncidentEvent]:
        events = [
            IncidentEvent(
                id=f"{incident_id}:milestone:{milestone}",
                incident_id=incident_id,
                at=at,
                kind="milestone",
                text=text,
                milestone=milestone,  # type: ignore[arg-type]
                source_id=incident_id,
            )
            for field, (milestone, text) in MILESTONES.items()
            if (at := times[field]) is not None
        ]
        raw_events = doc.get("status_events") or []
        if not isinstance(raw_events, list):
            raise RowError("status_events must be a list")
        for index, raw in enumerate(raw_events):
            row = f"{incident_id} status_events[{index}]"
            try:
                events.append(_status_event(incident_id, index, raw))
            except ValidationError as exc:
                self.quarantine.append(entry(self.path, row, describe_validation_error(exc)))
            except RowError as err:
                self.quarantine.append(entry(self.path, row, err.reason, err.action))
            except Exception as exc:
                self.quarantine.append(unexpected(self.path, row, exc))
        return sorted(events, key=event_order)

    def incident(self, doc: Mapping[str, Any]) -> Incident:
        unknown = sorted(set(doc) - _KNOWN_KEYS)
        if unknown:
            raise RowError(f"unknown field(s) in incident: {', '.join(unknown)}",
                           "rename or remove them (see docs/formats.md, incident records)")
        require_fields(doc, ["id", "account", "title", "priority", "status", "started_at"])
        incident_id = optional_str(doc["id"])
        account_id = self.account(doc)
        try:
            priority = normalize_priority(optional_str(doc["priority"]))
            status = normalize_incident_status(optional_str(doc["status"]))
        except ValueError as exc:
            raise RowError(str(exc)) from None
        times = {"started_at": field_timestamp(doc["started_at"], "started_at")}
        for field in list(MILESTONES)[1:]:
            times[field] = optional_timestamp(doc.get(field), field)
        root_cause = doc.get("root_cause")
        actions = doc.get("corrective_actions") or []
        if not isinstance(actions, list):
            raise RowError("corrective_actions must be a list")
        return Incident(
            id=incident_id,
            account_id=account_id,
            title=optional_str(doc["title"]),
            priority=priority,
            status=status,
            channel=optional_str(doc.get("channel")).lstrip("#"),
            source_file=str(self.path),
            summary=optional_str(doc.get("summary")),
            customer_impact=optional_str(doc.get("customer_impact")),
            workaround=optional_str(doc.get("workaround")),
            **times,
            last_customer_update_at=optional_timestamp(
                doc.get("last_customer_update_at"), "last_customer_update_at"),
            related_tickets=str_list(doc.get("related_tickets"), "related_tickets"),
            root_cause=(_validated(RootCause, root_cause, "root_cause")
                        if root_cause else RootCause()),
            contributing_factors=str_list(doc.get("contributing_factors"), "contributing_factors"),
            corrective_actions=[_validated(CorrectiveAction, a, f"corrective_actions[{i}]")
                                for i, a in enumerate(actions)],
            events=self.events(incident_id, doc, times),
        )


def parse_incident(path: Path, data: object, resolver: AccountResolver) -> ParseResult:
    """Parse one incident record (its milestone and status events included)."""
    doc = data.get("incident") if isinstance(data, Mapping) else None
    if not isinstance(doc, Mapping):
        return ParseResult(quarantine=[entry(path, "", "incident must be a YAML mapping")])
    row = optional_str(doc.get("id")) if not isinstance(doc.get("id"), (dict, list)) else ""
    parser = _Parser(path, resolver)
    try:
        incident = parser.incident(doc)
    except ValidationError as exc:
        reason = f"invalid incident: {describe_validation_error(exc)}"
        return ParseResult(quarantine=[entry(path, row or "incident", reason)])
    except RowError as err:
        return ParseResult(quarantine=[entry(path, row or "incident", err.reason, err.action)])
    except Exception as exc:
        return ParseResult(quarantine=[unexpected(path, row or "incident", exc)])
    return ParseResult(incidents=[incident], quarantine=parser.quarantine)


def attach_channel(incident: Incident, messages: Iterable[SlackMessage]) -> Incident:
    """Add the messages of the incident's channel as ``message`` events.

    Event ids are ``slack:<channel>:<ts>``; messages of other channels are ignored, an
    event id the incident already holds is not added twice, and all events come back
    sorted by time (:func:`event_order`). The incident itself is not modified.
    """
    channel = incident.channel.lstrip("#")
    if not channel:
        return incident
    events = {event.id: event for event in incident.events}
    for message in messages:
        if message.channel.lstrip("#").casefold() != channel.casefold():
            continue
        event_id = f"slack:{channel}:{message.ts}"
        if event_id in events:
            continue
        events[event_id] = IncidentEvent(
            id=event_id,
            incident_id=incident.id,
            at=message.at,
            kind="message",
            author=message.real_name or message.user,
            text=message.text,
            source_id=event_id,
        )
    return incident.model_copy(update={"events": sorted(events.values(), key=event_order)})


class IncidentIngestor:
    """YAML documents whose top level has an ``incident`` key."""

    name = "incidents"

    def matches(self, path: Path, data: object | None) -> bool:
        return (
            path.suffix.lower() in YAML_SUFFIXES
            and isinstance(data, Mapping)
            and "incident" in data
        )

    def parse(self, path: Path, data: object | None, resolver: AccountResolver) -> ParseResult:
        return parse_incident(path, data, resolver)
