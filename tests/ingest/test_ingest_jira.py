"""Jira search export: ADF/plain text, priorities, statuses, comment roles; bad issues quarantined."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import utc, write_json

from copilot.ingest import AccountResolver, ParseResult, detect, load_file
from copilot.ingest.adf import adf_to_text, rich_text


def _doc(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "doc", "version": 1, "content": list(content)}


def _p(*inline: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "content": list(inline)}


def _t(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "text", "text": text, **extra}


def _item(text: str) -> dict[str, Any]:
    return {"type": "listItem", "content": [_p(_t(text))]}


ADF_DESCRIPTION = _doc(
    {"type": "heading", "attrs": {"level": 2}, "content": [_t("Impact")]},
    _p(_t("Label API returns "), _t("504", marks=[{"type": "strong"}]), _t(" for "),
       {"type": "mention", "attrs": {"id": "abc", "text": "@Dana Reyes"}},
       {"type": "hardBreak"}, _t("since 09:00 UTC")),
    {"type": "bulletList", "content": [_item("eu-west-1 only"), _item("request id req-7f3a")]},
    {"type": "orderedList", "content": [_item("POST /labels"), _item("wait 30 s")]},
    {"type": "codeBlock", "attrs": {"language": "text"}, "content": [_t("HTTP 504 upstream timeout")]},
    _p({"type": "inlineCard", "attrs": {"url": "https://status.example.com/inc/1"}}),
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ADF_DESCRIPTION,
         "Impact\n\nLabel API returns 504 for @Dana Reyes\nsince 09:00 UTC\n\n"
         "- eu-west-1 only\n- request id req-7f3a\n\n1. POST /labels\n2. wait 30 s\n\n"
         "HTTP 504 upstream timeout\n\nhttps://status.example.com/inc/1"),
        (_doc(_p(_t("plain")), _p(), _p(_t("two"))), "plain\n\ntwo"),
        (_doc({"type": "table", "content": [
            {"type": "tableRow", "content": [
                {"type": "tableHeader", "content": [_p(_t("host"))]},
                {"type": "tableHeader", "content": [_p(_t("errors"))]}]},
            {"type": "tableRow", "content": [
                {"type": "tableCell", "content": [_p(_t("lb-1"))]},
                {"type": "tableCell", "content": [_p(_t("42"))]}]}]}),
         "host | errors\nlb-1 | 42"),
        (_doc({"type": "blockquote", "content": [_p(_t("quoted"))]}), "> quoted"),
        ("  plain text description ", "plain text description"),
        (None, ""),
    ],
)
def test_rich_text(value: object, expected: str) -> None:
    assert rich_text(value) == expected


def test_adf_unknown_nodes_keep_their_text() -> None:
    assert adf_to_text(_doc({"type": "panel", "content": [_p(_t("note"))]},
                            {"type": "futureNode", "content": [_t("kept")]})) == "note\n\nkept"


def _issue(key: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "summary": f"Issue {key}", "description": "plain description",
        "priority": {"name": "High"}, "status": {"name": "Open"},
        "created": "2026-04-12T09:14:00.000+0000", "updated": "2026-04-12T10:00:00.000+0000",
        "resolutiondate": None, "labels": [], "components": [], "versions": [],
        "issuetype": {"name": "Bug"},
        "reporter": {"displayName": "Dana Reyes"}, "assignee": None,
        "comment": {"comments": []},
    }
    base.update(fields)
    return {"key": key, "fields": base}


def _comment(id_: str, name: str, created: str, body: object, email: str | None = None,
             **extra: Any) -> dict[str, Any]:
    author = {"displayName": name, **({"emailAddress": email} if email else {})}
    return {"id": id_, "author": author, "body": body, "created": created, **extra}


SEARCH: dict[str, Any] = {"issues": [
    _issue("NWF-101", description=ADF_DESCRIPTION, priority={"name": "Highest"},
           status={"name": "Waiting for customer"}, labels=["region:eu-west-1", "v5.1.0"],
           components=[{"name": "label-api"}, {"name": "gateway"}], versions=[{"name": "5.2.1"}],
           assignee={"displayName": "Sam Okafor"},
           comment={"comments": [
               _comment("10001", "Dana Reyes", "2026-04-12T09:20:00.000+0000", "Still failing",
                        "dana.reyes@northwindfreight.com"),
               _comment("10002", "Priya Shah", "2026-04-12T09:45:00.000+0000",
                        _doc(_p(_t("internal note"))), "priya@ourco.example", jsdPublic=False),
               _comment("10003", "Sam Okafor", "2026-04-12T12:05:00.000+0200", "Looking now"),
               _comment("10005", "Dana Reyes", "2026-04-12T10:30:00.000+0000", "Thanks"),
               _comment("10004", "Sam Okafor", "2026-04-12T10:40:00.000", "naive"),
           ]}),
    _issue("NWF-102", priority={"name": "Sev2"},
           status={"name": "Triage", "statusCategory": {"key": "indeterminate"}}),
    _issue("NWF-103", status={"name": "Weird", "statusCategory": {"key": "unknown"}}),
    _issue("ACME-1"),
    _issue("NWF-104", priority={"name": "Urgent-ish"}),
    _issue("NWF-105", created="2026-04-12T09:14:00.000"),
    _issue("CON-7", priority={"name": "Blocker"}, status={"name": "Done"},
           resolutiondate="2026-04-13T08:00:00.000+0000",
           labels=["version:4.8.2", "component:exports"]),
    _issue("NWF-102", priority={"name": "Low"}),
    {"key": "not a key", "fields": {}},
    _issue("NWF-106", priority=None),
]}


@pytest.fixture
def parsed(tmp_path: Path, resolver: AccountResolver) -> tuple[Path, ParseResult]:
    path = write_json(tmp_path / "jira" / "search.json", SEARCH)
    data, error = load_file(path)
    assert error is None
    ingestor = detect(path, data)
    assert ingestor is not None and ingestor.name == "jira"
    return path, ingestor.parse(path, data, resolver)


def test_good_issues_parse(parsed: tuple[Path, ParseResult]) -> None:
    path, result = parsed
    assert [(t.id, t.account_id, t.priority, t.status) for t in result.tickets] == [
        ("NWF-101", "northwind", "P1", "pending"),
        ("NWF-102", "northwind", "P2", "open"),
        ("CON-7", "contoso", "P1", "solved"),
    ]
    t = result.tickets[0]
    assert t.source == "jira" and t.source_file == str(path)
    assert t.description.startswith("Impact\n\nLabel API returns 504 for @Dana Reyes\n")
    assert (t.product_version, t.component, t.region) == ("5.2.1", "label-api", "eu-west-1")
    assert (t.requester, t.assignee, t.type) == ("Dana Reyes", "Sam Okafor", "Bug")
    assert t.created_at == utc("2026-04-12 09:14")
    assert t.resolved_at is None
    assert [(c.id, c.author_role, c.public, c.body) for c in t.comments] == [
        ("NWF-101-c10001", "customer", True, "Still failing"),   # email in northwindfreight.com
        ("NWF-101-c10002", "agent", False, "internal note"),     # jsdPublic false, ADF body
        ("NWF-101-c10003", "agent", True, "Looking now"),        # no email, not a customer stakeholder
        ("NWF-101-c10005", "customer", True, "Thanks"),          # no email, customer stakeholder
    ]
    assert t.comments[2].created_at == utc("2026-04-12 10:05")
    assert t.first_response_at == utc("2026-04-12 10:05")
    con = result.tickets[2]
    assert (con.product_version, con.component) == ("4.8.2", "exports")
    assert con.resolved_at == utc("2026-04-13 08:00")
    assert con.first_response_at is None


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("NWF-103", "unknown status 'Weird'"),
        ("ACME-1", "unknown account: project key 'ACME' is not in any account plan's "
                   "mappings.jira_project_keys"),
        ("NWF-104", "unknown priority 'Urgent-ish'"),
        ("NWF-105", "fields.created: timestamp '2026-04-12T09:14:00.000' has no timezone"),
        ("NWF-102", "duplicate id NWF-102 with content different from its first occurrence at issues[1]"),
        ("issues[8]", "key 'not a key' is not a Jira issue key"),
        ("NWF-106", "missing required field: fields.priority.name"),
        ("NWF-101-c10004", "created: timestamp '2026-04-12T10:40:00.000' has no timezone"),
    ],
)
def test_bad_rows_quarantined(parsed: tuple[Path, ParseResult], row: str, reason: str) -> None:
    path, result = parsed
    matches = [q for q in result.quarantine if q.row == row]
    assert len(matches) == 1, result.quarantine
    assert matches[0].file == str(path)
    assert reason in matches[0].reason


def test_quarantine_is_exactly_the_bad_rows(parsed: tuple[Path, ParseResult]) -> None:
    _, result = parsed
    assert sorted(q.row for q in result.quarantine) == sorted([
        "NWF-103", "ACME-1", "NWF-104", "NWF-105", "NWF-102", "issues[8]", "NWF-106", "NWF-101-c10004"])


def test_identical_duplicate_issue_is_merged(tmp_path: Path, resolver: AccountResolver) -> None:
    data = {"issues": [_issue("NWF-1"), _issue("NWF-1")]}
    path = write_json(tmp_path / "dup.json", data)
    result = detect(path, data).parse(path, data, resolver)  # type: ignore[union-attr]
    assert [t.id for t in result.tickets] == ["NWF-1"] and result.quarantine == []
