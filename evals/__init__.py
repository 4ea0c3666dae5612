"""The evaluation suite: datasets, metrics, thresholds, runner and report (``python -m copilot eval``).

- ``evals.metrics``: pure metric functions (hit@k, MRR, nDCG, fact recall, percentiles);
- ``evals.datasets``: the versioned labelled files under ``evals/datasets/`` and their loaders;
- ``evals.runner``: ``run_suite(copilot, suite)`` -> ``EvalResult`` checked against ``thresholds.toml``;
- ``evals.report``: the Markdown and JSON report and the diff against a baseline report;
- ``evals.guardrail_bench``: the labelled guardrail benchmark (mutations of good drafts).
"""
