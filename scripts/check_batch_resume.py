"""Kill/resume check for batch QBR on a generated portfolio (default 60 accounts).

Usage: python scripts/check_batch_resume.py [--accounts 60] [--seed 7] [--workers 2] [--kill-after 15]
       [--embed] [--workdir DIR]

1. generate and ingest the portfolio (see batch_support.py);
2. start ``python -m copilot qbr-batch --all`` and SIGKILL it once ``--kill-after`` accounts have
   a manifest;
3. check that nothing is written after the kill (worker processes die with the batch);
4. run the same command again: it must skip every account finished before the kill, complete
   all others, and leave a draft, three charts and a manifest per account, and an index;
5. run it a third time: everything skipped;
6. break one account's stored ticket and run again: exit 1, that account failed with a clear
   error in the JSON and the index, every other account skipped (unchanged).

Prints what it did; exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_support import corrupt_ticket, load_average, prepare_home

REPO = Path(__file__).resolve().parents[1]
FAILURES: list[str] = []


def check(ok: bool, what: str) -> None:
    print(f"  [{'ok' if ok else 'FAIL'}] {what}")
    if not ok:
        FAILURES.append(what)


def mtimes(out: Path) -> dict[str, int]:
    return {p.parent.name: p.stat().st_mtime_ns for p in (out / "accounts").glob("*/manifest.json")}


def run(cmd: list[str]) -> tuple[int, dict, float]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - started
    try:
        payload = json.loads(proc.stdout)
    except json.JSONDecodeError:
        print(proc.stderr[-3000:])
        payload = {}
    return proc.returncode, payload, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-after", type=int, default=15, help="kill once this many accounts are finished")
    parser.add_argument("--quarter", default="2026Q3")
    parser.add_argument("--embed", action="store_true")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="check-batch-resume-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"1. portfolio ({load_average()})")
    _, home, stats = prepare_home(workdir, args.accounts, args.seed, embed=args.embed)
    accounts = sorted(r[0] for r in sqlite3.connect(home / "records.sqlite3").execute("SELECT account_id FROM plans"))
    out = workdir / "qbr"
    cmd = [sys.executable, "-m", "copilot", "qbr-batch", "--home", str(home), "--quarter", args.quarter, "--all",
           "--out", str(out), "--workers", str(args.workers), "--json"]
    print(f"   {stats['accounts']} accounts, {stats['tickets']} tickets in {home}")
    print(f"   command: {' '.join(cmd[1:])}")

    print(f"2. first run, killed with SIGKILL after {args.kill_after} finished accounts")
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while len(mtimes(out)) < args.kill_after and proc.poll() is None:
        time.sleep(0.02)
    if proc.poll() is not None:
        print(f"   the run finished (exit {proc.returncode}) before the kill; lower --kill-after")
        return 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    at_kill = mtimes(out)
    print(f"   killed pid {proc.pid} after {time.perf_counter() - started:.1f}s; {len(at_kill)} manifests at the kill")

    print("3. nothing is written after the kill")
    time.sleep(2.0)
    finished = mtimes(out)
    check(finished == at_kill, f"no manifest appeared or changed in the 2 s after the kill ({len(finished)} manifests)")
    partial = [p for p in (out / "accounts").glob("*") if not (p / "manifest.json").exists()]
    print(f"   {len(partial)} account folder(s) without a manifest (killed mid-account, to be redone)")

    print("4. second run resumes")
    code, payload, seconds = run(cmd)
    print(f"   exit {code} in {seconds:.1f}s: completed {payload.get('completed')}, skipped {payload.get('skipped')}, "
          f"failed {len(payload.get('failed', []))}")
    check(code == 0, "exit code 0")
    check(sorted(payload.get("skipped_accounts", [])) == sorted(finished),
          f"the {len(finished)} accounts finished before the kill were skipped, not redone")
    check(sorted(payload.get("completed_accounts", [])) == sorted(set(accounts) - set(finished)),
          f"the other {len(accounts) - len(finished)} accounts were completed")
    after = mtimes(out)
    check({a: after.get(a) for a in finished} == finished, "their manifests are untouched (same mtime)")
    complete = [a for a in accounts if (out / "accounts" / a / "draft.md").stat().st_size > 0
                and (out / "accounts" / a / "draft.json").exists()
                and len(list((out / "accounts" / a / "charts").glob("*.png"))) == 3]
    check(len(complete) == len(accounts), f"{len(complete)}/{len(accounts)} accounts have draft.md, draft.json "
                                          "and 3 PNG charts")
    index = (out / "index.md").read_text()
    check(all(f"(`{a}`)" in index for a in accounts), f"index.md lists all {len(accounts)} accounts")
    with sqlite3.connect(home / "records.sqlite3") as conn:
        reviews = conn.execute("SELECT account_id, status FROM reviews WHERE kind='qbr_narrative'").fetchall()
    check(sorted(a for a, _ in reviews) == accounts and {s for _, s in reviews} == {"in_review"},
          f"{len(reviews)} QBRs in the review queue, one per account, all in_review")

    print("5. third run: nothing to do")
    code, payload, seconds = run(cmd)
    print(f"   exit {code} in {seconds:.1f}s: completed {payload.get('completed')}, skipped {payload.get('skipped')}")
    check(code == 0 and payload.get("skipped") == len(accounts) and payload.get("completed") == 0,
          "every account skipped")

    print("6. one account's stored data broken")
    victim = accounts[len(accounts) // 2]
    ticket = corrupt_ticket(home, victim)
    code, payload, seconds = run(cmd)
    failed = payload.get("failed", [])
    print(f"   broke ticket {ticket} of {victim}; exit {code} in {seconds:.1f}s: completed {payload.get('completed')}, "
          f"skipped {payload.get('skipped')}, failed {[f['account_id'] for f in failed]}")
    if failed:
        print(f"   error: {failed[0]['error']}")
    check(code == 1, "exit code 1")
    check([f["account_id"] for f in failed] == [victim] and ticket in failed[0]["error"],
          "the JSON names the account and the broken record")
    check(payload.get("skipped") == len(accounts) - 1, "every other account skipped (unchanged)")
    index = (out / "index.md").read_text()
    check(f"- `{victim}`:" in index and ticket in index, "index.md shows the account's error")

    print(f"\n{'all checks passed' if not FAILURES else f'{len(FAILURES)} check(s) FAILED'}; workdir {workdir}")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    raise SystemExit(main())
