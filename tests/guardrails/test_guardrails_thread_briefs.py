"""No false blocks on realistic threads: the template brief of every thread in
``evals/datasets/threads`` (written in the style of public issue trackers: customers say "because",
"due to", quote stack traces, engineers give ETAs) passes every guardrail unedited.

Fast: the threads are parsed, not indexed; the records go to the checks directly.
"""

from __future__ import annotations

import pytest

from copilot.drafting.base import DraftRequest
from copilot.drafting.template import TemplateBackend
from copilot.facts.brief import brief_facts
from copilot.guardrails.context import context_from_records
from copilot.guardrails.engine import run_context
from evals.threads import AS_OF, load_threads

PLAN, TICKETS, _LABELS = load_threads()


@pytest.mark.parametrize("ticket", TICKETS, ids=lambda t: t.id)
def test_thread_briefs_are_not_blocked(ticket) -> None:
    facts = brief_facts(PLAN, ticket, TICKETS, [], [], [], AS_OF).model_dump(mode="json")
    request = DraftRequest(kind="escalation_brief", account_id=PLAN.account.id, subject_id=ticket.id,
                           title=f"Escalation brief: {ticket.id} {ticket.subject}", facts=facts)
    draft = TemplateBackend().draft(request)
    draft.facts = facts
    report = run_context(context_from_records(draft.finalize(), PLAN, TICKETS, []))
    blocking = [(f.check, f.message, draft.markdown[slice(*f.span)] if f.span else "") for f in report.blocking]
    assert blocking == [], blocking


def test_the_thread_set_is_read_whole() -> None:
    assert len(TICKETS) >= 10
