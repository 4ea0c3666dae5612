"""Helpers for the per-claim-kind tests: one sentence put into a clean draft, the claims check run,
the blocked spans (and messages) read back. ZD-101 (ticket: P2 open, requester Dana Reyes,
assignee Sam Okafor, 5.2.1, eu-west-1, label-api, 2 comments) is a brief's subject;
INC-2026-0412 (incident: detected 09:05, mitigated 11:10, resolved 13:45 on 2026-04-12, one related
ticket, one corrective action) a PIR's. Records: tests/guardrails/guardrail_records.py."""

from __future__ import annotations

from guardrail_drafts import BRIEF, PIR
from guardrail_helpers import spans
from guardrail_records import acme_tickets, at, records

from copilot.drafting.draft import Draft
from copilot.guardrails.context import context_from_records
from copilot.guardrails.registry import all_checks
from copilot.records.models import Ticket

__all__ = ["OTHER_TICKET", "blocked", "blocked_line", "blocked_with", "messages"]

OTHER_TICKET = Ticket(
    id="ZD-201", account_id="acme", source="zendesk", subject="Billing export fails", priority="P3", status="open",
    component="billing-api", product_version="5.3.0", region="eu-central-1", requester="Dana Reyes",
    created_at=at("2026-08-21 09:00"),
)
"""Another Acme ticket whose version, region and component are not ZD-101's."""

_WHERE = {
    "ZD-101": ("escalation_brief", BRIEF, "## Impact\n\n"),
    "INC-2026-0412": ("pir_timeline", PIR, "## Contributing factors\n\n"),
}


def _run(sentence: str, subject: str, line: str | None = None, other: Ticket = OTHER_TICKET):
    kind, draft, anchor = _WHERE[subject]
    md = draft.replace(anchor, f"{anchor}{line or f'- {sentence} [source: {subject}]'}\n", 1)
    r = records()
    ctx = context_from_records(Draft(kind=kind, account_id="acme", subject_id=subject, markdown=md), r["plan"],
                               [*acme_tickets(), other], r["incidents"], r["runbooks"], r["others"])
    return md, list(all_checks()["claims"].fn(ctx))


def blocked(sentence: str, subject: str = "ZD-101") -> list[str]:
    """The text of each blocking claims finding on the draft with ``sentence`` added."""
    md, findings = _run(sentence, subject)
    return spans(md, findings, "block")


def blocked_line(line: str, subject: str = "ZD-101") -> list[str]:
    """Like ``blocked``, with the whole line (and its citations) as written."""
    md, findings = _run("", subject, line)
    return spans(md, findings, "block")


def blocked_with(sentence: str, other: Ticket, subject: str = "ZD-101") -> list[str]:
    """Like ``blocked``, with ``other`` in place of ZD-201."""
    md, findings = _run(sentence, subject, other=other)
    return spans(md, findings, "block")


def messages(sentence: str, subject: str = "ZD-101") -> list[str]:
    return [f.message for f in _run(sentence, subject)[1] if f.severity == "block"]
