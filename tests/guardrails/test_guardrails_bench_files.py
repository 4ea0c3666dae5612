"""The hand-written clean drafts of the guardrail benchmark parse and cover every artifact kind.

(The benchmark itself runs over the ingested sample: ``python -m evals.guardrail_bench``.)
"""

from __future__ import annotations

from collections import Counter

from copilot.drafting.draft import SECTION_NAMES
from copilot.guardrails.markdown import parse_sections
from evals.guardrail_bench.cases import handwritten_cases
from evals.guardrail_bench.mutations import MUTATIONS


def test_handwritten_drafts_parse_and_cover_every_kind() -> None:
    cases = handwritten_cases()
    assert len(cases) >= 10
    assert set(Counter(c.draft.kind for c in cases)) == set(SECTION_NAMES)
    for case in cases:
        names = {s.name for s in parse_sections(case.draft.markdown, case.draft.kind)}
        assert names >= {n for n, _ in SECTION_NAMES[case.draft.kind]}, case.id
        assert case.draft.account_id and case.draft.subject_id, case.id


def test_every_mutation_class_of_the_issue_is_there() -> None:
    assert set(MUTATIONS) == {
        "ticket_id_swapped", "timestamp_shifted", "number_changed", "other_account_inserted", "secret_pasted",
        "eta_promised", "guarantee_promised", "root_cause_asserted", "injection_obeyed", "section_removed",
        "timeline_reordered", "duration_misstated",
    }


def test_every_subject_claim_kind_has_a_deterministic_class() -> None:
    from evals.guardrail_bench.runner import DETERMINISTIC
    from evals.guardrail_bench.subject_mutations import SUBJECT_MUTATIONS

    assert set(SUBJECT_MUTATIONS) == {
        "role_title_swapped", "role_side_swapped", "requester_swapped", "assignee_swapped", "escalated_by_other",
        "resolver_swapped", "instant_of_other_record", "instant_shifted_noun_gap", "opened_date_of_other_record",
        "version_of_other_record", "region_of_other_record", "component_of_other_record", "count_wrong",
    }
    assert set(SUBJECT_MUTATIONS) <= set(DETERMINISTIC)  # their recall is the CI threshold guardrails.recall.*
