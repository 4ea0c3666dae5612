"""``python -m evals.guardrail_bench [--home DIR] [--sample DIR] [--json] [--out FILE]``.

Ingests the sample into ``--home`` first when that home has no records yet, then prints the
benchmark figures (exit 1 when a target is missed: recall below 100% on any class, any
blocking false positive on template drafts, more than 5% on hand-written drafts).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

TARGETS = {"recall_min": 1.0, "fp_template": 0.0, "fp_handwritten": 0.05}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.guardrail_bench", description=__doc__)
    parser.add_argument(
        "--home",
        default=os.environ.get("COPILOT_HOME") or ".copilot-bench",
        help="a home with the sample ingested (ingested here when empty)",
    )
    parser.add_argument("--sample", default=str(Path(__file__).resolve().parents[2] / "data" / "sample"))
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument("--out", help="also write the full result as JSON to this file")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from copilot.service import Copilot
    from evals.guardrail_bench.runner import SEED, format_report, run_guardrail_benchmark

    copilot = Copilot(args.home)
    if copilot.store.counts()["tickets"] == 0:
        print(f"ingesting {args.sample} into {copilot.settings.home} …", file=sys.stderr)
        copilot.ingest([args.sample])
    result = run_guardrail_benchmark(copilot, seed=SEED if args.seed is None else args.seed)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(json.dumps(result, indent=2, default=str) if args.json else format_report(result))
    ok = (
        result["recall_min"] >= TARGETS["recall_min"]
        and result["blocking_fp_rate"]["template"] <= TARGETS["fp_template"]
        and result["blocking_fp_rate"]["handwritten"] <= TARGETS["fp_handwritten"]
        and not result["crashed"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
