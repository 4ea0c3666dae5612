"""Retrieval over the ingested sample: account isolation and labelled-query quality."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from copilot.search.retrieval import rrf
from copilot.service import Copilot

REPO = Path(__file__).resolve().parents[2]
QUERIES = REPO / "evals" / "datasets" / "retrieval.jsonl"


def test_rrf_sums_reciprocal_ranks_and_ignores_repeats() -> None:
    fused = dict(rrf([["a", "b", "a"], ["b", "c"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 62)


def bait_queries(copilot: Copilot, account_id: str, limit: int = 12) -> list[str]:
    """Other accounts' ticket subjects and ids: the questions most likely to pull their records."""
    others = [t for t in copilot.store.tickets() if t.account_id != account_id]
    others.sort(key=lambda t: (t.priority, t.id))
    picked = others[:limit]
    return [t.subject for t in picked] + [t.id for t in picked[: limit // 3]]


def test_every_account_only_sees_its_own_records_or_shared(sample_copilot: Copilot) -> None:
    accounts = [a.id for a in sample_copilot.store.accounts()]
    assert len(accounts) >= 5
    for account_id in accounts:
        for query in bait_queries(sample_copilot, account_id):
            for passage in sample_copilot.search(account_id, query, k=10):
                assert passage.account_id in (account_id, None), (account_id, query, passage.source_id)
                if passage.account_id is None:
                    assert passage.kind == "runbook"


def test_ask_cli_cites_only_the_account(sample_home: Path, sample_copilot: Copilot) -> None:
    for account in sample_copilot.store.accounts():
        query = bait_queries(sample_copilot, account.id, limit=1)[0]
        out = subprocess.run([sys.executable, "-m", "copilot", "ask", "--account", account.id, query,
                              "--home", str(sample_home), "--json"], capture_output=True, text=True, check=False)
        assert out.returncode == 0, out.stderr
        answer = json.loads(out.stdout)
        assert answer["citations"], answer
        assert "Extractive answer" in answer["answer"]
        for citation in answer["citations"]:
            assert citation["account_id"] in (account.id, None)
            assert {"source_id", "account_id", "kind", "snippet"} <= citation.keys()


def test_labelled_queries_hit_at_5(sample_copilot: Copilot) -> None:
    if not QUERIES.exists():
        pytest.skip(f"{QUERIES} not written yet")
    cases = [json.loads(line) for line in QUERIES.read_text().splitlines() if line.strip()]
    hits, reciprocal = 0, 0.0
    for case in cases:
        passages = sample_copilot.search(case["account_id"], case["query"], k=5)
        relevant = set(case["relevant"])
        rank = next((i for i, p in enumerate(passages, 1) if {p.source_id, p.record_id} & relevant), None)
        hits += rank is not None
        reciprocal += 1 / rank if rank else 0.0
    hit_at_5, mrr = hits / len(cases), reciprocal / len(cases)
    print(f"\nretrieval over {len(cases)} labelled queries: hit@5={hit_at_5:.3f} MRR={mrr:.3f}")
    assert hit_at_5 >= 0.9
