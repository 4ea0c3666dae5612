"""Batch QBR throughput: accounts per second for the template backend (ingest excluded).

Usage: python scripts/bench_qbr_batch.py [--accounts 200] [--seed 7] [--quarter 2026Q3]
       [--executors process,thread,serial] [--workers 2] [--embed] [--workdir DIR]

Generates and ingests a portfolio (not timed), then for each executor runs the whole batch on
a fresh copy of the ingested home into a fresh out folder, and prints accounts/s over the
drafting phase (draft + guardrails + files + charts + review queue + manifest, worker start-up
included) and over the whole call (plus fingerprints and the index), and the CPU time per
account: on a shared machine the wall-clock rate depends on the other load (the script prints
the load average), the CPU time per account much less.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_support import load_average, prepare_home

TARGET = 5.0


def _cpu_seconds() -> float:
    """User + system CPU of this process and of its reaped children (the pool's workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _stage_means(out: Path) -> dict[str, float]:
    """Mean per-stage timings over the accounts' manifests (draft = facts + template + guardrails)."""
    import json

    timings = [json.loads(p.read_text())["timings"] for p in (out / "accounts").glob("*/manifest.json")]
    stages = ("draft", "write", "charts", "review")
    return {k: sum(t.get(k, 0.0) for t in timings) / max(1, len(timings)) for k in stages}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quarter", default="2026Q3")
    parser.add_argument("--executors", default="process,thread,serial")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--embed", action="store_true", help="full ingest with embeddings (slow)")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-qbr-"))
    workdir.mkdir(parents=True, exist_ok=True)
    _, home, stats = prepare_home(workdir, args.accounts, args.seed, embed=args.embed)
    print(f"store: {stats['accounts']} accounts, {stats['tickets']} tickets, {stats['incidents']} incidents")

    from copilot.batch import run_qbr_batch
    from copilot.service import Copilot

    results = []
    for executor in [e.strip() for e in args.executors.split(",") if e.strip()]:
        run_home = workdir / f"home-{executor}"
        out = workdir / f"out-{executor}"
        shutil.rmtree(run_home, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(home, run_home)
        copilot = Copilot(run_home)
        print(f"\n[{executor}] {load_average()}")
        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        result = run_qbr_batch(copilot, args.quarter, None, out, workers=args.workers, executor=executor)
        wall = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
        n = len(result.completed) + len(result.failed)
        print(f"[{executor}] workers={result.workers}: {len(result.completed)} drafted, {len(result.failed)} failed; "
              f"drafting {result.drafting_seconds:.1f}s = {n / result.drafting_seconds:.2f} accounts/s; "
              f"whole call {wall:.1f}s = {n / wall:.2f} accounts/s")
        print(f"[{executor}] {load_average()}")
        per_account = cpu / max(1, n)
        print(f"[{executor}] CPU time (this process + its workers): {cpu:.1f}s = {per_account:.3f}s per account; "
              f"on {os.cpu_count()} otherwise idle cores that is at most "
              f"{min(result.workers, os.cpu_count() or 1) / per_account:.2f} accounts/s (projection)")
        stages = _stage_means(out)
        print(f"[{executor}] mean seconds per account by stage (wall, inside a worker): "
              + ", ".join(f"{k} {v:.3f}" for k, v in stages.items()))
        for failure in result.failed[:5]:
            print(f"  failed {failure.account_id}: {failure.error}")
        results.append((executor, n / result.drafting_seconds, n / wall))
        copilot.store.close()

    print("\nsummary (template backend, ingest excluded):")
    for executor, drafting, whole in results:
        mark = "meets" if drafting >= TARGET else "below"
        print(f"  {executor:8} {drafting:6.2f} accounts/s drafting, {whole:6.2f} accounts/s whole call "
              f"({mark} the {TARGET:g}/s target)")
    print(f"workdir: {workdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
