"""Ingest throughput on the sample: chunks/s and the share of wall time spent embedding.

Usage: python scripts/bench_ingest.py [PATH ...]   (default data/sample; uses a fresh temp home)

The embedding model is loaded before the clock starts (it is a one-off per process), so the
figures describe the pipeline: parsing, chunking and storing versus embedding.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from copilot.service import Copilot


def main(paths: list[str]) -> None:
    with tempfile.TemporaryDirectory() as home:
        copilot = Copilot(home)
        copilot.index.embedding.get_text_embedding("warm up")  # load MiniLM outside the timing
        started = time.perf_counter()
        report = copilot.ingest(paths)
        wall = time.perf_counter() - started
        overhead = wall - report.embed_seconds
        print(f"files read:          {report.files_read} ({report.files_failed} failed, {len(report.quarantined)} rows quarantined)")
        print(f"records:             {report.accounts} accounts, {report.tickets} tickets, {report.incidents} incidents, {report.runbooks} runbooks")
        print(f"chunks embedded:     {report.chunks_embedded}")
        print(f"wall time:           {wall:.2f} s")
        print(f"throughput:          {report.chunks_embedded / wall:.1f} chunks/s")
        print(f"embedding time:      {report.embed_seconds:.2f} s ({100 * report.embed_seconds / wall:.1f}% of wall)")
        print(f"pipeline overhead:   {overhead:.2f} s ({100 * overhead / wall:.1f}% of wall; target <= 15%)")
        started = time.perf_counter()
        again = copilot.ingest(paths)
        print(f"re-ingest unchanged: {time.perf_counter() - started:.2f} s, chunks embedded {again.chunks_embedded}")


if __name__ == "__main__":
    main(sys.argv[1:] or [str(Path(__file__).resolve().parents[1] / "data" / "sample")])
