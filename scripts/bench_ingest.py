"""Ingest throughput on the sample: chunks/s, and the overhead over embedding the same texts alone.

Usage::

    python scripts/bench_ingest.py [--embeddings SPEC] [--json] [PATH ...]
    python scripts/bench_ingest.py --compare [--repeats 3] [PATH ...]

(default data/sample and ``COPILOT_EMBEDDINGS``; each ingest uses a fresh temp home)

The embedding model is loaded before the clock starts (it is a one-off per process), so the
figures describe the pipeline: parsing, chunking and storing versus embedding. "Pure embedding" is
the same model embedding the same chunk texts in the same order and batches with nothing else
around it; the overhead is how much longer the whole ingest took than that.

``--compare`` ingests with each design of ``DESIGNS`` (torch, then the ONNX encoder designs) back
to back, alternating which goes first, ``--repeats`` times, and prints one JSON document: every run
with the load average next to it, and per design the median ratio of its chunks/s to the
``previous`` ONNX design's and to torch's in the same repeat. On a shared machine only the ratios mean much; absolute chunks/s need a
quiet one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from copilot.config import Settings
from copilot.service import Copilot

DESIGNS: dict[str, dict] = {
    # the baseline: sentence-transformers on torch (COPILOT_EMBEDDINGS=local:torch)
    "torch": {"torch": True},
    # before: llama-index handed the encoder 64 texts at a time, batched in the order given
    # (ingest's stream is already sorted by characters)
    "previous": {"handoff": 64, "bucketed": False, "batch_size": 64},
    "bucketed": {"fused": False},  # whole lists to the encoder, batches by token count
    "bucketed_fused": {"fused": True},  # and the fused graph (needs the optional `onnx` package)
}


def _pure_embedding_seconds(copilot: Copilot) -> float:
    texts = [c.text for c in sorted(copilot.store.chunks(), key=lambda c: (len(c.text), c.id))]
    started = time.perf_counter()
    for start in range(0, len(texts), 256):  # VectorIndex.add's batches
        copilot.index.embedding.get_text_embedding_batch(texts[start:start + 256])
    return time.perf_counter() - started


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def bench(paths: list[str], embeddings: str | None, design: dict | None = None) -> dict:
    """One ingest into a fresh home; ``design`` (a ``DESIGNS`` value) swaps in that ONNX encoder."""
    with tempfile.TemporaryDirectory() as home:
        copilot = Copilot(settings=Settings.load(home, embeddings=embeddings))
        if design is not None:
            copilot.index._embedding = _onnx_embedding(copilot.settings, design)  # bench only
        copilot.index.embedding.get_text_embedding("warm up")  # load the model outside the timing
        load_before = _load()
        started, cpu_started = time.perf_counter(), time.process_time()
        report = copilot.ingest(paths)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        pure = _pure_embedding_seconds(copilot)
        started = time.perf_counter()
        again = copilot.ingest(paths)
        return {
            "embeddings": copilot.settings.embeddings, "load_average": load_before,
            "files_read": report.files_read, "files_failed": report.files_failed,
            "rows_quarantined": len(report.quarantined), "chunks_embedded": report.chunks_embedded,
            "wall_s": round(wall, 2), "chunks_per_s": round(report.chunks_embedded / wall, 1),
            # CPU seconds (all threads) depend far less on other processes' load than wall time
            "cpu_s": round(cpu, 2), "chunks_per_cpu_s": round(report.chunks_embedded / cpu, 2),
            "embed_stage_s": round(report.embed_seconds, 2),
            "pure_embedding_s": round(pure, 2),
            "overhead_over_pure_embedding_pct": round(100 * (wall - pure) / pure, 1),
            "reingest_unchanged_s": round(time.perf_counter() - started, 2),
            "reingest_chunks_embedded": again.chunks_embedded,
        }


def _onnx_embedding(settings: Settings, design: dict):  # -> OnnxEmbedding (llama-index loads lazily)
    from copilot.search.embedding import MINILM, packaged_minilm
    from copilot.search.onnx_embedding import HANDOFF, OnnxEmbedding
    from copilot.search.onnx_encoder import OnnxEncoder
    from copilot.search.onnx_export import ensure_onnx
    from copilot.search.onnx_fusion import fused_onnx

    source = packaged_minilm()
    path = ensure_onnx(source, settings.model_cache_path)
    if design.get("fused"):
        path = fused_onnx(source, path)
    options = {k: v for k, v in design.items() if k not in ("handoff", "fused")}
    encoder = OnnxEncoder(path, source.tokenizer_path, max_length=source.max_length, **options)
    return OnnxEmbedding(encoder, model_name=MINILM, handoff=design.get("handoff", HANDOFF))


def compare(paths: list[str], repeats: int) -> dict:
    """Every design of ``DESIGNS`` per repeat, back to back; ratios against ``previous``."""
    from copilot.search.onnx_fusion import fusion_available

    designs = [n for n in DESIGNS if fusion_available() or not DESIGNS[n].get("fused")]
    runs: list[dict] = []
    for repeat in range(repeats):
        names = designs if repeat % 2 == 0 else list(reversed(designs))
        for name in names:
            design = DESIGNS[name]
            result = bench(paths, "local:torch", None) if design.get("torch") else bench(paths, "local", design)
            runs.append({"repeat": repeat, "design": name, "uptime_load": result["load_average"],
                         **{k: result[k] for k in ("chunks_embedded", "wall_s", "chunks_per_s", "chunks_per_cpu_s",
                                                   "pure_embedding_s", "overhead_over_pure_embedding_pct")}})
    by = {(r["repeat"], r["design"]): r for r in runs}
    summary = {}
    for name in designs:
        ratios = [by[(i, name)]["chunks_per_s"] / by[(i, "previous")]["chunks_per_s"] for i in range(repeats)]
        cpu_ratios = [by[(i, name)]["chunks_per_cpu_s"] / by[(i, "previous")]["chunks_per_cpu_s"]
                      for i in range(repeats)]
        to_torch = [by[(i, name)]["chunks_per_s"] / by[(i, "torch")]["chunks_per_s"] for i in range(repeats)]
        cpu_to_torch = [by[(i, name)]["chunks_per_cpu_s"] / by[(i, "torch")]["chunks_per_cpu_s"]
                        for i in range(repeats)]
        summary[name] = {
            "design": DESIGNS[name],
            "median_chunks_per_s": statistics.median(by[(i, name)]["chunks_per_s"] for i in range(repeats)),
            "median_ratio_to_previous": round(statistics.median(ratios), 3),
            "ratios_to_previous": [round(x, 3) for x in ratios],
            "median_cpu_ratio_to_previous": round(statistics.median(cpu_ratios), 3),
            "median_ratio_to_torch": round(statistics.median(to_torch), 3),
            "median_cpu_ratio_to_torch": round(statistics.median(cpu_to_torch), 3),
            "median_overhead_pct": statistics.median(by[(i, name)]["overhead_over_pure_embedding_pct"]
                                                     for i in range(repeats)),
        }
    return {"paths": paths, "cpus": os.cpu_count(), "repeats": repeats, "fusion_available": fusion_available(),
            "summary": summary, "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(Path(__file__).resolve().parents[1] / "data" / "sample")])
    parser.add_argument("--embeddings", help="COPILOT_EMBEDDINGS spec (local, local:torch, openai:MODEL)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--compare", action="store_true", help="torch and the ONNX designs back to back (always JSON)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.compare:
        print(json.dumps(compare(args.paths, args.repeats), indent=2))
        return
    result = bench(args.paths, args.embeddings)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        print(f"{key + ':':34s} {value}")
    print("target: overhead over pure embedding <= 15%")


if __name__ == "__main__":
    main()
