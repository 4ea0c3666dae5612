"""The Slack workspace export of the incident channels: channels.json, users.json, one file per day."""

from __future__ import annotations

from typing import Any

from copilot.synth.ids import resolve_refs, stable_code
from copilot.synth.people import PAGERDUTY, all_staff
from copilot.synth.specs import IncidentSpec, Person

__all__ = ["slack_documents"]


def _slack_user_id(p: Person) -> str:
    return stable_code("U0", "slack:" + p.email)


def _handle(p: Person) -> str:
    return p.email.split("@")[0]


def slack_documents(incidents: list[IncidentSpec], key_map: dict[str, str]) -> tuple[list, list, dict]:
    """(channels.json, users.json, {channel: {day: [messages]}})."""
    people = {p.email: p for p in all_staff()}
    people[PAGERDUTY.email] = PAGERDUTY
    for inc in incidents:
        for m in inc.messages:
            people.setdefault(m.author.email, m.author)
    users = []
    for p in sorted(people.values(), key=lambda p: _slack_user_id(p)):
        users.append({
            "id": _slack_user_id(p), "team_id": "T0PARCELS1", "name": _handle(p), "real_name": p.name,
            "deleted": False, "is_bot": p.role == "bot", "tz": "Etc/UTC",
            "profile": {"real_name": p.name, "display_name": p.first if p.role != "bot" else "PagerDuty",
                        "title": p.title, "email": p.email},
        })
    channels, days = [], {}
    for inc in sorted(incidents, key=lambda i: i.channel):
        members = sorted({_slack_user_id(m.author) for m in inc.messages})
        first = inc.messages[0]
        creator = next((m.author for m in inc.messages if m.author.role != "bot"), first.author)
        channels.append({
            "id": stable_code("C0", "slack-channel:" + inc.channel),
            "name": inc.channel,
            "created": int(first.at.timestamp()),
            "creator": _slack_user_id(creator),
            "is_archived": inc.status == "resolved",
            "is_general": False,
            "members": members,
            "topic": {"value": f"{inc.id} | {inc.priority} | {inc.title}", "creator": _slack_user_id(creator),
                      "last_set": int(first.at.timestamp())},
            "purpose": {"value": f"Incident channel for {inc.id}", "creator": _slack_user_id(creator),
                        "last_set": int(first.at.timestamp())},
        })
        per_day: dict[str, list] = {}
        for m in inc.messages:
            msg: dict[str, Any] = {
                "type": "message", "user": _slack_user_id(m.author), "text": resolve_refs(m.text, key_map),
                "ts": m.ts, "team": "T0PARCELS1",
                "user_profile": {"real_name": m.author.name, "display_name": m.author.first
                                 if m.author.role != "bot" else "PagerDuty", "name": _handle(m.author)},
            }
            if m.author.role == "bot":
                msg["bot_id"] = "B0PAGERDTY"
            per_day.setdefault(m.at.strftime("%Y-%m-%d"), []).append(msg)
        days[inc.channel] = per_day
    return channels, users, days
