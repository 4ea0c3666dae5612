"""Hybrid retrieval: dense (Chroma) + BM25, fused by reciprocal rank, always account-scoped.

Account isolation is enforced twice: the candidate sets are filtered to one account plus
shared documents before ranking, and every fused passage is checked again before it leaves.
"""

from __future__ import annotations

import re
import threading
from datetime import datetime
from pathlib import Path

from copilot.records.models import SHARED_ACCOUNT
from copilot.records.store import Chunk, Store
from copilot.search.account_vectors import AccountVectors, load_or_fetch
from copilot.search.index import VectorIndex
from copilot.search.keyword_index import KeywordIndex, load_or_build
from copilot.search.passage import Passage

__all__ = ["Retriever", "rrf"]

RRF_K = 60
ID_PATTERN = re.compile(r"\b(?:ZD-\d+|[A-Z][A-Z0-9]+-\d+|INC\d{5,}|INC-\d{4}-\d{3,4}|RB-[\w-]+)\b")


def rrf(rankings: list[list[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion: ``score(d) = sum 1 / (k + rank)`` over the rankings (rank from 1)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(dict.fromkeys(ranking), 1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


class Retriever:
    """Account-scoped hybrid search over the store's chunks."""

    def __init__(self, store: Store, index: VectorIndex, cache_root: Path | None = None) -> None:
        """``cache_root``: where each account's BM25 index and vector matrix are saved
        (``<cache_root>/bm25``, ``<cache_root>/vectors``); None: built in memory only."""
        self.store = store
        self.index = index
        self.cache_root = cache_root
        self._bm25: dict[str, tuple[tuple, list[Chunk], KeywordIndex]] = {}
        self._vectors: dict[str, tuple[tuple, AccountVectors]] = {}
        self._lock = threading.Lock()

    def _version(self) -> tuple:
        return self.store.version(), self.store.execute("SELECT COALESCE(MAX(id), 0) FROM ingest_runs")[0][0]

    def _bm25_for(self, account_id: str) -> tuple[list[Chunk], KeywordIndex]:
        """The account's chunks (plus shared ones) and their BM25 index, kept while the store is unchanged."""
        version = self._version()
        with self._lock:
            cached = self._bm25.get(account_id)
            if cached is None or cached[0] != version:
                chunks = self.store.chunks(account_id)
                root = self.cache_root / "bm25" if self.cache_root else None
                cached = (version, chunks, load_or_build(root, account_id, chunks))
                self._bm25[account_id] = cached
            return cached[1], cached[2]

    def _vectors_for(self, account_id: str, chunks: list[Chunk]) -> AccountVectors:
        """The account's chunk vectors, kept while the store is unchanged (pending chunks: read again)."""
        version = self._version()
        with self._lock:
            cached = self._vectors.get(account_id)
            if cached is None or cached[0] != version or len(cached[1].chunk_ids) < len(chunks):
                root = self.cache_root / "vectors" if self.cache_root else None
                cached = (version, load_or_fetch(root, account_id, chunks, self.index.identity.describe(),
                                                 self.index.vectors))
                self._vectors[account_id] = cached
            return cached[1]

    def search(self, account_id: str, query: str, k: int = 8, *, kinds: list[str] | None = None,
               since: datetime | None = None, until: datetime | None = None,
               dense: bool = True) -> list[Passage]:
        """The ``k`` best passages for ``query`` within ``account_id`` and shared documents.

        Args:
            kinds: keep only these chunk kinds (ticket, comment, incident, event, runbook, plan).
            since, until: keep only passages dated in this range (undated ones are dropped).
            dense: set False to rank by BM25 alone (no embedding model needed).
        """
        if dense:  # the query model loads on a thread while the account's files are read
            self.index.warm_query_embedder()
        chunks, bm25 = self._bm25_for(account_id)
        by_id = {c.id: c for c in chunks if _keep(c, kinds, since, until)}
        depth = max(30, k * 4)
        keyword = bm25.search(query, depth, allowed=set(by_id))
        semantic: list[str] = []
        similarity: dict[str, float] = {}
        if dense and by_id:
            vectors = self._vectors_for(account_id, chunks)
            similarity = dict(vectors.query(self.index.embed_query(query), depth, allowed=set(by_id)))
            semantic = list(similarity)
        named = set(ID_PATTERN.findall(query))
        exact = sorted(c.id for c in by_id.values() if c.source_id in named or c.record_id in named)
        # an exact id named in the question outranks similarity: it counts as two rankings
        fused = rrf([exact, exact, keyword, semantic])[:k]
        keyword_rank = {cid: i for i, cid in enumerate(keyword, 1)}
        dense_rank = {cid: i for i, cid in enumerate(semantic, 1)}
        out = []
        for cid, score in fused:
            chunk = by_id[cid]
            if chunk.account_id not in (account_id, SHARED_ACCOUNT):  # isolation, checked again
                continue
            out.append(Passage(chunk_id=cid, source_id=chunk.source_id, record_id=chunk.record_id,
                               account_id=chunk.citation_account, kind=chunk.kind, text=chunk.text,
                               score=round(score, 6), bm25_rank=keyword_rank.get(cid),
                               dense_rank=dense_rank.get(cid),
                               dense_score=round(similarity[cid], 6) if cid in similarity else None))
        return out


def _keep(chunk: Chunk, kinds: list[str] | None, since: datetime | None, until: datetime | None) -> bool:
    if kinds and chunk.kind not in kinds:
        return False
    if since or until:
        ts = chunk.metadata.get("created_ts")
        if ts is None:
            return False
        if since and ts < since.timestamp():
            return False
        if until and ts > until.timestamp():
            return False
    return True
