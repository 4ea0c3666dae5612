"""Embedding benchmark: cold CLI start, pure embedding throughput, vector agreement, and retrieval
quality per embeddings spec. Prints one JSON document.

Usage::

    python scripts/bench_embeddings.py throughput --home H [--texts 512]
    python scripts/bench_embeddings.py cli --home H [--code DIR ...] [--runs 5]
    python scripts/bench_embeddings.py quality --home H [--spec local ...] [--runbooks ../shared/realdata/runbooks]

- ``throughput``: the sample's chunk texts (sorted by length, as ingest does) embedded by
  sentence-transformers on torch and by the ONNX export: texts/s and the smallest cosine.
- ``cli``: median wall time of cold ``draft brief --ticket ZD-4347`` and ``ask --account harbor-line``
  over ``--runs`` fresh processes, once per ``--code`` checkout (PYTHONPATH), each on its own copy of
  the ingested home ``H`` (H itself is never written).
- ``quality``: hit@3 and MRR per ``--spec`` on ``evals/datasets/retrieval.jsonl`` (hybrid search
  over a copy of H, re-embedded if the spec's model differs) and on the real runbooks'
  ``queries.json`` (hybrid and dense only).

The machine's load average is part of the output: on a shared machine compare runs made back to back.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from copilot.service import Copilot

REPO = Path(__file__).resolve().parents[1]
COMMANDS = {
    "draft_brief": ["draft", "brief", "--ticket", "ZD-4347"],
    "ask": ["ask", "--account", "harbor-line", "why did label requests time out?"],
}


def _texts(home: Path, limit: int) -> list[str]:
    from copilot.records.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(home / "records.sqlite3", Path(tmp) / "records.sqlite3")
        chunks = Store(Path(tmp) / "records.sqlite3").chunks()
    if not chunks:
        raise SystemExit(f"no chunks in {home}: pass an ingested sample home")
    texts = sorted(c.text for c in chunks)[::max(1, len(chunks) // limit)][:limit]
    return sorted(texts, key=len)


def throughput(home: Path, limit: int) -> dict:
    import numpy as np

    from copilot.search.embedding import load_embedding

    texts = _texts(home, limit)
    out: dict = {"texts": len(texts), "avg_chars": round(sum(map(len, texts)) / len(texts))}
    vectors = {}
    for spec in ("local:torch", "local"):
        model = load_embedding(spec)
        model.get_text_embedding_batch(texts[:8])  # warm up outside the clock
        started = time.perf_counter()
        vectors[spec] = np.array(model.get_text_embedding_batch(texts))
        seconds = time.perf_counter() - started
        out[spec] = {"texts_per_s": round(len(texts) / seconds, 1), "seconds": round(seconds, 2)}
    for spec in ("local",):
        cos = (vectors[spec] * vectors["local:torch"]).sum(axis=1)
        out[spec]["min_cosine_vs_torch"] = round(float(cos.min()), 7)
        out[spec]["mean_cosine_vs_torch"] = round(float(cos.mean()), 7)
    return out


def cold_cli(home: Path, codes: list[Path], runs: int) -> dict:
    out: dict = {}
    for code in codes:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "home"
            shutil.copytree(home, copy)
            env = {**os.environ, "PYTHONPATH": str(code), "HF_HUB_OFFLINE": "1", "COPILOT_HOME": str(copy)}
            timings: dict = {}
            for name, args in COMMANDS.items():
                subprocess.run([sys.executable, "-m", "copilot", *args, "--home", str(copy)], env=env, cwd=code,
                               capture_output=True, check=False)  # first run: fills OS file caches
                seconds, cpu = [], []
                for _ in range(runs):
                    started, used = time.perf_counter(), _children_cpu()
                    done = subprocess.run([sys.executable, "-m", "copilot", *args, "--home", str(copy)],
                                          env=env, cwd=code, capture_output=True, text=True, check=False)
                    seconds.append(time.perf_counter() - started)
                    cpu.append(_children_cpu() - used)
                    if done.returncode != 0:
                        raise SystemExit(f"{name} failed with {code}: {done.stderr[-2000:]}")
                # CPU seconds (user + sys) hardly depend on the machine's load; wall time does
                timings[name] = {"median_wall_s": round(statistics.median(seconds), 2),
                                 "median_cpu_s": round(statistics.median(cpu), 2),
                                 "runs_wall_s": [round(s, 2) for s in seconds],
                                 "runs_cpu_s": [round(s, 2) for s in cpu]}
            out[str(code)] = timings
    return out


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _rank(ids: list[str], relevant: set[str]) -> int | None:
    return next((i for i, x in enumerate(ids, 1) if x in relevant), None)


def _scores(ranks: list[int | None]) -> dict:
    return {"queries": len(ranks), "hit_at_3": round(sum(r is not None and r <= 3 for r in ranks) / len(ranks), 4),
            "mrr": round(sum(1 / r for r in ranks if r) / len(ranks), 4)}


def _sample_quality(copilot: Copilot) -> dict:
    ranks = []
    for line in (REPO / "evals" / "datasets" / "retrieval.jsonl").read_text().splitlines():
        if line.strip():
            case = json.loads(line)
            relevant = set(case["relevant"])
            passages = copilot.search(case["account_id"], case["query"], k=10)
            ranks.append(next((i for i, p in enumerate(passages, 1) if {p.source_id, p.record_id} & relevant), None))
    return _scores(ranks)


def _runbook_quality(copilot: Copilot, runbooks: Path) -> dict:
    queries = json.loads((runbooks / "queries.json").read_text())["queries"]
    files = {rb.id: Path(rb.source_file).name for rb in copilot.store.runbooks()}
    hybrid, dense = [], []
    for case in queries:
        relevant = set(case["relevant"])
        passages = copilot.retriever.search("no-such-account", case["query"], 10)
        hybrid.append(_rank(list(dict.fromkeys(files.get(p.record_id, "") for p in passages)), relevant))
        hits = copilot.index.query(case["query"], "no-such-account", k=30)
        chunks = {c.id: c for c in copilot.store.chunks_by_id([cid for cid, _ in hits])}
        ranked = [files.get(chunks[cid].record_id, "") for cid, _ in hits if cid in chunks]
        dense.append(_rank(list(dict.fromkeys(ranked)), relevant))
    return {"hybrid": _scores(hybrid), "dense": _scores(dense)}


def quality(home: Path, runbooks: Path, specs: list[str]) -> dict:
    from copilot.config import Settings
    from copilot.service import Copilot

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            copy = Path(tmp) / spec.replace(":", "-")
            shutil.copytree(home, copy)
            copilot = Copilot(settings=Settings.load(copy, embeddings=spec))
            started = time.perf_counter()
            report = copilot.ingest([REPO / "data" / "sample"])  # another model: all re-embed
            result = {"reingest": {"chunks_embedded": report.chunks_embedded,
                                   "seconds": round(time.perf_counter() - started, 1)}}
            result["sample_retrieval_jsonl"] = _sample_quality(copilot)
            rb = Copilot(settings=Settings.load(Path(tmp) / f"rb-{spec.replace(':', '-')}", embeddings=spec))
            rb.ingest([runbooks])
            result["realdata_runbooks"] = _runbook_quality(rb, runbooks)
            out[spec] = result
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["throughput", "cli", "quality"])
    parser.add_argument("--home", type=Path, help="an ingested sample home (copied, never written)")
    parser.add_argument("--code", type=Path, action="append", help="checkout(s) to time (default: this one)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--texts", type=int, default=512)
    parser.add_argument("--spec", action="append", help="embeddings spec(s) for quality (default: local)")
    parser.add_argument("--runbooks", type=Path, default=REPO.parent / "shared" / "realdata" / "runbooks")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    result: dict = {"what": args.what, "load_average_before": [round(x, 2) for x in os.getloadavg()],
                    "cpus": os.cpu_count()}
    if args.home is None:
        raise SystemExit(f"{args.what} needs --home: an ingested sample home (it is copied, never written)")
    if args.what == "throughput":
        result["throughput"] = throughput(args.home, args.texts)
    elif args.what == "cli":
        result["cold_cli"] = cold_cli(args.home, args.code or [REPO], args.runs)
    else:
        result["quality"] = quality(args.home, args.runbooks, args.spec or ["local"])
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
