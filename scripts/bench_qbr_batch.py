"""Batch QBR at scale on the template backend: accounts/s, peak memory, and resuming after a kill.

Usage: python scripts/bench_qbr_batch.py [--size small|large] [--accounts N] [--workers 2]
       [--executors process] [--seed 7] [--quarter 2026Q3] [--embed] [--workdir DIR] [--base-home HOME]

Prints one JSON document on stdout (progress on stderr). ``--size large`` is 1,000 generated
accounts, ``small`` (what CI runs) 20. The portfolio is generated and ingested first (not timed;
without embeddings unless ``--embed``: the template batch reads records only, see
``batch_support.py``) and kept in ``--workdir`` for the next run. ``--base-home HOME`` skips
that step: an already ingested home (e.g. the 1,000-account one, 170k chunks) is copied into
the workdir (HOME itself is never opened or written) and its accounts are the portfolio.

Figures:
- per executor, in this process (``run_qbr_batch``) on a fresh copy of the home: accounts/s over
  the drafting phase and over the whole call, CPU seconds per account (this process and its
  workers: on a shared machine the wall-clock rate depends on the other load, CPU much less), and
  the peak resident memory of the process tree (sum of VmRSS of this process and its workers,
  sampled every 50 ms: shared pages count once per process, so it is an upper bound);
- ``resume``: ``python -m copilot qbr-batch --all`` killed with SIGKILL halfway, then run again:
  ``restart_to_first_account_s`` (new process to the first account finished after the restart:
  start-up plus deciding what to skip), the resumed run's seconds, what it skipped/completed, and
  its accounts/s after the first account, CPU per account and peak memory (the CLI and its workers).
  ``--executors ""`` measures only this (one pass over the portfolio instead of two).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_support import prepare_home
from bench_support import emit, load, machine, note

REPO = Path(__file__).resolve().parents[1]
SIZES = {"small": 20, "large": 1000}
TARGET = 5.0


def _cpu_seconds() -> float:
    """User + system CPU of this process and of its reaped children (the pool's workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc; Linux)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                pass
    return out


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class PeakMemory:
    """Samples the resident memory of a process tree in a thread; ``peak_mb`` is the largest sum seen."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_mb = pid, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak_mb = max(self.peak_mb, _rss_mb(_tree(self.pid)))

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _prepared(workdir: Path, accounts: int, seed: int, embed: bool) -> Path:
    """The ingested home for ``accounts`` (kept in ``workdir`` between runs)."""
    base = workdir / f"base-{accounts}-{seed}{'-embedded' if embed else ''}"
    if not (base / "home" / "records.sqlite3").exists():
        shutil.rmtree(base, ignore_errors=True)
        with contextlib.redirect_stdout(sys.stderr):  # stdout is the JSON document
            prepare_home(base, accounts, seed, embed=embed)
    return base / "home"


def _copied(base_home: Path, workdir: Path) -> Path:
    """A fresh copy of an ingested home in ``workdir`` (the original stays untouched)."""
    if not (base_home / "records.sqlite3").is_file():
        raise SystemExit(f"--base-home {base_home}: no records.sqlite3 there; pass an ingested home "
                         "(`tam-copilot ingest DIR --home HOME`)")
    home = workdir / "base-home" / "home"
    shutil.rmtree(home.parent, ignore_errors=True)
    note(f"copying {base_home} -> {home}")
    shutil.copytree(base_home, home)
    return home


def in_process(home: Path, workdir: Path, executor: str, args: argparse.Namespace) -> dict:
    from copilot.batch import run_qbr_batch
    from copilot.service import Copilot

    run_home, out = workdir / f"home-{executor}", workdir / f"out-{executor}"
    for path in (run_home, out):
        shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(home, run_home)
    copilot = Copilot(run_home)
    note(f"[{executor}] load {load()}")
    cpu_before, started = _cpu_seconds(), time.perf_counter()
    with PeakMemory(os.getpid()) as memory:
        result = run_qbr_batch(copilot, args.quarter, None, out, workers=args.workers, executor=executor)
    wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_before
    copilot.store.close()
    n = len(result.completed) + len(result.failed)
    return {"executor": executor, "workers": result.workers, "accounts": n, "failed": len(result.failed),
            "drafting_accounts_per_s": round(n / result.drafting_seconds, 2),
            "whole_call_accounts_per_s": round(n / wall, 2), "whole_call_s": round(wall, 1),
            "cpu_s_per_account": round(cpu / max(1, n), 4), "peak_rss_mb": round(memory.peak_mb),
            "load_at_end": load()}


def _manifests(out: Path) -> set[str]:
    return {p.parent.name for p in (out / "accounts").glob("*/manifest.json")}


def resume(home: Path, workdir: Path, args: argparse.Namespace, accounts: int) -> dict:
    """Kill the CLI run halfway, restart it, and time the restart."""
    run_home, out = workdir / "home-resume", workdir / "out-resume"
    for path in (run_home, out):
        shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(home, run_home)
    cmd = [sys.executable, "-m", "copilot", "qbr-batch", "--home", str(run_home), "--quarter", args.quarter,
           "--all", "--out", str(out), "--workers", str(args.workers), "--json"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    kill_after = max(1, accounts // 2)
    note(f"[resume] first run, SIGKILL after {kill_after} accounts; load {load()}")
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    while len(_manifests(out)) < kill_after and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its workers, as an out-of-memory kill or a power cut would
    proc.wait()
    before = _manifests(out)
    note(f"[resume] {len(before)} accounts done at the kill; restarting, load {load()}")
    cpu_before, started = _cpu_seconds(), time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first_new = None
    with PeakMemory(proc.pid) as memory:
        while proc.poll() is None:
            if first_new is None and _manifests(out) - before:
                first_new = time.perf_counter() - started
            time.sleep(0.05)
    seconds = time.perf_counter() - started
    payload = json.loads(proc.stdout.read() or "{}")
    done = payload.get("completed") or 0
    first_new = first_new or seconds
    return {"accounts_done_at_kill": len(before), "restart_to_first_account_s": round(first_new, 2),
            "resumed_run_s": round(seconds, 1), "exit_code": proc.returncode,
            "skipped": payload.get("skipped"), "completed": done, "failed": len(payload.get("failed", [])),
            "resumed_accounts_per_s": round(done / max(1e-9, seconds - first_new), 2) if done > 1 else None,
            "resumed_cpu_s_per_account": round((_cpu_seconds() - cpu_before) / max(1, done), 4),
            "resumed_peak_rss_mb": round(memory.peak_mb), "load_at_end": load()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--accounts", type=int, default=None, help="overrides --size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quarter", default="2026Q3")
    parser.add_argument("--executors", default="process", help="comma-separated: process,thread,serial")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-resume", action="store_true", help="skip the kill/resume measurement")
    parser.add_argument("--embed", action="store_true", help="full ingest with embeddings (slow)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--base-home", type=Path, default=None,
                        help="an ingested home to copy instead of generating and ingesting a portfolio "
                             "(--size/--accounts/--seed/--embed are then ignored)")
    args = parser.parse_args()
    accounts = args.accounts or SIZES[args.size]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-qbr-"))
    workdir.mkdir(parents=True, exist_ok=True)
    document: dict = {"benchmark": "qbr_batch", "machine": machine(),
                      "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
                      "backend": "template", "target_accounts_per_s": TARGET}
    if args.base_home:
        home = _copied(args.base_home.expanduser().resolve(), workdir)
        document["base_home"] = str(args.base_home)
    else:
        home = _prepared(workdir, accounts, args.seed, args.embed)
    from copilot.records.store import Store

    store = Store(home / "records.sqlite3")
    document["store"] = store.counts()
    store.close()
    document["runs"] = [in_process(home, workdir, e.strip(), args) for e in args.executors.split(",") if e.strip()]
    if not args.no_resume:
        document["resume"] = resume(home, workdir, args, document["store"]["accounts"])
    document["workdir"] = str(workdir)
    emit(document)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
