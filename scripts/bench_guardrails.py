"""Print the guardrail benchmark figures (see evals/guardrail_bench): recall per mutation class,
blocking false positives on clean template and hand-written drafts, check latency p50/p95.

    python scripts/bench_guardrails.py [--home DIR] [--json] [--out FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evals.guardrail_bench.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
