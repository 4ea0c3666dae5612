"""The commitment/speculation/blame grammar: exact spans per recognizer, and the false blocks found
on real post-mortem text kept as regressions (a record's own words are evidence, past events are
not promises, technical words are not blame)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from guardrail_drafts import UPDATE, UPDATE_FACTS
from guardrail_helpers import spans

from copilot.drafting.base import DraftRequest
from copilot.drafting.template import TemplateBackend
from copilot.facts.pir import pir_facts
from copilot.guardrails.context import context_from_records
from copilot.guardrails.engine import run_context
from copilot.guardrails.grammar.blame import find_blame
from copilot.guardrails.grammar.compensation import find_compensation
from copilot.guardrails.grammar.connective import find_causes
from copilot.guardrails.grammar.eta import find_etas
from copilot.guardrails.grammar.guarantee import find_guarantees
from copilot.records.models import CorrectiveAction, Incident, IncidentEvent

SLOT = "Our engineering team is engaged and investigating."


def _texts(phrases) -> list[tuple[str, str]]:
    return [(p.kind, p.text) for p in phrases]


@pytest.mark.parametrize("text, expected", [
    ("The API failed because the pool was exhausted.", [("because", "because")]),
    ("We traced the issue to a bad config push.", [("cause", "traced the issue to")]),
    ("The latency was traced back to the gateway.", [("cause", "was traced back to")]),
    ("The outage was due to a DNS change.", [("cause", "was due to")]),
    ("Errors rose due to the failed pipeline.", [("cause", "due to the")]),
    ("The root cause was a bad certificate.", [("label", "root cause was")]),
    ("Root cause: a bad certificate.", [("label", "Root cause:")]),
    ("It originated in the eu-west-1 gateway.", [("cause", "originated in")]),
    ("The release is due to be shipped on Monday.", []),
    ("The invoice is due to the finance team.", [("cause", "is due to")]),
    ("A bad config push led to the outage.", [("cause", "led to the outage")]),
    ("The outage was the result of a bad push.", [("cause", "was the result of")]),
    ("The culprit was a cron job.", [("cause", "The culprit was")]),
    ("A cron job took down the database.", [("cause", "took down the")]),
])
def test_causal_connectives(text, expected) -> None:
    assert _texts(find_causes(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("We expect to have this behind us early next week.", [("vague", "early next week")]),
    ("The fix will be live by end of week.", [("vague", "by end of week")]),
    ("It should be resolved within the next few days.", [("vague", "within the next few days")]),
    ("A patch is coming in the coming days.", [("vague", "in the coming days")]),
    ("The fix will ship within 48 hours.", [("relative", "within 48 hours")]),
    ("Service will be restored by end of day.", [("relative", "by end of day")]),
    ("We will deploy the fix by Friday.", [("weekday", "by Friday")]),
    ("It lands in the next release.", [("relative", "in the next release")]),
    ("A deploy began shortly after 5pm.", []),
    ("We will update you as soon as we know more.", []),
    ("The fix will be deployed tomorrow.", [("relative", "tomorrow")]),
    ("Expected resolution: Thursday.", [("relative", "Expected resolution: Thursday")]),
    ("A patch ships within 24-48 hours.", [("relative", "within 24-48 hours")]),
    ("It should be sorted in a day or two.", [("relative", "in a day or two")]),
])
def test_eta_expressions(text, expected) -> None:
    assert _texts(find_etas(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("We will issue a service credit.", [("direct", "service credit")]),
    ("We'll make it right on your next invoice.", [("oblique", "make it right"), ("oblique", "on your next invoice")]),
    ("As a goodwill gesture we will waive this month's fees.", [("oblique", "goodwill gesture"),
                                                                ("oblique", "waive this month's fees")]),
    ("You won't be charged for the affected days.", [("oblique", "won't be charged for")]),
    ("Your credit card was not charged twice.", []),
    ("We will cover the overage charges.", [("oblique", "We will cover the overage charges")]),
    ("The next month is on us.", [("oblique", "month is on us")]),
    ("We missed the cadence; that is on us.", []),  # owning a mistake offers nothing
])
def test_compensation_phrases(text, expected) -> None:
    assert _texts(find_compensation(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("This will not happen again.", [("recurrence", "will not happen again")]),
    ("We've made sure this can't recur.", [("recurrence", "made sure this can't recur")]),
    ("You can count on a stable service from now on.", [("promise", "You can count on")]),
    ("Rest assured, the platform is safe.", [("promise", "Rest assured")]),
    ("priority-classes will ensure this never happens.", [("recurrence", "ensure this never happens")]),
    ("The issue is now permanently fixed.", [("absolute", "permanently fixed")]),
    ("The incident is fully resolved.", []),
    ("It is impossible for this to happen again.", [("recurrence", "impossible for this to happen")]),
    ("This won't be repeated.", [("recurrence", "won't be repeated")]),
])
def test_guarantee_phrases(text, expected) -> None:
    assert _texts(find_guarantees(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("This was AWS's fault.", [("vendor", "AWS's fault")]),
    ("Our provider dropped the ball.", [("team", "dropped the ball")]),
    ("The vendor's mistake caused the outage.", [("vendor", "The vendor's mistake")]),
    ("Dave forgot to renew the certificate.", [("person", "Dave forgot")]),
    ("An engineer misconfigured the pool.", [("person", "An engineer misconfigured")]),
    ("Sam Okafor broke the export.", [("person", "Sam Okafor broke")]),
    ("Caused by your team misconfiguring the gateway.", [("customer", "Caused by your")]),
    ("The errors were due to your firewall rule.", [("customer", "due to your")]),
    ("The problem is on your end.", [("customer", "problem is on your end")]),
    ("We should test lazy loaded extensions.", []),
    ("We forgot nothing: the update went out.", []),
    ("Sam Okafor broke down the timeline.", []),
    ("An AWS outage in us-east-1 caused the errors.", []),
])
def test_blame_phrases(text, expected) -> None:
    assert _texts(find_blame(text, ["Sam Okafor"])) == expected


# --- in drafts: hedges, negation, tense, kinds ---------------------------------------------------


@pytest.mark.parametrize("text, flagged, severity", [
    ("We expect to have this behind us early next week.", "early next week", "block"),
    ("The fix may land early next week.", "early next week", "warn"),
    ("We'll make it right on your next invoice.", "make it right", "block"),
    ("As a goodwill gesture, we are adding a month to your subscription.", "goodwill gesture", "block"),
    ("You can count on this not happening again.", "You can count on", "block"),
    ("We have made sure this can't recur.", "made sure this can't recur", "block"),
])
def test_commitment_grammar_in_updates(check_one, text, flagged, severity) -> None:
    md, findings = check_one("commitments", "incident_update", UPDATE.replace(SLOT, text), "INC-2026-0820", UPDATE_FACTS)
    assert spans(md, findings) == [flagged] and [f.severity for f in findings] == [severity]


@pytest.mark.parametrize("text", [
    "We cannot promise the fix lands early next week.",
    "The fix was deployed within 2 hours.",
    "Credits were issued to affected customers in 2023.",
    "We cannot guarantee this will not happen again.",
    "Service came back shortly after the rollback was restored.",
])
def test_negated_or_past_commitments_pass(check_one, text) -> None:
    md, findings = check_one("commitments", "incident_update", UPDATE.replace(SLOT, text), "INC-2026-0820", UPDATE_FACTS)
    assert [f for f in findings if f.severity == "block"] == [], spans(md, findings)


@pytest.mark.parametrize("text, flagged", [
    ("The timeouts happened because the gateway pool was too small.", "because"),
    ("We traced the timeouts to the gateway pool.", "traced the timeouts to"),
])
def test_because_and_traced_to_while_unconfirmed(check_one, text, flagged) -> None:
    md, findings = check_one("speculation", "incident_update", UPDATE.replace(SLOT, text), "INC-2026-0820", UPDATE_FACTS)
    assert spans(md, findings, "block") == [flagged]


@pytest.mark.parametrize("text", [
    "The timeouts were not caused by the gateway pool.",
    "We believe the timeouts happened because the gateway pool was too small.",
    "We are posting this update because you asked for one.",
])
def test_negated_hedged_or_non_failure_causes_pass(check_one, text) -> None:
    _, findings = check_one("speculation", "incident_update", UPDATE.replace(SLOT, text), "INC-2026-0820", UPDATE_FACTS)
    assert findings == []


@pytest.mark.parametrize("text, flagged", [
    ("This was the CDN provider's fault.", "the CDN provider's fault"),
    ("Sam Okafor forgot to raise the pool limit.", "Sam Okafor forgot"),
])
def test_vendor_and_person_blame_block_in_customer_drafts(check_one, text, flagged) -> None:
    md, findings = check_one("tone", "incident_update", UPDATE.replace(SLOT, text), "INC-2026-0820", UPDATE_FACTS)
    assert spans(md, findings, "block") == [flagged]


# --- regressions: real post-mortem wording, copied from the record into a PIR --------------------

_AT = datetime(2019, 3, 26, 16, 0, tzinfo=timezone.utc)
_RECORD_WORDS = [  # each was a false block on a real post-mortem (evals/realdata.py)
    "Implement priority-classes for critical workloads: priority-classes will ensure this never happens.",
    "Issued credits / refunds to all customers affected by increased error tracking bills",
    "Beginning a ten-hour deploy process shortly after 5pm is probably inadvisable",
    "We should test lazy loaded extensions with all past versions of the core SDK",
    "The Traefik change was not applied at the intended time due to the failed pipeline",
]


def _pir(extra_summary: str = "", past_credit: bool = True):
    from guardrail_records import acme_plan

    plan = acme_plan()
    incident = Incident(
        id="INC-2019-0326", account_id=plan.account.id, title="Boskos outage", priority="P2", status="resolved",
        started_at=_AT, resolved_at=_AT.replace(hour=18), summary="Boskos stopped handing out projects.",
        contributing_factors=[_RECORD_WORDS[4]],
        corrective_actions=[CorrectiveAction(id=f"AI-{n}", action=text, owner="")
                            for n, text in enumerate(_RECORD_WORDS[:4], 1)],
        events=[IncidentEvent(id="INC-2019-0326-e1", incident_id="INC-2019-0326", at=_AT, kind="message",
                              text=("Credits were issued in 2023 for a similar outage; " if past_credit else "")
                              + "it was traced to the janitor. Ops lead: priority classes will make sure this never "
                              "happens again.")],
    )
    facts = pir_facts(plan, incident, [], [plan]).model_dump(mode="json")
    draft = TemplateBackend().draft(DraftRequest(kind="pir_timeline", account_id=plan.account.id,
                                                 subject_id=incident.id, title="Post-incident review: Boskos outage",
                                                 facts=facts))
    draft.facts = facts
    if extra_summary:
        draft.markdown = draft.markdown.replace("## Timeline", f"{extra_summary}\n\n## Timeline", 1)
    return run_context(context_from_records(draft.finalize(), plan, [], [incident])), draft


def test_record_words_copied_into_a_pir_are_not_blocked() -> None:
    report, draft = _pir()
    assert all(text.split(":")[-1].strip()[:30] in draft.markdown for text in _RECORD_WORDS)
    assert [(f.check, draft.markdown[slice(*f.span)]) for f in report.blocking] == []


def test_the_same_words_written_by_the_draft_still_block() -> None:
    report, draft = _pir("We will make sure this never happens again. We will issue credits to you.",
                         past_credit=False)  # a record that mentions a credit confirms one (commitments docstring)
    assert sorted(draft.markdown[slice(*f.span)] for f in report.blocking if f.check == "commitments") == [
        "credits", "make sure this never happens"]


@pytest.mark.parametrize("quote, blocked", [
    ("priority classes will make sure this never happens again", []),  # the record's own words, cited
    ("we guarantee this never happens again", ["we guarantee"]),  # not what the record says
])
def test_a_quote_is_evidence_only_when_the_record_says_it(quote, blocked) -> None:
    report, draft = _pir(f'The ops lead wrote in the channel: "{quote}" [source: INC-2019-0326-e1]')
    assert [draft.markdown[slice(*f.span)] for f in report.blocking] == blocked
