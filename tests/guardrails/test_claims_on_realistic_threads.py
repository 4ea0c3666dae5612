"""Briefs drafted from the realistic ticket threads (evals/datasets/threads) make no false claim
about their ticket: people, instants, environment and counts as the template writes them pass."""

from __future__ import annotations

import pytest

from copilot.drafting.draft import Draft
from copilot.drafting.template import render_template_markdown
from copilot.facts.brief import brief_facts
from copilot.guardrails.engine import run_checks
from copilot.guardrails.record_facts import RecordSet
from evals.threads import AS_OF, load_threads

PLAN, TICKETS, _ = load_threads()


@pytest.mark.parametrize("ticket", TICKETS, ids=[t.id for t in TICKETS])
def test_a_thread_brief_makes_no_false_claim(ticket) -> None:
    facts = brief_facts(PLAN, ticket, TICKETS, [], [], [], AS_OF)
    markdown, _ = render_template_markdown("escalation_brief", facts.model_dump(mode="json"))
    draft = Draft(kind="escalation_brief", account_id=PLAN.account.id, subject_id=ticket.id, markdown=markdown)
    report = run_checks(RecordSet([PLAN], TICKETS), draft, only={"claims"})
    assert [(f.message, markdown[f.span[0] : f.span[1]]) for f in report.findings if f.severity == "block"] == []
