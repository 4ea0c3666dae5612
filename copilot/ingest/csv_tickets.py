"""CSV tickets and CSV comments (ServiceNow or spreadsheet exports), told apart by header.

Tickets: ``ticket_id,customer,subject,description,priority,status,created_at,updated_at,
resolved_at,component,version,region,requester,assignee,tags`` (required: ticket_id,
customer, subject, priority, status, created_at; also optional ``type`` and
``first_response_at``). Comments: ``ticket_id,comment_id,author,author_role,public,
created_at,body``; their tickets live in another file, so the pipeline attaches them with
:func:`attach_comments` once every ticket is parsed. Rows are reported as ``line N``
(the physical line where the record starts; the header is line 1).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import ValidationError

from copilot.ingest.base import AccountResolver, ParseResult
from copilot.ingest.files import FileProblem, read_text
from copilot.ingest.rows import (
    DuplicateGuard,
    RowError,
    describe_validation_error,
    entry,
    field_timestamp,
    optional_str,
    optional_timestamp,
    require_fields,
    unexpected,
    unresolved_account,
)
from copilot.ingest.severity import normalize_priority, normalize_status
from copilot.ingest.ticket_fields import environment_from_tags, first_response_at, normalize_version
from copilot.records.models import Comment, QuarantineEntry, Ticket

__all__ = [
    "COMMENT_COLUMNS",
    "TICKET_REQUIRED_COLUMNS",
    "CsvIngestor",
    "attach_comments",
    "keep_stored_comments",
    "parse_csv",
]

TICKET_REQUIRED_COLUMNS = ["ticket_id", "customer", "subject", "priority", "status", "created_at"]
COMMENT_COLUMNS = [
    "ticket_id", "comment_id", "author", "author_role", "public", "created_at", "body",
]
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}
_ROLES = ("agent", "customer", "system")


def _rows(text: str) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """``(line, values, None)`` per record, or ``(line, None, error)`` once and stop."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, None, f"unreadable CSV from here on: {exc}"
            return
        if any(v.strip() for v in values):
            yield line, values, None


