"""Thread understanding for escalation briefs: versions by role, thread state, template
boilerplate, error names, word-bounded severity, runbook relevance floor and whole steps."""

from __future__ import annotations

from datetime import datetime, timezone

from copilot.facts.brief import _runbook_steps, brief_facts
from copilot.facts.evidence import extract_evidence
from copilot.facts.relevance import RUNBOOK_FLOOR, propose_runbooks, runbook_relevance, symptom_relevance
from copilot.facts.text import prose
from copilot.facts.thread import thread_state
from copilot.facts.versions import version_facts
from copilot.records.models import (
    Account,
    AccountPlan,
    Comment,
    Contract,
    Runbook,
    RunbookSection,
    SevDefinition,
    SlaPolicy,
    SlaTarget,
    Ticket,
)
from copilot.search.passage import Passage

AS_OF = datetime(2026, 3, 10, tzinfo=timezone.utc)
TEMPLATE = """## Important Details

How are you running the operator?
- [x] Helm chart

**Describe the bug**
After upgrading the operator from 1.10.1 to 1.11.0 a planned switchover never completes.

**Environment**
- Operator version: 1.11.0
- Kubernetes: v1.28.5 on GKE 1.28.3-gke.1200

```
2026-03-02 08:01:44,120 ERROR: failover failed: master_start_timeout (300s) exceeded
```
"""


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=timezone.utc)


def _c(n: int, when: datetime, body: str, staff: bool, public: bool = True) -> Comment:
    return Comment(id=f"ZD-1-c{n}", ticket_id="ZD-1", author="Maya (staff)" if staff else "Jonas",
                   author_role="agent" if staff else "customer", public=public, created_at=when, body=body)


def _plan() -> AccountPlan:
    target = SlaTarget(first_response_minutes=60, update_cadence_minutes=120)
    return AccountPlan(
        account=Account(id="acme", name="Acme"),
        contract=Contract(arr=1, tier="enterprise", start_date="2026-01-01", renewal_date="2027-01-01"),
        sla=SlaPolicy(P1=target, P2=target, P3=target, P4=target),
        severity_policy=[SevDefinition(priority="P2", definition="degraded", keywords=["timeout"])])


def _ticket(description: str, comments: list[Comment]) -> Ticket:
    return Ticket(id="ZD-1", account_id="acme", source="zendesk", subject="Failover never completes",
                  description=description, priority="P3", status="open", created_at=_at(2, 8), requester="Jonas",
                  comments=comments)


def test_versions_keep_their_role() -> None:
    texts = [("d", TEMPLATE, "customer"),
             ("c1", "This is fixed in 1.11.1. Could you try 1.11.1?", "staff"),
             ("c2", "Docker version 24.0.5 here; 1.10.1 works fine.", "customer")]
    v = version_facts(texts)
    assert v.affected is not None and v.affected.value == "1.11.0"
    assert v.upgraded_from and v.upgraded_from.value == "1.10.1"
    assert v.last_good and v.last_good.value == "1.10.1"
    assert [f.value for f in v.fixed_in] == ["1.11.1"]  # a release named as a fix is not the affected one
    platform = [p.value for p in v.platform]
    assert "GKE 1.28.3-gke.1200" in platform and "Docker version 24.0.5" in platform
    assert all("1.28" not in (v.affected.value, f.value) for f in v.fixed_in)


def test_version_not_taken_from_questions_numbers_or_ips() -> None:
    texts = [("d", "Latency went from 0.5 s to 2.5s on host 10.0.0.12. We run PgBouncer 1.21.0.", "customer"),
             ("c1", "Are you on 1.22.0?", "staff")]
    v = version_facts(texts)
    assert v.affected is not None and v.affected.value == "1.21.0"


def test_template_boilerplate_is_not_the_summary() -> None:
    text = prose(TEMPLATE)
    assert "Important Details" not in text and "How are you running" not in text and "[x]" not in text
    assert text.startswith("After upgrading the operator")
    facts = brief_facts(_plan(), _ticket(TEMPLATE, []), [], [], [], [], AS_OF)
    assert facts.summary.value.startswith("After upgrading the operator from 1.10.1 to 1.11.0")


def test_identifier_in_a_log_is_not_a_severity_word() -> None:
    facts = brief_facts(_plan(), _ticket(TEMPLATE, []), [], [], [], [], AS_OF)
    assert facts.severity.matched_keywords == []  # master_start_timeout is an identifier in a log line
    spoken = _ticket("Every request ends in a timeout since Monday.", [])
    assert brief_facts(_plan(), spoken, [], [], [], [], AS_OF).severity.matched_keywords == ["timeout"]


