"""The metric functions against values computed by hand."""

from __future__ import annotations

import math

import pytest

from evals.metrics import (
    dcg,
    dedupe,
    fact_present,
    fact_recall,
    first_relevant_rank,
    hit_at_k,
    ideal_dcg,
    ndcg_at_k,
    percentile,
    reciprocal_rank,
)


def test_hit_at_k_and_reciprocal_rank() -> None:
    ranked = ["x", "y", "a", "z"]
    assert first_relevant_rank(ranked, {"a"}) == 3
    assert hit_at_k(ranked, {"a"}, 2) == 0.0
    assert hit_at_k(ranked, {"a"}, 3) == 1.0
    assert reciprocal_rank(ranked, {"a", "z"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(ranked, {"a"}, k=2) == 0.0
    assert reciprocal_rank(ranked, {"nope"}) == 0.0
    assert hit_at_k([], {"a"}, 5) == 0.0


def test_repeated_ids_are_not_double_counted() -> None:
    assert dedupe(["a", "a", "b", "a", "c"]) == ["a", "b", "c"]
    # without dedupe "a" would count twice: DCG 1 + 1/log2(3) over an ideal of 1 -> nDCG > 1
    assert ndcg_at_k(["a", "a", "b"], {"a"}, 10) == pytest.approx(1.0)
    # a repeated non-relevant id is removed too, so "b" moves up from rank 3 to rank 2
    assert first_relevant_rank(["x", "x", "b"], {"b"}) == 2
    assert reciprocal_rank(["x", "x", "b"], {"b"}) == pytest.approx(0.5)
    # the repeat of a relevant id gains nothing, the next relevant id gets rank 2
    expected = (1 + 1 / math.log2(3)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k(["a", "a", "b"], {"a", "b"}, 10) == pytest.approx(expected)


def test_dcg_and_ideal_dcg_by_hand() -> None:
    assert dcg([1, 0, 1]) == pytest.approx(1 + 1 / 2)  # log2(2)=1, log2(4)=2
    assert ideal_dcg(2, 10) == pytest.approx(1 + 1 / math.log2(3))
    # the ideal is capped at k: 5 relevant items but only 3 positions
    assert ideal_dcg(5, 3) == pytest.approx(1 + 1 / math.log2(3) + 1 / 2)
    assert ideal_dcg(0, 10) == 0.0


def test_ndcg_by_hand() -> None:
    # relevant {a, b}; ranking x a y b -> DCG = 1/log2(3) + 1/log2(5)
    got = ndcg_at_k(["x", "a", "y", "b"], {"a", "b"}, 10)
    assert got == pytest.approx((1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3)))
    # cut at k=2: only "a" at rank 2 counts; the ideal at k=2 holds both relevant items
    assert ndcg_at_k(["x", "a", "y", "b"], {"a", "b"}, 2) == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    # more relevant items than k: the ideal is min(|relevant|, k) items, so a perfect top-k scores 1
    assert ndcg_at_k(["a", "b"], {"a", "b", "c", "d"}, 2) == pytest.approx(1.0)
    assert ndcg_at_k(["a", "b", "c"], set(), 3) == 0.0
    # repeated relevant ids in the label list do not inflate the ideal
    assert ndcg_at_k(["a"], ["a", "a"], 10) == pytest.approx(1.0)


def test_percentile_matches_linear_interpolation() -> None:
    values = [10, 20, 30, 40]
    assert percentile(values, 50) == pytest.approx(25.0)
    assert percentile(values, 95) == pytest.approx(38.5)  # pos = 3 * 0.95 = 2.85 -> 30 + 0.85 * 10
    assert percentile(values, 0) == 10 and percentile(values, 100) == 40
    assert percentile([7], 95) == 7
    assert percentile([], 95) == 0.0
    with pytest.raises(ValueError):
        percentile(values, 101)


def test_fact_presence_is_whole_token_and_case_insensitive() -> None:
    text = "Ticket ZD-4123 opened at 2026-04-12 09:14 UTC; SLA compliance 99.5% on release 5.2.1."
    assert fact_present(text, "zd-4123")
    assert not fact_present(text, "ZD-412")
    assert fact_present(text, "99.5%")
    assert not fact_present(text, "99")
    assert not fact_present(text, "5.2")
    assert fact_present(text, "5.2.1")
    assert not fact_present(text, "2.1")
    assert fact_present("set carrier.http.max_conns=200", "max_conns")
    assert fact_present(text, "2026-04-12  09:14 UTC")
    recall, missing = fact_recall(text, ["ZD-4123", "5.2.1", "E-3002"])
    assert recall == pytest.approx(2 / 3) and missing == ["E-3002"]
    assert fact_recall(text, []) == (1.0, [])
