"""Incident channels: an incident's events are the union of its record and its channel.

An incident comes from two sources: its YAML record (milestones, status events) and the
Slack export of its channel (messages). Either may be re-ingested alone, so each run
merges what it read with what the store holds:

- a re-ingested record keeps the channel messages already stored for it (same channel);
- re-ingested channel files add to (and update, by message id) the stored incident's
  messages, whether or not its record is in this run;
- a channel no incident names, in this run or in the store, is quarantined whole: its
  messages cannot be attached to anything, and dropping them silently would lose them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from copilot.ingest.base import SlackMessage
from copilot.ingest.incidents import attach_channel, event_order
from copilot.records.models import Incident, QuarantineEntry

__all__ = ["merge_channels", "orphan_channel"]


def _key(channel: str) -> str:
    return channel.strip().lstrip("#").casefold()


def _with_messages(incident: Incident, messages: list[SlackMessage], stored: Incident | None) -> Incident:
    """``incident``'s own events + this run's messages + messages already stored for it."""
    merged = attach_channel(incident, messages)
    if stored is None or _key(stored.channel) != _key(incident.channel):
        return merged
    held = {event.id for event in merged.events}
    kept = [e for e in stored.events if e.kind == "message" and e.id not in held]
    if not kept:
        return merged
    return merged.model_copy(update={"events": sorted([*merged.events, *kept], key=event_order)})


def orphan_channel(channel: str, messages: list[SlackMessage]) -> QuarantineEntry:
    """The whole-folder quarantine entry for a channel no incident names."""
    files = sorted({m.source_file for m in messages})
    folder = str(Path(files[0]).parent) if files else channel
    return QuarantineEntry(
        file=folder,
        row="",
        reason=(f"Slack channel #{channel}: {len(messages)} message(s) in {len(files)} day file(s), "
                "but no ingested incident names this channel; nothing from it was stored"),
        action=(f"ingest the incident YAML that names this channel (incident.channel: {channel}) "
                "together with this folder"),
    )


def merge_channels(incidents: dict[str, Incident], messages: Mapping[str, list[SlackMessage]],
                   stored: Iterable[Incident]) -> list[QuarantineEntry]:
    """Give every incident of this run, and every stored one whose channel this run read, the
    union of its events; add the updated stored incidents to ``incidents`` (in place).

    Returns:
        One quarantine entry per channel that no incident names.
    """
    by_channel: dict[str, list[SlackMessage]] = {}
    for channel, items in messages.items():
        by_channel.setdefault(_key(channel), []).extend(items)
    stored_by_id = {i.id: i for i in stored}
    claimed: set[str] = set()
    for incident_id, incident in list(incidents.items()):
        key = _key(incident.channel)
        claimed.add(key)
        incidents[incident_id] = _with_messages(incident, by_channel.get(key, []), stored_by_id.get(incident_id))
    for incident in stored_by_id.values():
        key = _key(incident.channel)
        if incident.id in incidents or not key or key not in by_channel:
            continue
        claimed.add(key)
        own = incident.model_copy(update={"events": [e for e in incident.events if e.kind != "message"]})
        incidents[incident.id] = _with_messages(own, by_channel[key], incident)
    return [orphan_channel(items[0].channel, items) for key, items in sorted(by_channel.items())
            if key and key not in claimed]