def test_error_names_and_fenced_output_are_evidence() -> None:
    text = ("Pods end in CrashLoopBackOff.\n```\n  Reason: OOMKilled\n  Exit Code: 137\n"
            "1/3 mons down, quorum mon-a,mon-c\n```\njava.lang.NullPointerException at encode; got HTTP 503")
    found = {(e.kind, e.value) for e in extract_evidence([("c1", text)])}
    for code in ("OOMKilled", "CrashLoopBackOff", "NullPointerException"):
        assert ("error_code", code) in found
    assert ("http_status", "503") in found
    assert ("log_line", "1/3 mons down, quorum mon-a,mon-c") in found


def test_thread_state_finding_workaround_outcome_pending() -> None:
    comments = [
        _c(1, _at(2, 9), "We reproduced this on 1.11.0: the readiness gate blocks promotion. As a workaround you can "
                         "set enable_readiness_gate to false.", staff=True),
        _c(2, _at(3, 8), "We tried it. It helped, but the replica lag alert still fires after each switchover.",
           staff=False),
        _c(3, _at(3, 9), "Thanks. Could you send the operator logs from the next switchover?", staff=True),
    ]
    state = thread_state(comments)
    assert state.finding and "reproduced" in state.finding.text and state.finding.source_ids == ["ZD-1-c1"]
    assert state.workaround and "enable_readiness_gate" in state.workaround.text
    assert state.workaround_outcome == "partial" and state.workaround_result.source_ids == ["ZD-1-c2"]
    assert state.pending_on == "customer" and "operator logs" in state.pending.text
    assert state.pending.who == "Maya (staff)" and state.pending.at_text == "2026-03-03 09:00 UTC"
    assert state.resolution is None


def test_customer_confirmation_resolves_unless_it_comes_back() -> None:
    done = [_c(1, _at(2, 9), "Set the flag as a workaround, please.", staff=True),
            _c(2, _at(3, 8), "That worked, the issue is resolved for us. You can close this.", staff=False)]
    state = thread_state(done)
    assert state.resolution is not None and state.pending is None and state.workaround_outcome == "worked"
    again = [*done, _c(3, _at(4, 8), "It happened again today after the nightly job.", staff=False)]
    state = thread_state(again)
    assert state.resolution is None and state.pending_on == "staff"


def test_brief_summary_opens_with_what_broke_version_tried_and_now() -> None:
    comments = [_c(1, _at(2, 9), "We reproduced this. As a workaround you can set enable_readiness_gate to false.",
                   staff=True),
                _c(2, _at(3, 8), "Setting it to false did not help, same error.", staff=False)]
    from copilot.drafting.template import render_template_markdown

    facts = brief_facts(_plan(), _ticket(TEMPLATE, comments), [], [], [], [], AS_OF)
    markdown, _ = render_template_markdown("escalation_brief", facts.model_dump(mode="json"))
    summary = markdown.split("## Summary\n", 1)[1].strip().splitlines()[:5]
    assert summary[1].startswith("- Broken: After upgrading the operator")
    assert summary[2].startswith("- Version: 1.11.0 (upgraded from 1.10.1)")
    assert summary[3].startswith("- Tried:") and "did not work" in summary[3] and "ZD-1-c2" in summary[3].rsplit("[source:", 1)[1]
    assert summary[4].startswith("- Now: ticket open") and "We reproduced this" in summary[4]
    assert "No log lines" not in markdown  # the pasted log is evidence


def _passage(rb: str, score: float) -> Passage:
    return Passage(chunk_id=f"{rb}#0", source_id=f"{rb}#meaning", record_id=rb, account_id=None, kind="runbook",
                   text="", score=0.03, dense_score=score)


def test_runbook_below_the_floor_is_not_proposed() -> None:
    rb = Runbook(id="RB-cluster", title="Cluster operator degraded", sections=[
        RunbookSection(heading="Diagnosis", text="- Check the operator status with the CLI and read its conditions "
                                                 "carefully,\n  including the message field.\n- Look at events.")])
    ticket = _ticket("Postgres failover hangs after the upgrade.", [])
    weak = brief_facts(_plan(), ticket, [], [], [rb], [_passage("RB-cluster", 0.41)], AS_OF)
    assert weak.runbooks == [] and all("runbook" not in h.value for h in weak.hypotheses)
    strong = brief_facts(_plan(), ticket, [], [], [rb], [_passage("RB-cluster", RUNBOOK_FLOOR + 0.05)], AS_OF)
    assert [r.id for r in strong.runbooks] == ["RB-cluster"]
    assert runbook_relevance("cluster operator degraded", [_passage("RB-cluster", 0.6)], [rb])["RB-cluster"] > 0.6


