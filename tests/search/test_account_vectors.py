"""Dense retrieval from each account's saved vector matrix: same ranking as the filtered Chroma query,
and a later process answers without opening Chroma."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from copilot.records.store import Chunk
from copilot.search.account_vectors import load_or_fetch
from copilot.service import Copilot

QUERIES = ["webhook deliveries failing after certificate rotation", "rate quotes timing out",
           "renewal risk and executive sponsor", "label printing errors for oversized parcels"]


def test_same_ranking_as_the_filtered_chroma_query(sample_copilot: Copilot) -> None:
    for account in [a.id for a in sample_copilot.store.accounts()][:3]:
        chunks = sample_copilot.store.chunks(account)
        vectors = load_or_fetch(None, account, chunks, "test", sample_copilot.index.vectors)
        assert len(vectors.chunk_ids) == len(chunks)
        for query in QUERIES:
            exact = vectors.query(sample_copilot.index.embed_query(query), 10)
            chroma = sample_copilot.index.query(query, account, k=10)
            assert [c for c, _ in exact][:5] == [c for c, _ in chroma][:5], (account, query)
            assert np.allclose([s for _, s in exact], [s for _, s in chroma], atol=1e-4)


def test_a_new_process_searches_from_the_saved_vectors_without_chroma(home_copy: Path) -> None:
    account = Copilot(home_copy).store.accounts()[0].id
    first = Copilot(home_copy)
    before = first.search(account, QUERIES[0])
    assert any(p.dense_rank for p in before)
    assert list((home_copy / "search" / "vectors").glob("*/*/vectors.npy"))

    later = Copilot(home_copy)
    assert later.search(account, QUERIES[0]) == before
    assert later.index._chroma is None  # Chroma never imported nor opened for this search


def _chunk(i: int) -> Chunk:
    return Chunk(id=f"T-{i}@{i:012d}", record_id=f"T-{i}", source_id=f"T-{i}", kind="ticket",
                 account_id="acme", text=f"text {i}")


def test_pending_chunks_are_left_out_and_not_saved(tmp_path: Path) -> None:
    chunks = [_chunk(i) for i in range(3)]
    stored = {c.id: [float(i == j) for j in range(4)] for i, c in enumerate(chunks)}
    partial = load_or_fetch(tmp_path, "acme", chunks, "m", lambda ids: {k: stored[k] for k in ids[:2]})
    assert partial.chunk_ids == [c.id for c in chunks[:2]]
    assert not list(tmp_path.rglob("vectors.npy"))  # a matrix missing a chunk is never saved

    calls: list[int] = []

    def fetch(ids: list[str]) -> dict[str, list[float]]:
        calls.append(len(ids))
        return {k: stored[k] for k in ids}

    full = load_or_fetch(tmp_path, "acme", chunks, "m", fetch)
    again = load_or_fetch(tmp_path, "acme", chunks, "m", fetch)
    assert calls == [3]  # the second one read the saved file
    assert again.query([0.0, 0.0, 1.0, 0.0], 1) == full.query([0.0, 0.0, 1.0, 0.0], 1)
    assert again.query([0.0, 0.0, 1.0, 0.0], 1)[0][0] == chunks[2].id
    other_model = load_or_fetch(tmp_path, "acme", chunks, "another model", fetch)
    assert calls == [3, 3] and other_model.chunk_ids == full.chunk_ids
