"""CSV tickets and comments: header detection, line numbers, attach_comments, quarantine."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import utc

from copilot.ingest import AccountResolver, ParseResult, attach_comments, detect, load_file

HEADER = ("ticket_id,customer,subject,description,priority,status,created_at,updated_at,"
          "resolved_at,component,version,region,requester,assignee,tags\n")
TICKETS = HEADER + (
    # line 2
    'INC0012345,Northwind Freight Ltd,Nightly export stalls,"Stalls at 02:00, ""batch"" 7",2 - High,'
    "Resolved,2026-05-02T08:00:00Z,2026-05-02T12:00:00Z,2026-05-02T11:30:00+01:00,exports,v5.2.1,"
    "eu-west-1,Dana Reyes,Sam Okafor,exports;sev-review\n"
    # line 3
    "INC0012346,contoso,Login slow,,Sev3,In Progress,2026-05-03T08:00:00Z,,,,,,,,"
    "version:4.9.0; region:us-east-1 ;component:auth\n"
    # line 4
    "INC0012347,Fabrikam,Unknown customer,,P2,New,2026-05-03T08:00:00Z,,,,,,,,\n"
    # line 5
    "INC0012348,Northwind,Bad priority,,5 - Planning,New,2026-05-03T08:00:00Z,,,,,,,,\n"
    # line 6
    "INC0012349,Northwind,Naive time,,P2,New,2026-05-03 08:00:00,,,,,,,,\n"
    # line 7
    ",Northwind,Missing id,,P2,,2026-05-03T08:00:00Z,,,,,,,,\n"
    # line 8: identical duplicate of line 2 -> merged silently
    'INC0012345,Northwind Freight Ltd,Nightly export stalls,"Stalls at 02:00, ""batch"" 7",2 - High,'
    "Resolved,2026-05-02T08:00:00Z,2026-05-02T12:00:00Z,2026-05-02T11:30:00+01:00,exports,v5.2.1,"
    "eu-west-1,Dana Reyes,Sam Okafor,exports;sev-review\n"
    # line 9: conflicting duplicate of line 3
    "INC0012346,contoso,Login slow (edited),,Sev3,In Progress,2026-05-03T08:00:00Z,,,,,,,,\n"
    "\n"  # line 10: blank, skipped
    # lines 11-12: a quoted multi-line description
    'INC0012350,NWF,Multi-line,"first line\nsecond line",normal,pending,2026-05-04T08:00:00Z,,,,,,,,\n'
    # line 13
    "INC0012351,Northwind,Too many fields,,P2,New,2026-05-04T08:00:00Z,,,,,,,,,extra\n"
    # line 14
    "INC0012352,Northwind,Bad resolved,,P3,Closed,2026-05-04T08:00:00Z,,yesterday,,,,,,\n"
)

COMMENTS = (
    "ticket_id,comment_id,author,author_role,public,created_at,body\n"
    "INC0012345,1,Dana Reyes,customer,true,2026-05-02T08:05:00Z,Still stalled\n"  # line 2
    "INC0012345,2,Sam Okafor,agent,false,2026-05-02T08:10:00Z,internal: paging\n"  # line 3
    "INC0012345,3,Sam Okafor,Agent,TRUE,2026-05-02T09:40:00+01:00,Restarted the job\n"  # line 4
    "INC0012345,4,Sam Okafor,robot,true,2026-05-02T08:50:00Z,x\n"  # line 5
    "INC0012345,5,Sam Okafor,agent,maybe,2026-05-02T08:50:00Z,x\n"  # line 6
    "INC0099999,1,Sam Okafor,agent,true,2026-05-02T08:50:00Z,for a ticket nobody has\n"  # line 7
    "INC0012345,3,Sam Okafor,agent,true,2026-05-02T08:40:00Z,Different body\n"  # line 8
    "INC0012346,1,Lee,agent,true,2026-05-03T08:20:00Z,\n"  # line 9: empty body
)


def _parse(tmp_path: Path, name: str, text: str | bytes, resolver: AccountResolver) -> tuple[Path, ParseResult]:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    data, error = load_file(path)
    ingestor = detect(path, data)
    assert ingestor is not None and ingestor.name == "csv"
    return path, ingestor.parse(path, data, resolver)


def test_tickets_csv(tmp_path: Path, resolver: AccountResolver) -> None:
    path, result = _parse(tmp_path, "tickets.csv", TICKETS, resolver)
    assert [(t.id, t.account_id, t.priority, t.status) for t in result.tickets] == [
        ("INC0012345", "northwind", "P2", "solved"),
        ("INC0012346", "contoso", "P3", "open"),
        ("INC0012350", "northwind", "P3", "pending"),
    ]
    t = result.tickets[0]
    assert (t.source, t.source_file) == ("csv", str(path))
    assert t.description == 'Stalls at 02:00, "batch" 7'
    assert (t.product_version, t.component, t.region) == ("5.2.1", "exports", "eu-west-1")
    assert t.tags == ["exports", "sev-review"]
    assert (t.requester, t.assignee) == ("Dana Reyes", "Sam Okafor")
    assert (t.created_at, t.updated_at, t.resolved_at) == (
        utc("2026-05-02 08:00"), utc("2026-05-02 12:00"), utc("2026-05-02 10:30"))
    assert t.first_response_at is None  # comments come from the comments CSV
    c = result.tickets[1]
    assert (c.product_version, c.component, c.region) == ("4.9.0", "auth", "us-east-1")
    assert result.tickets[2].description == "first line\nsecond line"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("line 4", "unknown account: customer 'Fabrikam' is not in any account plan's "
                   "account.name / account.aliases / mappings.csv_customer_names"),
        ("line 5", "unknown priority '5 - Planning'"),
        ("line 6", "created_at: timestamp '2026-05-03 08:00:00' has no timezone"),
        ("line 7", "missing required fields: ticket_id, status"),
        ("line 9", "duplicate id INC0012346 with content different from its first occurrence at line 3"),
        ("line 13", "row has 16 fields, the header has 15"),
        ("line 14", "resolved_at: unparseable timestamp 'yesterday'"),
    ],
)
def test_tickets_csv_bad_rows(tmp_path: Path, resolver: AccountResolver, row: str, reason: str) -> None:
    path, result = _parse(tmp_path, "tickets.csv", TICKETS, resolver)
    matches = [q for q in result.quarantine if q.row == row]
    assert len(matches) == 1, result.quarantine
    assert matches[0].file == str(path)
    assert reason in matches[0].reason
    assert [q.row for q in result.quarantine] == [
        "line 4", "line 5", "line 6", "line 7", "line 9", "line 13", "line 14"]


def test_comments_csv_and_attach(tmp_path: Path, resolver: AccountResolver) -> None:
    _, tickets = _parse(tmp_path, "tickets.csv", TICKETS, resolver)
    path, result = _parse(tmp_path, "comments.csv", COMMENTS, resolver)
    assert result.tickets == []
    assert [(c.id, c.ticket_id, c.author_role, c.public) for c in result.csv_comments] == [
        ("INC0012345-c1", "INC0012345", "customer", True),
        ("INC0012345-c2", "INC0012345", "agent", False),
        ("INC0012345-c3", "INC0012345", "agent", True),
        ("INC0099999-c1", "INC0099999", "agent", True),
    ]
    assert [(q.row, q.reason) for q in result.quarantine] == [
        ("line 5", "author_role is 'robot'; accepted: agent, customer, system"),
        ("line 6", "public is 'maybe'; accepted: true/false (also yes/no, 1/0)"),
        ("line 8", "duplicate id INC0012345-c3 with content different from its first occurrence "
                   "at line 4; the first occurrence stands, this one is refused"),
        ("line 9", "missing required field: body"),
    ]

    updated, quarantine = attach_comments(tickets.tickets, result.csv_comments, file=str(path))
    assert [t.id for t in updated] == ["INC0012345", "INC0012346", "INC0012350"]
    export = updated[0]
    assert [c.id for c in export.comments] == ["INC0012345-c1", "INC0012345-c2", "INC0012345-c3"]
    assert export.first_response_at == utc("2026-05-02 08:40")  # c2 is internal
    assert updated[1] is tickets.tickets[1]  # untouched
    assert [(q.file, q.row) for q in quarantine] == [(str(path), "INC0099999-c1")]
    assert "references ticket INC0099999, which no ingested ticket has" in quarantine[0].reason


def test_attach_comments_merges_identical_and_refuses_conflicts(tmp_path: Path, resolver: AccountResolver) -> None:
    _, tickets = _parse(tmp_path, "tickets.csv", TICKETS, resolver)
    _, comments = _parse(tmp_path, "comments.csv", COMMENTS, resolver)
    once, _ = attach_comments(tickets.tickets, comments.csv_comments, file="c.csv")
    changed = comments.csv_comments[0].model_copy(update={"body": "edited"})
    twice, quarantine = attach_comments(once, [comments.csv_comments[1], changed], file="c2.csv")
    assert twice[0].comments == once[0].comments
    assert [(q.file, q.row) for q in quarantine] == [("c2.csv", "INC0012345-c1")]
    assert "already holds; kept the existing one" in quarantine[0].reason


@pytest.mark.parametrize(
    ("content", "row", "reason"),
    [
        ("ticket_id,subject\nINC1,x\n", "line 1",
         "header lacks required tickets columns: customer, priority, status, created_at"),
        ("ticket_id,comment_id,body\nINC1,1,x\n", "line 1",
         "header lacks required comments columns: author, author_role, public, created_at"),
        (HEADER.replace("assignee", "requester"), "line 1", "header repeats columns: requester"),
        (HEADER.replace("subject", "customer"), "line 1",
         "header lacks required tickets columns: subject; header repeats columns: customer"),
        (b"ticket_id,customer\nINC1,Caf\xe9\n", "", "not valid UTF-8: byte 0xE9 at byte offset 27 (line 2)"),
        ("", "", "file is empty"),
    ],
)
def test_unreadable_csv_quarantined_whole(tmp_path: Path, resolver: AccountResolver,
                                          content: str | bytes, row: str, reason: str) -> None:
    path, result = _parse(tmp_path, "x.csv", content, resolver)
    assert result.tickets == [] and result.csv_comments == []
    [entry] = result.quarantine
    assert (entry.file, entry.row) == (str(path), row)
    assert entry.reason.startswith(reason), entry.reason


def test_bom_header_from_excel(tmp_path: Path, resolver: AccountResolver) -> None:
    text = "\ufeff" + HEADER + "INC1,Northwind,Subject,,P1,Open,2026-05-04T08:00:00Z,,,,,,,,\n"
    _, result = _parse(tmp_path, "excel.csv", text, resolver)
    assert [t.id for t in result.tickets] == ["INC1"] and result.quarantine == []
