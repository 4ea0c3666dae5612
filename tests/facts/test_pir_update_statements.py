"""PIR and update facts drawn from what the incident channel says (issue 13, items 4 and 5).

Pure fact builders over records built here: a channel whose incident record states no cause,
factors or actions, and a resolved incident's final update.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from copilot.facts.pir import pir_facts
from copilot.facts.update import update_facts
from copilot.ingest.base import AccountResolver
from copilot.ingest.plans import PlanIngestor
from copilot.records.models import AccountPlan, Incident, IncidentEvent, RootCause

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
    detect = next(d for d in facts.durations if d.label == "Time to detect")
    assert detect.text.startswith("not recorded in the incident record") and "2026-03-02 09:00 UTC" in detect.text


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
