"""PIR and update facts drawn from what the incident channel says (issue 13, items 4 and 5).

Pure fact builders over records built here: a channel whose incident record states no cause,
factors or actions, and a resolved incident's final update.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from copilot.drafting.base import DraftRequest
from copilot.drafting.template import TemplateBackend
from copilot.facts.pir import pir_facts
from copilot.facts.update import update_facts
from copilot.guardrails.context import context_from_records
from copilot.guardrails.engine import run_context
from copilot.ingest.base import AccountResolver
from copilot.ingest.milestone_phrases import milestone_of
from copilot.ingest.plans import PlanIngestor
from copilot.records.models import AccountPlan, Comment, Incident, IncidentEvent, RootCause, Ticket

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
SAMPLE_PLAN = Path(__file__).resolve().parents[2] / "data" / "sample" / "plans" / "meridian-retail.yaml"


def _plan() -> AccountPlan:
    return PlanIngestor().parse(SAMPLE_PLAN, yaml.safe_load(SAMPLE_PLAN.read_text()), AccountResolver()).plans[0]


def _incident(plan: AccountPlan, **fields: object) -> Incident:
    said = [
        (0, "Alertmanager", "Alerts fired: checkout 5xx above 5% for 5 minutes."),
        (6, "Rui Alves", "Looking. I think the new pricing cache might be the culprit?"),
        (25, "Rui Alves", "Root cause confirmed: the pricing cache was deployed with a 1 second TTL."),
        (40, "Rui Alves", "Rolled back the pricing cache config, checkout error rate is back to normal now."),
        (55, "Dee Park", "Contributing factor: there was no alert on cache hit ratio."),
        (70, "Dee Park", "Action item: we will add a config check for cache TTLs before deploy."),
    ]
    events = [IncidentEvent(id=f"slack:inc-x:{n}", incident_id="INC-X", at=T0 + timedelta(minutes=m), kind="message",
                            author=who, text=text, source_id=f"slack:inc-x:{n}") for n, (m, who, text) in enumerate(said)]
    base = dict(id="INC-X", account_id=plan.account.id, title="Checkout errors", priority="P1", status="resolved",
                channel="inc-x", started_at=T0, events=events)
    return Incident(**{**base, **fields})  # type: ignore[arg-type]


def test_pir_draws_cause_factors_actions_from_the_channel_marked_unconfirmed() -> None:
    plan = _plan()
    facts = pir_facts(plan, _incident(plan), [])
    assert facts.root_cause is None  # the record does not confirm it, whatever the channel says
    assert facts.hypothesis is not None and "1 second TTL" in facts.hypothesis.value
    assert "does not confirm" in facts.hypothesis.value and facts.hypothesis.source_ids == ["slack:inc-x:2"]
    assert [f.source_ids for f in facts.contributing_factors] == [["slack:inc-x:4"]]
    assert facts.contributing_factors[0].value.startswith("Unconfirmed: ")
    assert [a.source_ids for a in facts.corrective_actions] == [["slack:inc-x:5"]]
    assert "Rui Alves" not in facts.model_dump_json() and "Dee Park" not in facts.model_dump_json()


def test_record_confirmation_makes_the_channel_cause_confirmed() -> None:
    plan = _plan()
    incident = _incident(plan, root_cause=RootCause(status="confirmed", source="slack:inc-x:2"))
    facts = pir_facts(plan, incident, [])
    assert facts.root_cause is not None and facts.root_cause.source_ids == ["slack:inc-x:2"]
    assert facts.hypothesis is None


def test_milestones_recognised_from_messages_label_the_timeline() -> None:
    plan = _plan()
    facts = pir_facts(plan, _incident(plan), [])
    labels = {e.source_ids[0]: e.milestone for e in facts.timeline if e.milestone}
    assert labels["slack:inc-x:0"] == "detected"
    assert labels["slack:inc-x:3"] == "mitigated"


def _channel_incident(plan: AccountPlan) -> Incident:
    """A channel-only incident: the record has impact start only; messages state the rest."""
    said = [(3, "Alertmanager", "Alerts fired: checkout 5xx above 5% for 5 minutes."),
            (9, "Rui Alves", "Started investigating the checkout errors with the payments team."),
            (47, "Rui Alves", "Rolled back the pricing cache config, checkout error rate is back to normal now."),
            (95, "Rui Alves", "Incident resolved: error rate normal for 45 minutes, closing the channel.")]
    events = [IncidentEvent(id=f"slack:inc-y:{n}", incident_id="INC-Y", at=T0 + timedelta(minutes=m), kind="message",
                            author=who, text=text, source_id=f"slack:inc-y:{n}") for n, (m, who, text) in enumerate(said)]
    return Incident(id="INC-Y", account_id=plan.account.id, title="Checkout errors", priority="P1",
                    status="resolved", channel="inc-y", started_at=T0, events=events)


def _checked(kind: str, plan: AccountPlan, incident: Incident, facts, edit=lambda md: md,
             only: set[str] | None = None, tickets=()):
    facts = facts.model_dump(mode="json")
    draft = TemplateBackend().draft(DraftRequest(kind=kind, account_id=plan.account.id,
                                                 subject_id=incident.id, title="Draft", facts=facts))
    draft.facts = facts
    draft.markdown = edit(draft.markdown)
    return draft.markdown, run_context(context_from_records(draft, plan, list(tickets), [incident]), only=only)


def _checked_pir(plan: AccountPlan, incident: Incident, edit=lambda md: md):
    return _checked("pir_timeline", plan, incident, pir_facts(plan, incident, [], [plan]), edit, {"timeline"})


def test_durations_run_to_milestones_that_messages_state_and_the_check_recomputes_them() -> None:
    """Pattern: a channel states detection/engagement/mitigation/resolution in words; the
    durations run to those messages, and the timeline check recomputes them from the store."""
    plan = _plan()
    incident = _channel_incident(plan)
    facts = pir_facts(plan, incident, [], [plan])
    got = {d.label: d.minutes for d in facts.durations}
    assert got == {"Time to detect": 3, "Time to engage": 9, "Time to mitigate": 47, "Time to resolve": 95}
    assert "slack:inc-y:2" in next(d for d in facts.durations if d.label == "Time to mitigate").source_ids
    markdown, report = _checked_pir(plan, incident)
    assert "- Time to mitigate: 47m" in markdown
    assert report.passed, [f.message for f in report.findings]
    markdown, report = _checked_pir(plan, incident, lambda md: md.replace("Time to mitigate: 47m", "Time to mitigate: 40m"))
    assert any("Time to mitigate" in f.message and f.severity == "block" for f in report.findings)
    _, report = _checked_pir(plan, incident, lambda md: md.replace("- Time to resolve: 1h 35m", "- Time to resolve:"))
    assert any("Time to resolve" in f.message and f.severity == "block" for f in report.findings)


def test_update_uses_latest_customer_safe_channel_state_without_names() -> None:
    plan = _plan()
    facts = update_facts(plan, _incident(plan, status="monitoring"), T0 + timedelta(minutes=45), [plan])
    known = [k.value for k in facts.known]
    assert any("error rate is back to normal" in k for k in known)
    assert not any("Rui" in k or "I think" in k for k in known)
    assert facts.next_update_at is not None  # not resolved yet: the SLA cadence still applies


def test_resolved_update_gives_resolution_and_next_step_not_a_next_update_time() -> None:
    plan = _plan()
    resolved_at = T0 + timedelta(minutes=80)
    facts = update_facts(plan, _incident(plan, resolved_at=resolved_at), resolved_at + timedelta(minutes=5), [plan])
    assert facts.next_update_at is None and facts.next_update_text == ""
    assert facts.next_step is not None
    assert "resolved at 2026-03-02 10:20 UTC" in facts.next_step.value and "post-incident review" in facts.next_step.value


@pytest.mark.parametrize("text, milestone", [
    ("Incident resolved: error rate normal for 45 minutes.", "resolved"),
    ("The issue is not resolved yet, still seeing 5xx.", ""),
    ("Is the incident resolved?", ""),
    ("We have not rolled back yet.", ""),
    ("No alerts fired for this, a customer told us.", ""),
    ("We are going to roll back the release.", ""),
    ("Rolled back the release at 14:05.", "mitigated"),
    ("Monitoring: no errors, the issue is resolved.", "resolved"),
    ("Rollback completed, checkout healthy.", "mitigated"),
    ("Pipeline triggered for rollback", ""),
    ("First report of 503s from the webhook endpoint", "detected"),
    ("Cloud engineering member informed of ingress problem", "detected"),
])
def test_a_milestone_is_stated_only_when_it_happened(text: str, milestone: str) -> None:
    """Pattern: questions, negations and intentions do not state a milestone."""
    assert milestone_of(text, ("detected", "mitigated", "resolved")) == milestone


def _ticket_of(plan: AccountPlan, incident_id: str) -> Ticket:
    def comment(n: int, minutes: int, role: str, body: str, public: bool = True) -> Comment:
        return Comment(id=f"ZD-9-c{n}", ticket_id="ZD-9", author="Ana (support)" if role == "agent" else "Kim",
                       author_role=role, public=public, created_at=T0 + timedelta(minutes=minutes), body=body)
    return Ticket(id="ZD-9", account_id=plan.account.id, source="zendesk", subject="Checkout failing", description="",
                  priority="P1", status="solved", created_at=T0 + timedelta(minutes=5), comments=[
                      comment(1, 98, "agent", "The fix is deployed to all regions and checkout works normally again."),
                      comment(2, 99, "agent", "Internal: fix deployed via the hotfix pipeline on the shared hosts.",
                              public=False)])


def test_resolved_update_gives_the_resolution_from_channel_and_ticket_and_no_next_update_time() -> None:
    """Pattern: a channel message states the resolution; the update gives it and the next step
    (the post-incident review), with the latest public statement of state (here a ticket reply)."""
    plan = _plan()
    incident = _channel_incident(plan).model_copy(update={"related_tickets": ["ZD-9"]})
    ticket = _ticket_of(plan, incident.id)
    as_of = T0 + timedelta(minutes=100)
    facts = update_facts(plan, incident, as_of, [plan], [ticket])
    assert facts.status == "resolved" and facts.next_update_at is None
    assert facts.next_step is not None and "resolved at 2026-03-02 10:35 UTC" in facts.next_step.value
    assert "The fix is deployed to all regions" in facts.next_step.value
    assert "post-incident review" in facts.next_step.value and "ZD-9-c1" in facts.next_step.source_ids
    assert "hotfix pipeline" not in facts.model_dump_json()  # an internal note never reaches the customer
    markdown, report = _checked("incident_update", plan, incident, facts, only={"update_form"}, tickets=[ticket])
    assert report.passed and not report.findings, [f.message for f in report.findings]
    promise = "We will send the next update by 2026-03-02 11:40 UTC."
    _, report = _checked("incident_update", plan, incident, facts, lambda md: md + promise + "\n",
                         only={"update_form"}, tickets=[ticket])
    blocked = [f.message for f in report.findings if f.severity == "block"]
    assert any("not a next-update time" in m for m in blocked) and any("promise no further update" in m for m in blocked)
