"""Zendesk export: tickets with comments, environment tags, first response; bad rows quarantined."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import utc, write_json

from copilot.ingest import AccountResolver, ParseResult, detect, load_file


def _ticket(id_: int, **over: Any) -> dict[str, Any]:
    base = {"id": id_, "subject": f"Ticket {id_}", "description": "Label API 504s since 09:00",
            "priority": "high", "status": "open", "type": "incident", "tags": [],
            "organization_id": 360001, "requester_id": 11, "assignee_id": 21,
            "created_at": "2026-04-12T09:14:00Z", "updated_at": "2026-04-12T11:00:00Z"}
    base.update(over)
    return base


EXPORT: dict[str, Any] = {
    "tickets": [
        _ticket(4123, priority="urgent", tags=["label-api", "v5.2.1", "component:label-api",
                                               "region:eu-west-1"],
                solved_at="2026-04-12T15:00:00+02:00"),
        _ticket(4124, organization_id=360009),
        _ticket(4125, priority="asap"),
        _ticket(4126, created_at="2026-04-12T09:14:00"),
        _ticket(4127, subject=""),
        _ticket(4123, priority="urgent", tags=["label-api", "v5.2.1", "component:label-api",
                                               "region:eu-west-1"],
                solved_at="2026-04-12T15:00:00+02:00"),  # identical duplicate: merged
        _ticket(4128, tags=["version:4.9.0"]),
        _ticket(4128, subject="Changed subject"),  # conflicting duplicate
        _ticket(5000, organization_id=360002, priority="low", status="hold", requester_id=99),
        {"subject": "no id"},
    ],
    "users": [
        {"id": 11, "name": "Dana Reyes", "email": "dana.reyes@northwindfreight.com", "role": "end-user"},
        {"id": 21, "name": "Sam Okafor", "email": "sam@ourco.example", "role": "agent"},
        {"id": 22, "name": "Lee Admin", "email": "lee@ourco.example", "role": "admin"},
    ],
    "organizations": [{"id": 360001, "name": "Northwind Freight"}, {"id": 360009, "name": "Fabrikam"}],
    "comments": {
        "4123": [
            {"id": 9001, "author_id": 11, "body": "Label API returns 504", "public": True,
             "created_at": "2026-04-12T09:14:00Z"},
            {"id": 9003, "author_id": 22, "body": "We are on it", "public": True,
             "created_at": "2026-04-12T11:31:00+02:00"},
            {"id": 9002, "author_id": 21, "body": "internal: paging SRE", "public": False,
             "created_at": "2026-04-12T09:20:00Z"},
            {"id": 9004, "author_id": 21, "body": "no tz", "public": True,
             "created_at": "2026-04-12 10:00:00"},
        ],
        "4128": [{"id": 1, "author_id": 11, "body": "hi", "public": True,
                  "created_at": "2026-04-12T09:15:00Z"}],
        "9999": [{"id": 5, "author_id": 11, "body": "orphan", "public": True,
                  "created_at": "2026-04-12T09:15:00Z"}],
    },
}


@pytest.fixture
def parsed(tmp_path: Path, resolver: AccountResolver) -> tuple[Path, ParseResult]:
    path = write_json(tmp_path / "zendesk" / "export.json", EXPORT)
    data, error = load_file(path)
    assert error is None
    ingestor = detect(path, data)
    assert ingestor is not None and ingestor.name == "zendesk"
    return path, ingestor.parse(path, data, resolver)


def test_good_tickets_parse(parsed: tuple[Path, ParseResult]) -> None:
    path, result = parsed
    assert [(t.id, t.account_id, t.priority, t.status) for t in result.tickets] == [
        ("ZD-4123", "northwind", "P1", "open"),
        ("ZD-4128", "northwind", "P2", "open"),
        ("ZD-5000", "contoso", "P4", "on_hold"),
    ]
    t = result.tickets[0]
    assert (t.source, t.source_file, t.subject, t.type) == ("zendesk", str(path), "Ticket 4123", "incident")
    assert (t.product_version, t.component, t.region) == ("5.2.1", "label-api", "eu-west-1")
    assert (t.requester, t.assignee) == ("Dana Reyes", "Sam Okafor")
    assert t.created_at == utc("2026-04-12 09:14")
    assert t.updated_at == utc("2026-04-12 11:00")
    assert t.resolved_at == utc("2026-04-12 13:00")
    # 9002 is the earliest agent comment but internal; 9003 (admin, 11:31+02:00) is the first public one
    assert t.first_response_at == utc("2026-04-12 09:31")
    assert [(c.id, c.author, c.author_role, c.public) for c in t.comments] == [
        ("ZD-4123-c9001", "Dana Reyes", "customer", True),
        ("ZD-4123-c9002", "Sam Okafor", "agent", False),
        ("ZD-4123-c9003", "Lee Admin", "agent", True),
    ]
    assert result.tickets[1].product_version == "4.9.0"
    assert result.tickets[1].first_response_at is None  # only a customer comment
    assert result.tickets[2].requester == ""  # user 99 not side-loaded: no invented name


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("ZD-4124", "unknown account: organization_id 360009 (organization 'Fabrikam') is not in any "
                    "account plan's mappings.zendesk_organization_ids"),
        ("ZD-4125", "unknown priority 'asap'; accepted: P1-P4"),
        ("ZD-4126", "created_at: timestamp '2026-04-12T09:14:00' has no timezone"),
        ("ZD-4127", "missing required field: subject"),
        ("ZD-4128", "duplicate id ZD-4128 with content different from its first occurrence at tickets[6]"),
        ("tickets[9]", "missing required fields: id, priority, status, created_at, organization_id"),
        ("ZD-4123-c9004", "created_at: timestamp '2026-04-12 10:00:00' has no timezone"),
        ('comments["9999"]', "comments reference ticket 9999, which is not in this file's tickets"),
    ],
)
def test_bad_rows_quarantined(parsed: tuple[Path, ParseResult], row: str, reason: str) -> None:
    path, result = parsed
    matches = [q for q in result.quarantine if q.row == row]
    assert len(matches) == 1, result.quarantine
    assert matches[0].file == str(path)
    assert reason in matches[0].reason
    assert matches[0].action


def test_quarantine_is_exactly_the_bad_rows(parsed: tuple[Path, ParseResult]) -> None:
    _, result = parsed
    assert [q.row for q in result.quarantine] == [
        "ZD-4124", "ZD-4125", "ZD-4126", "ZD-4127", "ZD-4128", "tickets[9]", "ZD-4123-c9004",
        'comments["9999"]',
    ]


def test_unknown_org_action_names_the_mapping(parsed: tuple[Path, ParseResult]) -> None:
    _, result = parsed
    [entry] = [q for q in result.quarantine if q.row == "ZD-4124"]
    assert entry.action == ("add 360009 to mappings.zendesk_organization_ids of the account plan it "
                            "belongs to, then re-ingest")


def test_comment_public_must_be_boolean(tmp_path: Path, resolver: AccountResolver) -> None:
    export = copy.deepcopy({"tickets": [_ticket(1)], "users": [], "comments": {
        "1": [{"id": 7, "author_id": 1, "body": "x", "public": "false",
               "created_at": "2026-04-12T09:15:00Z"}]}})
    path = write_json(tmp_path / "z.json", export)
    result = detect(path, export).parse(path, export, resolver)  # type: ignore[union-attr]
    assert [t.id for t in result.tickets] == ["ZD-1"]
    assert [(q.row, q.reason) for q in result.quarantine] == [
        ("ZD-1-c7", "public is 'false', expected true or false")]
