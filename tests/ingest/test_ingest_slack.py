"""Slack export day files: names from users.json, markup to text, UTC times, quarantine."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import write_json

from copilot.ingest import AccountResolver, ParseResult, detect, load_file
from copilot.ingest.slack import slack_markup_to_text

MESSAGES: list[dict[str, Any]] = [
    {"type": "message", "user": "U1", "ts": "1776000000.000100",
     "text": "Paging <@U2>: 504s on <https://status.example.com|status page> &amp; rising",
     "user_profile": {"real_name": "Sam Okafor"}},
    {"type": "message", "user": "U2", "ts": "1775999000.000200", "text": "Seeing it too"},
    {"type": "message", "user": "U1", "text": "no ts"},
    {"type": "message", "user": "U1", "ts": "yesterday", "text": "bad ts"},
    {"type": "message", "user": "U1", "ts": "1776000000.000100",
     "text": "Paging <@U2>: 504s on <https://status.example.com|status page> &amp; rising",
     "user_profile": {"real_name": "Sam Okafor"}},  # identical duplicate: merged
    {"type": "message", "user": "U1", "ts": "1776000000.000100", "text": "edited text"},
    {"type": "message", "subtype": "bot_message", "bot_id": "B1", "username": "PagerDuty",
     "ts": "1776000100.000000", "text": "Triggered <!here>"},
    "not a message",
]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    root = tmp_path / "slack"
    write_json(root / "channels.json", [{"id": "C1", "name": "inc-northwind-0412"}])
    write_json(root / "users.json", [
        {"id": "U1", "name": "sam", "real_name": "Sam Okafor"},
        {"id": "U2", "name": "dana", "profile": {"real_name": "Dana Reyes"}},
    ])
    write_json(root / "inc-northwind-0412" / "2026-04-12.json", MESSAGES)
    write_json(root / "inc-unmapped" / "2026-04-12.json", MESSAGES[:1])
    return root


def _parse(path: Path, resolver: AccountResolver) -> ParseResult:
    data, error = load_file(path)
    assert error is None
    ingestor = detect(path, data)
    assert ingestor is not None
    return ingestor.parse(path, data, resolver)


def _utc(h: int, m: int, s: int, us: int = 0) -> datetime:
    return datetime(2026, 4, 12, h, m, s, us, tzinfo=timezone.utc)


def test_day_file_messages(export: Path, resolver: AccountResolver) -> None:
    path = export / "inc-northwind-0412" / "2026-04-12.json"
    result = _parse(path, resolver)
    assert [(m.channel, m.ts, m.user, m.real_name, m.text, m.at) for m in result.slack_messages] == [
        ("inc-northwind-0412", "1775999000.000200", "U2", "Dana Reyes", "Seeing it too",
         _utc(13, 3, 20, 200)),
        ("inc-northwind-0412", "1776000000.000100", "U1", "Sam Okafor",
         "Paging @Dana Reyes: 504s on status page (https://status.example.com) & rising",
         _utc(13, 20, 0, 100)),
        ("inc-northwind-0412", "1776000100.000000", "B1", "PagerDuty", "Triggered @here",
         _utc(13, 21, 40)),
    ]
    assert all(m.source_file == str(path) for m in result.slack_messages)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("[2]", "missing required field: ts"),
        ("yesterday", "ts 'yesterday' is not Slack's epoch-seconds id"),
        ("1776000000.000100", "duplicate id 1776000000.000100 with content different from its first "
                              "occurrence at [0]"),
        ("[7]", "message is str, expected an object"),
    ],
)
def test_day_file_bad_messages(export: Path, resolver: AccountResolver, row: str, reason: str) -> None:
    result = _parse(export / "inc-northwind-0412" / "2026-04-12.json", resolver)
    assert [q.row for q in result.quarantine] == ["[2]", "yesterday", "1776000000.000100", "[7]"]
    [entry] = [q for q in result.quarantine if q.row == row]
    assert reason in entry.reason


def test_unmapped_channel_quarantined_whole(export: Path, resolver: AccountResolver) -> None:
    path = export / "inc-unmapped" / "2026-04-12.json"
    result = _parse(path, resolver)
    assert result.slack_messages == []
    [entry] = result.quarantine
    assert (entry.file, entry.row) == (str(path), "")
    assert entry.reason == ("unknown account: channel 'inc-unmapped' is not in any account plan's "
                            "mappings.slack_channels")
    assert "add 'inc-unmapped' to mappings.slack_channels" in entry.action


@pytest.mark.parametrize("name", ["channels.json", "users.json"])
def test_export_meta_files_yield_nothing(export: Path, resolver: AccountResolver, name: str) -> None:
    result = _parse(export / name, resolver)
    assert result.record_count == 0 and result.quarantine == []


def test_day_file_without_users_json(tmp_path: Path, resolver: AccountResolver) -> None:
    path = write_json(tmp_path / "inc-northwind-0412" / "2026-04-13.json",
                      [{"user": "U9", "ts": "1776000000", "text": "hi <@U9>"}])
    [message] = _parse(path, resolver).slack_messages
    assert (message.real_name, message.text) == ("", "hi @U9")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U1> and <@U3|bob>", "@Sam and @bob"),
        ("see <#C1|inc-x>", "see #inc-x"),
        ("<!channel> <!subteam^S1|@sre>", "@channel @sre"),
        ("<https://x.example/a>", "https://x.example/a"),
        ("<mailto:a@b.example|a@b.example>", "a@b.example"),
        ("1 &lt; 2 &amp;&amp; 3 &gt; 2", "1 < 2 && 3 > 2"),
    ],
)
def test_slack_markup_to_text(text: str, expected: str) -> None:
    assert slack_markup_to_text(text, {"U1": "Sam"}) == expected
