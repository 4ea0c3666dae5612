"""Metrics bound to their names: a metric named in prose must carry its own value (recomputed with
``compute_quarter_metrics`` or the plan's contract), not another metric's."""

from __future__ import annotations

import pytest
from guardrail_helpers import spans
from test_guardrails_qbr_injection import QBR_FACTS, qbr_markdown

from copilot.guardrails.atoms import extract_atoms
from copilot.guardrails.findings import sentence_span
from copilot.guardrails.grammar.metric_name import bind_metrics

ANCHOR = "## Top issues"


def qbr_with(sentence: str) -> str:
    return qbr_markdown().replace(ANCHOR, f"{sentence}\n\n{ANCHOR}", 1)


@pytest.mark.parametrize("text, expected", [
    ("MTTR for P2 was 12h 28m.", [("mttr_p2", "12h 28m")]),
    ("P3 MTTR came in at 1d 0h 13m.", [("mttr_p3", "1d 0h 13m")]),
    ("First-response SLA compliance was 100.0% this quarter.", [("first_response", "100.0%")]),
    ("We reached 50% update-cadence compliance.", [("update_cadence", "50%")]),
    ("7 tickets were opened.", [("tickets_opened", "7")]),
    ("The contract renews on 2027-09-30.", [("renewal", "2027-09-30")]),
    ("ARR of $1.2M is at stake.", [("arr", "$1.2M")]),
    ("MTTR for P2 improved from 15h 0m to 12h 28m.", []),
    ("3 tickets were opened, against 13 in Q2.", [("tickets_opened", "3"), ("tickets_opened", "13")]),
    ("It went from 5 tickets opened in Q2 to 3.", []),
    ("MTTR for P2 was 12h 28m, against 9h 10m in Q2.", [("mttr_p2", "9h 10m")]),  # Q2's value: 2026Q2
    ("MTTR was 12h 28m.", []),  # which priority? nothing is bound
])
def test_metric_names_bind_their_value(text, expected) -> None:
    atoms = extract_atoms(text)
    bound = bind_metrics(text, atoms, lambda pos: sentence_span(text, pos), "2026Q3")
    assert [(b.key, b.atom.text) for b in bound] == expected
    assert [b.quarter for b in bound] == [("2026Q2" if "Q2" in text[b.atom.end:b.atom.end + 7] else None) for b in bound]


@pytest.mark.parametrize("sentence, flagged, says", [
    ("First-response SLA compliance was 100.0% this quarter.", "First-response SLA compliance was 100.0%",
     "First-response SLA compliance: 33.3% (1 of 3) (100.0% is P1/P2 update-cadence compliance's value)"),
    ("We met 33.3% update-cadence compliance.", "33.3% update-cadence compliance", "100.0% (1 of 1)"),
    ("Only 2 tickets were opened this quarter.", "2 tickets were opened", "Tickets opened: 3"),
    ("The contract renews on 2027-03-31.", "renews on 2027-03-31", "2027-02-28"),
    # a value stated for another quarter is that quarter's recomputed metric (Acme opened no ticket in Q2)
    ("First-response SLA compliance rose from 20% in Q2 to 33.3%.", "First-response SLA compliance rose from 20%",
     "in 2026Q2, First-response SLA compliance: no tickets opened"),
    ("Only 3 tickets were opened, against 13 in Q2.", "tickets were opened, against 13", "in 2026Q2, Tickets opened: 0"),
    ("Only 9 tickets were opened, against 0 in Q2.", "9 tickets were opened", "Tickets opened: 3"),
])
def test_a_metric_with_another_value_blocks(check_one, sentence, flagged, says) -> None:
    md, findings = check_one("metric_names", "qbr_narrative", qbr_with(sentence), "acme:2026Q3", QBR_FACTS)
    assert spans(md, findings, "block") == [flagged]
    assert says in findings[0].message


@pytest.mark.parametrize("sentence", [
    "First-response SLA compliance was 33.3% (1 of 3), and update-cadence compliance 100%.",
    "3 tickets were opened, and the contract renews on 2027-02-28.",
    "First-response SLA compliance rose from 20% last year to 33.3%.",  # no quarter to recompute
])
def test_right_values_and_comparisons_pass(check_one, sentence) -> None:
    md, findings = check_one("metric_names", "qbr_narrative", qbr_with(sentence), "acme:2026Q3", QBR_FACTS)
    assert findings == [], spans(md, findings)


def test_clean_qbr_and_its_labelled_lines_pass(check_one) -> None:
    _, findings = check_one("metric_names", "qbr_narrative", qbr_markdown(), "acme:2026Q3", QBR_FACTS)
    assert findings == []
