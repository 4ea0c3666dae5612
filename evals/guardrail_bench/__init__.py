"""The labelled guardrail benchmark (issue 4): clean drafts and seeded defects.

``run_guardrail_benchmark(copilot)`` builds template drafts over the ingested sample, loads the
hand-written drafts in ``handwritten/``, mutates both with every class in
``mutations.MUTATIONS``, checks every draft, and returns recall per mutation class, the blocking
false-positive rate on clean template and hand-written drafts, and check latency.
Run it with ``python -m evals.guardrail_bench`` (or ``scripts/bench_guardrails.py``).
"""

from evals.guardrail_bench.runner import build_cases, format_report, run_guardrail_benchmark

__all__ = ["build_cases", "format_report", "run_guardrail_benchmark"]