def test_runbook_steps_are_quoted_whole() -> None:
    rb = Runbook(id="RB-x", title="x", sections=[RunbookSection(heading="Diagnosis", text=(
        "- Check the operator status with the CLI and read its conditions carefully,\n"
        "  including the message field.\n- Look at events.\n\n```\nkubectl get co\n```"))])
    steps = [s.value for s in _runbook_steps(rb)]
    assert steps[0] == "Check the operator status with the CLI and read its conditions carefully, including the " \
                      "message field."
    assert steps[1] == "Look at events."


def test_customer_upgrade_is_history_and_a_release_line_is_said_exactly() -> None:
    v = version_facts([("t", "Exports hang after upgrading to 7.4", "customer"),
                       ("d", "After the update to 7.4.0 our exports hang. Cluster v1.29.3-eks-adc7111.", "customer"),
                       ("c", "This was fixed in #1234 and released as 7.4.1.", "staff")])
    assert v.affected is not None and v.affected.value == "7.4.0"  # not "7.4", not the EKS build
    assert [f.value for f in v.fixed_in] == ["7.4.1"]


def _runbook(rid: str, title: str, meaning: str, diagnosis: str) -> Runbook:
    return Runbook(id=rid, title=title, sections=[RunbookSection(heading="Meaning", text=meaning),
                                                  RunbookSection(heading="Diagnosis", text=diagnosis)])


def _scored(rid: str, section: str, score: float) -> Passage:
    return Passage(chunk_id=f"{rid}#{section}@x", source_id=f"{rid}#{section}", record_id=rid, account_id=None,
                   kind="runbook", text="", score=0.03, dense_score=score)


SHARED = [  # four runbooks whose opening sections are about pod memory and restarts
    _runbook(f"RB-mem{i}", f"Pod memory alert {i}", "A pod is restarting because it runs out of memory.",
             "- Look at the container's memory limit.") for i in range(4)]
TRAFFIC = _runbook("RB-traffic", "Site high traffic rate", "The origin request rate is above the load-tested capacity.",
                   "- Check pod health: look for pods in CrashLoopBackOff or OOMKilled (exit code 137).")


def test_a_runbook_matching_only_in_its_procedure_is_not_proposed() -> None:
    """Pattern: a runbook's diagnosis names failure states to check (OOMKilled); a ticket showing
    one of them matches that step, not what the runbook is about (a traffic-rate alert)."""
    ticket = _ticket("The operator pod is OOMKilled every 20 minutes.", []).model_copy(
        update={"subject": "Operator pods OOMKilled when watching all namespaces"})
    passages = [_scored("RB-traffic", "diagnosis", 0.68)] + [_scored(rb.id, "meaning", 0.6 - i / 100)
                                                             for i, rb in enumerate(SHARED)]
    passages.append(_scored("RB-traffic", "meaning", 0.45))
    runbooks = [TRAFFIC, *SHARED]
    assert runbook_relevance(ticket.subject, passages[:1], runbooks)["RB-traffic"] >= RUNBOOK_FLOOR
    assert propose_runbooks(ticket.subject, passages, runbooks, retrieved=1) == []
    facts = brief_facts(_plan(), ticket, [], [], runbooks, passages, AS_OF)
    assert facts.runbooks == [] and all("RB-traffic" not in h.value for h in facts.hypotheses)


def test_a_runbook_about_the_symptom_is_proposed() -> None:
    ticket = _ticket("", []).model_copy(update={"subject": "Site high traffic rate above capacity"})
    passages = [_scored("RB-traffic", "meaning", 0.72)] + [_scored(rb.id, "meaning", 0.5) for rb in SHARED]
    assert [rid for rid, _ in propose_runbooks(ticket.subject, passages, [TRAFFIC, *SHARED])] == ["RB-traffic"]
    assert symptom_relevance(ticket.subject, passages, [TRAFFIC, *SHARED])["RB-traffic"] > 0.72


def test_a_symptom_reported_gone_after_the_workaround_means_it_worked() -> None:
    """Pattern: the customer reports the symptom gone ("no restarts") rather than "it worked"."""
    comments = [_c(1, _at(3, 9), "Workaround: set `--watch-namespaces` to the namespaces you need.", staff=True),
                _c(2, _at(4, 8), "With the flag set the memory stays around 300Mi for a day now, no restarts.",
                   staff=False)]
    state = thread_state(comments)
    assert state.workaround_outcome == "worked" and state.workaround_result.source_ids == ["ZD-1-c2"]
    comments[1] = _c(2, _at(4, 8), "With the flag set there are no restarts yet, but it has only been an hour.",
                     staff=False)
    assert thread_state(comments).workaround_outcome != "worked"