def _bool(raw: str, name: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise RowError(f"{name} is {raw!r}; accepted: true/false (also yes/no, 1/0)")


def _ticket(row: dict[str, str], path: Path, resolver: AccountResolver) -> Ticket:
    require_fields(row, TICKET_REQUIRED_COLUMNS)
    ticket_id = row["ticket_id"].strip()
    if any(ch.isspace() for ch in ticket_id):
        raise RowError(f"ticket_id {ticket_id!r} contains whitespace")
    account_id = resolver.by_customer_name(row["customer"])
    if account_id is None:
        raise unresolved_account(resolver, "customer_name", row["customer"].strip(), "customer")
    try:
        priority = normalize_priority(row["priority"])
        status = normalize_status(row["status"])
    except ValueError as exc:
        raise RowError(str(exc)) from None
    tags = [t.strip() for t in (row.get("tags") or "").split(";") if t.strip()]
    env = environment_from_tags(tags)
    version = optional_str(row.get("version"))
    return Ticket(
        id=ticket_id,
        account_id=account_id,
        source="csv",
        source_file=str(path),
        subject=row["subject"].strip(),
        description=optional_str(row.get("description")),
        priority=priority,
        status=status,
        type=optional_str(row.get("type")),
        tags=tags,
        component=optional_str(row.get("component")) or env.component,
        product_version=normalize_version(version) if version else env.product_version,
        region=optional_str(row.get("region")) or env.region,
        requester=optional_str(row.get("requester")),
        assignee=optional_str(row.get("assignee")),
        created_at=field_timestamp(row["created_at"], "created_at"),
        updated_at=optional_timestamp(row.get("updated_at"), "updated_at"),
        first_response_at=optional_timestamp(row.get("first_response_at"), "first_response_at"),
        resolved_at=optional_timestamp(row.get("resolved_at"), "resolved_at"),
    )


def _comment(row: dict[str, str]) -> Comment:
    require_fields(row, COMMENT_COLUMNS)
    role = row["author_role"].strip().lower()
    if role not in _ROLES:
        raise RowError(f"author_role is {row['author_role']!r}; accepted: {', '.join(_ROLES)}")
    ticket_id = row["ticket_id"].strip()
    return Comment(
        id=f"{ticket_id}-c{row['comment_id'].strip()}",
        ticket_id=ticket_id,
        author=row["author"].strip(),
        author_role=role,  # type: ignore[arg-type]
        public=_bool(row["public"], "public"),
        created_at=field_timestamp(row["created_at"], "created_at"),
        body=row["body"].strip(),
    )


def _row_key(row: dict[str, str], is_comments: bool) -> str:
    ticket_id = (row.get("ticket_id") or "").strip()
    if not is_comments:
        return ticket_id
    comment_id = (row.get("comment_id") or "").strip()
    return f"{ticket_id}-c{comment_id}" if ticket_id and comment_id else ""


def parse_csv(path: Path, resolver: AccountResolver) -> ParseResult:
    """Parse a tickets CSV or a comments CSV (chosen by its header)."""
    try:
        text = read_text(path)
    except FileProblem as problem:
        return ParseResult(quarantine=[problem.entry(path)])
    rows = _rows(text)
    first = next(rows, None)
    if first is None or first[1] is None:
        return ParseResult(quarantine=[entry(path, "", first[2] if first else "no header row")])
    columns = [c.strip().lower() for c in first[1]]
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    is_comments = "comment_id" in columns
    required = COMMENT_COLUMNS if is_comments else TICKET_REQUIRED_COLUMNS
    missing = [c for c in required if c not in columns]
    if not is_comments and "ticket_id" not in columns:
        return ParseResult(quarantine=[entry(
            path, "line 1",
            f"header matches no known CSV format (found: {', '.join(c for c in columns if c) or 'nothing'})",
            f"use a tickets header ({', '.join(TICKET_REQUIRED_COLUMNS)}, …) or a comments header "
            f"({', '.join(COMMENT_COLUMNS)}) as documented in docs/formats.md (CSV tickets)")])
    if missing or dupes:
        kind = "comments" if is_comments else "tickets"
        problems = []
        if missing:
            problems.append(f"header lacks required {kind} columns: {', '.join(missing)}")
        if dupes:
            problems.append(f"header repeats columns: {', '.join(dupes)}")
        problem = "; ".join(problems)
        return ParseResult(quarantine=[entry(
            path, "line 1", problem,
            f"use the header documented in docs/formats.md (CSV tickets): {', '.join(required)}")])

    result = ParseResult()
    guard = DuplicateGuard()
    for line, values, error in rows:
        row_label = f"line {line}"
        if values is None:
            result.quarantine.append(entry(path, row_label, error or "unreadable CSV"))
            break
        try:
            if len(values) > len(columns):
                raise RowError(f"row has {len(values)} fields, the header has {len(columns)} "
                               "(an unquoted comma?)")
            row = dict(zip(columns, values + [""] * (len(columns) - len(values))))
            key = _row_key(row, is_comments)
            if key and guard.check(key, row, row_label) == "same":
                continue
            if is_comments:
                result.csv_comments.append(_comment(row))
            else:
                result.tickets.append(_ticket(row, path, resolver))
        except ValidationError as exc:
            result.quarantine.append(entry(path, row_label, describe_validation_error(exc)))
        except RowError as err:
            result.quarantine.append(entry(path, row_label, err.reason, err.action))
        except Exception as exc:
            result.quarantine.append(unexpected(path, row_label, exc))
    return result


def attach_comments(
    tickets: Sequence[Ticket], comments: Sequence[Comment], *, file: str
) -> tuple[list[Ticket], list[QuarantineEntry]]:
    """Attach comments (from the comments CSV ``file``) to the tickets they reference.

    Comments are matched by ``ticket_id`` against any ingested ticket. A comment whose
    ticket is unknown, or whose id the ticket already holds with different content, is
    quarantined; an identical repeat is merged. A ticket without ``first_response_at``
    gets the first public agent comment's time.

    Returns:
        All ``tickets`` in their order (changed ones replaced) and the quarantine entries.
    """
    by_id = {t.id: t for t in tickets}
    merged: dict[str, dict[str, Comment]] = {}
    quarantine: list[QuarantineEntry] = []
    for comment in comments:
        ticket = by_id.get(comment.ticket_id)
        if ticket is None:
            quarantine.append(entry(
                file, comment.id,
                f"comment references ticket {comment.ticket_id}, which no ingested ticket has",
                "ingest the file holding that ticket together with this one, or fix ticket_id",
            ))
            continue
        held = merged.setdefault(ticket.id, {c.id: c for c in ticket.comments})
        existing = held.get(comment.id)
        if existing is not None and existing != comment:
            quarantine.append(entry(
                file, comment.id,
                f"duplicate comment id {comment.id} with content different from the one "
                f"{ticket.id} already holds; kept the existing one",
                "remove or correct the conflicting duplicate in the source and re-ingest",
            ))
            continue
        held[comment.id] = comment
    updated: list[Ticket] = []
    for ticket in tickets:
        if ticket.id not in merged:
            updated.append(ticket)
            continue
        all_comments = sorted(merged[ticket.id].values(), key=lambda c: (c.created_at, c.id))
        updated.append(ticket.model_copy(update={
            "comments": all_comments,
            "first_response_at": ticket.first_response_at or first_response_at(all_comments),
        }))
    return updated, quarantine


def keep_stored_comments(ticket: Ticket, stored: Ticket | None) -> Ticket:
    """A CSV ticket with the comments already stored for it that this run did not re-read.

    A CSV ticket's comments live in another file, so re-ingesting the tickets CSV alone must
    not drop them: comments are the union of the stored ones and this run's (this run's win
    on the same id). A ticket without ``first_response_at`` gets it from the union.
    """
    if stored is None or ticket.source != "csv" or stored.account_id != ticket.account_id:
        return ticket
    held = {c.id for c in ticket.comments}
    kept = [c for c in stored.comments if c.id not in held]
    if not kept:
        return ticket
    merged = sorted([*ticket.comments, *kept], key=lambda c: (c.created_at, c.id))
    return ticket.model_copy(update={
        "comments": merged, "first_response_at": ticket.first_response_at or first_response_at(merged)})


class CsvIngestor:
    """``*.csv`` files: tickets, or comments when the header has ``comment_id``."""

    name = "csv"

    def matches(self, path: Path, data: object | None) -> bool:
        return path.suffix.lower() == ".csv"

    def parse(self, path: Path, data: object | None, resolver: AccountResolver) -> ParseResult:
        return parse_csv(path, resolver)
