"""Shared by ``check_batch_resume.py`` and ``bench_qbr_batch.py``: a generated portfolio, ingested.

Ingest uses the real pipeline. By default it stops right before the embedding step, which
leaves the store exactly as an ingest interrupted there would (records committed, chunk rows
``pending``; the next ``tam-copilot ingest`` embeds them): batch QBR with the template backend
reads records only and never the vector index, and embedding tens of thousands of chunks on
a shared 2-core machine takes far longer than the batch itself. ``embed=True`` runs the
complete ingest.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

__all__ = ["corrupt_ticket", "load_average", "prepare_home"]


class _EmbeddingDeferred(Exception):
    pass


class _DeferEmbedding:
    """Stands in for ``VectorIndex`` during ingest and stops the pipeline at the embedding step."""

    def delete(self, chunk_ids: list[str]) -> None:
        pass

    def ids(self) -> set[str]:
        return set()

    def add(self, chunks, progress=None, batch: int = 256) -> None:
        raise _EmbeddingDeferred


def prepare_home(workdir: Path, accounts: int, seed: int, *, embed: bool = False) -> tuple[Path, Path, dict]:
    """Generate ``accounts`` accounts into ``workdir/portfolio`` and ingest them into ``workdir/home``.

    Returns ``(portfolio dir, home dir, store counts)``.
    """
    from copilot.ingest.pipeline import ingest_paths
    from copilot.service import Copilot
    from copilot.synth.generator import generate_portfolio

    portfolio, home = workdir / "portfolio", workdir / "home"
    started = time.perf_counter()
    counts = generate_portfolio(portfolio, accounts, seed)
    print(f"generated {counts['accounts']} accounts, {counts['tickets']} tickets, {counts['incidents']} incidents "
          f"(seed {seed}) in {time.perf_counter() - started:.1f}s -> {portfolio}")
    copilot = Copilot(home)
    started = time.perf_counter()
    if embed:
        report = copilot.ingest([portfolio])
        print(f"ingested with embeddings: {report.chunks_embedded} chunks in {time.perf_counter() - started:.1f}s")
    else:
        try:
            ingest_paths([portfolio], copilot.store, _DeferEmbedding())  # type: ignore[arg-type]
        except _EmbeddingDeferred:
            pass
        pending = copilot.store.execute("SELECT COUNT(*) FROM chunks WHERE state='pending'")[0][0]
        print(f"ingested records in {time.perf_counter() - started:.1f}s; embedding deferred ({pending} chunks "
              "pending; the template batch never reads the vector index; pass --embed for a full ingest)")
    stats = copilot.store.counts()
    copilot.store.close()
    return portfolio, home, stats


def corrupt_ticket(home: Path, account_id: str) -> str:
    """Break one stored ticket of ``account_id`` (its JSON loses ``created_at``); returns the ticket id."""
    import json
    import sqlite3

    with sqlite3.connect(home / "records.sqlite3") as conn:
        ticket_id, doc = conn.execute("SELECT id, json FROM tickets WHERE account_id=? ORDER BY id LIMIT 1",
                                      (account_id,)).fetchone()
        data = json.loads(doc)
        data.pop("created_at", None)
        conn.execute("UPDATE tickets SET json=? WHERE id=?", (json.dumps(data), ticket_id))
    return ticket_id


def load_average() -> str:
    try:
        one, five, _ = os.getloadavg()
        return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"
    except OSError:
        return "load average unknown"
