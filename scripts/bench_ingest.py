"""Ingest throughput on the sample: chunks/s, and the overhead over embedding the same texts alone.

Usage: python scripts/bench_ingest.py [--embeddings SPEC] [--json] [PATH ...]
(default data/sample and ``COPILOT_EMBEDDINGS``; uses a fresh temp home)

The embedding model is loaded before the clock starts (it is a one-off per process), so the
figures describe the pipeline: parsing, chunking and storing versus embedding. "Pure embedding" is
the same model embedding the same chunk texts in the same order and batches with nothing else
around it; the overhead is how much longer the whole ingest took than that.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from copilot.config import Settings
from copilot.service import Copilot


def _pure_embedding_seconds(copilot: Copilot) -> float:
    texts = [c.text for c in sorted(copilot.store.chunks(), key=lambda c: (len(c.text), c.id))]
    started = time.perf_counter()
    for start in range(0, len(texts), 256):  # VectorIndex.add's batches
        copilot.index.embedding.get_text_embedding_batch(texts[start:start + 256])
    return time.perf_counter() - started


def bench(paths: list[str], embeddings: str | None) -> dict:
    with tempfile.TemporaryDirectory() as home:
        copilot = Copilot(settings=Settings.load(home, embeddings=embeddings))
        copilot.index.embedding.get_text_embedding("warm up")  # load the model outside the timing
        started = time.perf_counter()
        report = copilot.ingest(paths)
        wall = time.perf_counter() - started
        pure = _pure_embedding_seconds(copilot)
        started = time.perf_counter()
        again = copilot.ingest(paths)
        return {
            "embeddings": copilot.settings.embeddings, "load_average": [round(x, 2) for x in os.getloadavg()],
            "files_read": report.files_read, "files_failed": report.files_failed,
            "rows_quarantined": len(report.quarantined), "chunks_embedded": report.chunks_embedded,
            "wall_s": round(wall, 2), "chunks_per_s": round(report.chunks_embedded / wall, 1),
            "embed_stage_s": round(report.embed_seconds, 2),
            "pure_embedding_s": round(pure, 2),
            "overhead_over_pure_embedding_pct": round(100 * (wall - pure) / pure, 1),
            "reingest_unchanged_s": round(time.perf_counter() - started, 2),
            "reingest_chunks_embedded": again.chunks_embedded,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(Path(__file__).resolve().parents[1] / "data" / "sample")])
    parser.add_argument("--embeddings", help="COPILOT_EMBEDDINGS spec (local, local:torch, openai:MODEL)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    result = bench(args.paths, args.embeddings)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        print(f"{key + ':':34s} {value}")
    print("target: overhead over pure embedding <= 15%")


if __name__ == "__main__":
    main()
