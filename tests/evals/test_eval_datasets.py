"""The labelled datasets: sizes the issue asks for, coverage, and labels that still match the sample.

When data/sample is rebuilt these tests say which label went stale (an id that no longer exists),
before the eval reports it as a retrieval or draft regression.
"""

from __future__ import annotations

from collections import Counter

import pytest

from copilot.drafting.draft import SECTION_NAMES
from copilot.service import Copilot
from evals.datasets import load_adversarial, load_golden, load_retrieval
from evals.thresholds import THRESHOLDS_FILE, load_thresholds


def test_sizes_and_coverage(sample_copilot: Copilot) -> None:
    retrieval, golden, adversarial = load_retrieval(), load_golden(), load_adversarial()
    assert len(retrieval) >= 60
    assert len(golden) >= 30
    accounts = {a.id for a in sample_copilot.store.accounts()}
    assert {c.account_id for c in retrieval} == accounts, "every sample account has labelled queries"
    types = Counter(c.type for c in retrieval)
    assert set(types) == {"paraphrase", "exact_id", "error_code", "time_bounded"} and min(types.values()) >= 10, types
    kinds = Counter(c.kind for c in golden)
    assert set(kinds) == set(SECTION_NAMES), kinds
    assert {c.type for c in adversarial} == {"cross_account", "injection", "secret"}
    assert {c.action for c in adversarial} == {"ask", "draft", "edit"}


def _known_ids(copilot: Copilot) -> set[str]:
    rows = copilot.store.execute("SELECT source_id, record_id FROM chunks")
    known = {r["source_id"] for r in rows} | {r["record_id"] for r in rows}
    return known | {sid.split("#", 1)[0] for sid in known}


def test_retrieval_labels_name_existing_sources_of_the_right_account(sample_copilot: Copilot) -> None:
    known = _known_ids(sample_copilot)
    rows = sample_copilot.store.execute("SELECT source_id, record_id, account_id FROM chunks")
    owner: dict[str, str] = {}
    for r in rows:
        owner.setdefault(r["record_id"], r["account_id"])
        owner.setdefault(r["source_id"], r["account_id"])
    for case in load_retrieval():
        for rid in case.relevant:
            assert rid in known, f"{case.id}: relevant id {rid} is not in the ingested sample"
            assert owner.get(rid, owner.get(rid.split('#', 1)[0])) in (case.account_id, "__shared__"), \
                f"{case.id}: {rid} belongs to another account"


def test_golden_and_adversarial_subjects_exist(sample_copilot: Copilot) -> None:
    store = sample_copilot.store
    accounts = {a.id for a in store.accounts()}
    tickets = {t.id: t.account_id for t in store.tickets()}
    incidents = {i.id: i.account_id for i in store.incidents()}
    for case in [*load_golden(), *load_adversarial()]:
        kind, subject = getattr(case, "kind", None), getattr(case, "subject", None)
        if subject is None:
            assert case.account_id in accounts, case.id
            continue
        if kind == "escalation_brief":
            assert subject in tickets, case.id
        elif kind in ("incident_update", "pir_timeline"):
            assert subject in incidents, case.id
        else:
            assert subject in accounts, case.id


def test_golden_must_not_lists_do_not_contradict_must_contain() -> None:
    for case in load_golden():
        clash = {f.lower() for f in case.must_contain} & {f.lower() for f in case.must_not_contain}
        assert not clash, (case.id, clash)


@pytest.mark.parametrize("suite", ["offline", "llm"])
def test_thresholds_file_parses(suite: str) -> None:
    thresholds = load_thresholds(suite, THRESHOLDS_FILE)
    names = {t.metric for t in thresholds}
    assert {"isolation.leaks", "review.blocked_approved", "drafts.checked_rate"} <= names
    if suite == "offline":
        assert {"retrieval.hit_at_5", "retrieval.mrr", "retrieval.ndcg_at_10", "drafts.fact_recall",
                "drafts.grounding_precision", "drafts.section_coverage", "guardrails.recall.*",
                "guardrails.blocking_fp_rate.template", "guardrails.blocking_fp_rate.handwritten",
                "latency.search_ms.p95"} <= names
