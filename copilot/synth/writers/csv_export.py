"""The ticket and comment CSV exports per account (ServiceNow-style or a spreadsheet)."""

from __future__ import annotations

import csv
import io

from copilot.synth.ids import IdCounter, resolve_refs
from copilot.synth.specs import AccountSpec, TicketSpec
from copilot.synth.timestamps import iso_offset

__all__ = ["CSV_COMMENT_HEADER", "CSV_TICKET_HEADER", "csv_documents"]

CSV_TICKET_HEADER = ["ticket_id", "customer", "subject", "description", "priority", "status", "created_at",
                     "updated_at", "resolved_at", "component", "version", "region", "requester", "assignee", "tags"]
CSV_COMMENT_HEADER = ["ticket_id", "comment_id", "author", "author_role", "public", "created_at", "body"]
CSV_PRIORITY = {
    "servicenow": {"P1": "1 - Critical", "P2": "2 - High", "P3": "3 - Moderate", "P4": "4 - Low"},
    "sheet": {"P1": "P1", "P2": "P2", "P3": "P3", "P4": "P4"},
}
CSV_STATUS = {"new": "New", "open": "In Progress", "pending": "Pending", "on_hold": "On Hold",
              "solved": "Resolved", "closed": "Closed"}


def csv_documents(spec: AccountSpec, tickets: list[TicketSpec], key_map: dict[str, str],
                  comment_ids: IdCounter | None = None) -> tuple[str, str]:
    """(tickets.csv, comments.csv) text for one account. Comment ids are numeric, as in an export."""
    comment_ids = comment_ids or IdCounter(700000)
    off = spec.csv_utc_offset_minutes
    tbuf, cbuf = io.StringIO(), io.StringIO()
    tw = csv.writer(tbuf, lineterminator="\n")
    cw = csv.writer(cbuf, lineterminator="\n")
    tw.writerow(CSV_TICKET_HEADER)
    cw.writerow(CSV_COMMENT_HEADER)
    for t in sorted(tickets, key=lambda t: t.native_id):
        tw.writerow([
            t.native_id, spec.csv_customer, resolve_refs(t.subject, key_map),
            resolve_refs(t.description, key_map), CSV_PRIORITY[spec.csv_style][t.priority], CSV_STATUS[t.status],
            iso_offset(t.created_at, off), iso_offset(t.updated_at, off),
            iso_offset(t.resolved_at, off) if t.resolved_at else "", t.component, t.version, t.region,
            t.requester.name, t.assignee.name if t.assignee else "", ";".join(sorted(t.tags)),
        ])
        for c in sorted(t.comments, key=lambda c: c.created_at):
            cw.writerow([
                t.native_id, str(comment_ids.next(3)), c.author.name, "agent" if c.author.is_agent else "customer",
                "true" if c.public else "false", iso_offset(c.created_at, off), resolve_refs(c.body, key_map),
            ])
    return tbuf.getvalue(), cbuf.getvalue()
