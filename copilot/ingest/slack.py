"""Slack channel exports: ``<export>/<channel>/<YYYY-MM-DD>.json`` day files.

Each day file is a list of messages (``ts``, ``user``, ``text``,
``user_profile.real_name``). The export's ``users.json`` (next to the channel folders)
supplies names for users without a ``user_profile`` and for ``<@U…>`` mentions;
``channels.json``/``users.json`` themselves yield no records. The channel must be in an
account plan's ``mappings.slack_channels``; incidents later claim their channel's
messages (see :func:`copilot.ingest.incidents.attach_channel`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from copilot.ingest.base import AccountResolver, ParseResult, SlackMessage
from copilot.ingest.files import load_file
from copilot.ingest.rows import (
    DuplicateGuard,
    RowError,
    describe_validation_error,
    entry,
    field_timestamp,
    optional_str,
    require_mapping,
    unexpected,
    unresolved_account,
)

__all__ = [
    "EXPORT_META_FILES",
    "SlackDayIngestor",
    "SlackExportMetaIngestor",
    "export_users",
    "parse_slack_day",
    "slack_markup_to_text",
]

EXPORT_META_FILES = frozenset(
    {"channels.json", "users.json", "groups.json", "dms.json", "mpims.json",
     "integration_logs.json", "canvases.json"}
)
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TS_RE = re.compile(r"^\d+\.\d+$|^\d+$")
_MARKUP_RE = re.compile(r"<([^<>]+)>")


def _user_name(user: Mapping[str, Any]) -> str:
    profile = user.get("profile") if isinstance(user.get("profile"), Mapping) else {}
    for value in (user.get("real_name"), profile.get("real_name"), profile.get("display_name"),
                  user.get("name")):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


@lru_cache(maxsize=32)
def _users_cached(path: str, mtime_ns: int) -> dict[str, str]:
    data, error = load_file(Path(path))
    if error is not None or not isinstance(data, list):
        return {}
    return {str(u["id"]): _user_name(u) for u in data if isinstance(u, Mapping) and "id" in u}


def export_users(export_root: Path) -> dict[str, str]:
    """User id -> display name from ``<export_root>/users.json`` (empty if absent or bad)."""
    path = export_root / "users.json"
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return {}
    return dict(_users_cached(str(path), mtime))


def slack_markup_to_text(text: str, users: Mapping[str, str]) -> str:
    """Slack ``mrkdwn`` references to readable text: mentions, channels, links, entities."""

    def replace(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@"):
            name = users.get(target[1:]) or label or target[1:]
            return name if name.startswith("@") else f"@{name}"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("!"):
            return label or f"@{target[1:].split('^')[0]}"
        if target.startswith("mailto:"):
            return label or target[len("mailto:"):]
        return f"{label} ({target})" if label and label != target else target

    return html.unescape(_MARKUP_RE.sub(replace, text))


def _message(raw: object, channel: str, users: Mapping[str, str], path: Path) -> SlackMessage:
    item = require_mapping(raw, "message")
    ts = optional_str(item.get("ts"))
    if not ts:
        raise RowError("missing required field: ts")
    if not _TS_RE.match(ts):
        raise RowError(f"ts {ts!r} is not Slack's epoch-seconds id (e.g. 1776000000.000100)")
    profile = item.get("user_profile") if isinstance(item.get("user_profile"), Mapping) else {}
    user = optional_str(item.get("user")) or optional_str(item.get("bot_id"))
    real_name = (
        optional_str(profile.get("real_name"))
        or users.get(user, "")
        or optional_str(item.get("username"))
    )
    return SlackMessage(
        channel=channel,
        ts=ts,
        user=user,
        real_name=real_name,
        text=slack_markup_to_text(optional_str(item.get("text")), users),
        at=field_timestamp(ts, "ts"),
        source_file=str(path),
    )


def parse_slack_day(path: Path, data: object, resolver: AccountResolver) -> ParseResult:
    """Parse one day file of a channel folder into :class:`SlackMessage` records."""
    channel = path.parent.name
    if resolver.by_slack_channel(channel) is None:
        err = unresolved_account(resolver, "slack_channel", channel, "channel")
        return ParseResult(quarantine=[entry(path, "", err.reason, err.action)])
    if not isinstance(data, list):
        reason = "a Slack day file must be a list of messages"
        return ParseResult(quarantine=[entry(path, "", reason)])
    users = export_users(path.parent.parent)
    result = ParseResult()
    guard = DuplicateGuard()
    for index, raw in enumerate(data):
        row = f"[{index}]"
        try:
            ts = optional_str(raw.get("ts")) if isinstance(raw, Mapping) else ""
            if ts:
                row = ts
                if guard.check(ts, raw, f"[{index}]") == "same":
                    continue
            result.slack_messages.append(_message(raw, channel, users, path))
        except ValidationError as exc:
            result.quarantine.append(entry(path, row, describe_validation_error(exc)))
        except RowError as err:
            result.quarantine.append(entry(path, row, err.reason, err.action))
        except Exception as exc:
            result.quarantine.append(unexpected(path, row, exc))
    result.slack_messages.sort(key=lambda m: (m.at, m.ts))
    return result


class SlackDayIngestor:
    """``<channel>/<YYYY-MM-DD>.json`` files holding a list of messages."""

    name = "slack"

    def matches(self, path: Path, data: object | None) -> bool:
        return (
            path.suffix.lower() == ".json"
            and bool(_DAY_RE.match(path.stem))
            and isinstance(data, list)
        )

    def parse(self, path: Path, data: object | None, resolver: AccountResolver) -> ParseResult:
        return parse_slack_day(path, data, resolver)


class SlackExportMetaIngestor:
    """The export's ``channels.json``/``users.json`` (…): read by the day parser, no records."""

    name = "slack-export-meta"

    def matches(self, path: Path, data: object | None) -> bool:
        return path.name.lower() in EXPORT_META_FILES and isinstance(data, list)

    def parse(self, path: Path, data: object | None, resolver: AccountResolver) -> ParseResult:
        items = data if isinstance(data, list) else []
        bad = [i for i, item in enumerate(items) if not isinstance(item, Mapping)]
        return ParseResult(quarantine=[
            entry(path, f"[{i}]", "expected an object (a Slack user or channel)") for i in bad
        ])
