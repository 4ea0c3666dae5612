"""CI's performance guard: run the small benchmarks and fail only on a regression beyond 2x the baseline.

Usage: python scripts/check_bench_regression.py [--baseline scripts/bench_baseline.json] [--factor 2]
       [--from-json FILE ...] [--update] [--workdir DIR]

Runs ``bench_search.py --size small`` and ``bench_qbr_batch.py --size small`` (or reads their JSON
documents from ``--from-json``), then compares the figures named in the baseline: a figure more than
``--factor`` times its baseline fails; nothing is ever compared to an absolute time. The guarded
figures are CPU times and peak memory, which other work on a shared CI machine changes much less
than wall-clock times (those are in the documents, printed, but not guarded). ``--update`` writes the figures of this run as the new baseline
(commit it with the change that explains it).

Exit 0: no regression; 1: a figure regressed (each is printed with its baseline and ratio).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "bench_baseline.json"
BENCHES = {"search": ["bench_search.py", "--size", "small"],
           "qbr_batch": ["bench_qbr_batch.py", "--size", "small"]}
GUARDED = {  # benchmark -> paths into its JSON document ("sizes.0" is the first size)
    "search": ["sizes.*.warm_cpu_ms.p50", "sizes.*.first_search_saved.process_cpu_ms.p50"],
    "qbr_batch": ["runs.0.cpu_s_per_account", "runs.0.peak_rss_mb", "resume.resumed_cpu_s_per_account"],
}


def run_bench(name: str, workdir: Path) -> dict:
    cmd = [sys.executable, str(HERE / BENCHES[name][0]), *BENCHES[name][1:], "--workdir", str(workdir / name)]
    print(f"$ {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
    out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
    (workdir / f"{name}.json").write_text(out.stdout)  # the whole document, for the CI log or artifacts
    return json.loads(out.stdout)


def figures(name: str, document: dict) -> dict[str, float]:
    """``{path: value}`` for the guarded paths (``*`` expands over a list)."""
    found: dict[str, float] = {}

    def walk(node: object, parts: list[str], path: list[str]) -> None:
        if not parts:
            if isinstance(node, (int, float)):
                found[".".join(path)] = float(node)
            return
        head, rest = parts[0], parts[1:]
        if head == "*" and isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, rest, [*path, str(i)])
        elif isinstance(node, list) and head.isdigit() and int(head) < len(node):
            walk(node[int(head)], rest, [*path, head])
        elif isinstance(node, dict) and head in node:
            walk(node[head], rest, [*path, head])

    for pattern in GUARDED[name]:
        walk(document, pattern.split("."), [])
    return found


def compare(baseline: dict[str, dict[str, float]], current: dict[str, dict[str, float]],
            factor: float) -> list[str]:
    """One line per figure; those starting with ``REGRESSION`` fail the check."""
    lines = []
    for name, base in baseline.items():
        for path, old in base.items():
            new = current.get(name, {}).get(path)
            if new is None:
                lines.append(f"REGRESSION {name}.{path}: missing from this run (baseline {old:g})")
                continue
            ratio = new / old if old else 1.0
            mark = "REGRESSION" if ratio > factor else "ok"
            lines.append(f"{mark} {name}.{path}: {new:g} vs baseline {old:g} ({ratio:.2f}x, limit {factor:g}x)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--factor", type=float, default=2.0)
    parser.add_argument("--from-json", type=Path, nargs="*", default=None,
                        help="benchmark JSON documents to check instead of running the benchmarks")
    parser.add_argument("--update", action="store_true", help="write this run's figures as the baseline")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    if args.from_json:
        documents = [json.loads(p.read_text()) for p in args.from_json]
    else:
        workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-check-"))
        documents = [run_bench(name, workdir) for name in BENCHES]
    current = {d["benchmark"]: figures(d["benchmark"], d) for d in documents if d.get("benchmark") in GUARDED}
    machines = {d["benchmark"]: d.get("machine", {}) for d in documents}
    if args.update:
        args.baseline.write_text(json.dumps({"machine": machines, "figures": current}, indent=2) + "\n")
        print(f"baseline written to {args.baseline}")
        return 0
    if not args.baseline.exists():
        print(f"no baseline at {args.baseline}: run with --update first", file=sys.stderr)
        return 1
    baseline = json.loads(args.baseline.read_text())["figures"]
    lines = compare(baseline, current, args.factor)
    print("\n".join(lines))
    print(f"load during this run: {[m.get('load_at_start') for m in machines.values()]}")
    return 1 if any(line.startswith("REGRESSION") for line in lines) else 0


if __name__ == "__main__":
    raise SystemExit(main())
