"""The LLM eval suite against a real OpenAI-compatible server: llama.cpp serving SmolLM2 on 127.0.0.1.

The model is tiny and slow here (~45 tokens/s), so this runs three golden cases (a brief, an
update, a PIR) rather than all of them. Quality is reported, not gated; the suite's thresholds
are the hard rules: every draft checked, no isolation leak, no blocked draft approved by review.
In CI (``CI`` set) the report is kept under ``artifacts/eval-llm/``, next to the offline one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from copilot.service import Copilot
from evals.report import write_report
from evals.runner import run_suite

pytestmark = pytest.mark.llm

REPO = Path(__file__).resolve().parents[2]
# the context the server is started with is 2048 tokens; prompts are kept well inside it
LLM_ENV = {"COPILOT_LLM_CONTEXT_TOKENS": "1024", "COPILOT_LLM_MAX_TOKENS": "160", "COPILOT_LLM_TIMEOUT": "300",
           "COPILOT_LLM_RETRIES": "1"}


def test_llm_suite_hard_rules(sample_copilot: Copilot, llm_server: str, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in LLM_ENV.items():
        monkeypatch.setenv(key, value)
    backend = f"openai:smollm2@{llm_server}"
    result = run_suite(sample_copilot, "llm", backend=backend, only=["drafts"], limit=3, say=print)
    out = REPO / "artifacts" / "eval-llm" if os.environ.get("CI") else tmp_path
    paths = write_report(result, out)
    print(json.dumps({k: v for k, v in result.metrics.items() if not k.startswith("latency.")}, indent=1))
    print(f"report: {paths['markdown']}")

    rows = result.details["drafts"]
    assert len(rows) == 3 and {r["kind"] for r in rows} == {"escalation_brief", "incident_update", "pir_timeline"}
    assert all(r.get("backend") == backend for r in rows), [r.get("error") or r.get("backend") for r in rows]
    assert result.backend == backend and result.suite == "llm"
    # the hard rules, which are also the llm suite's thresholds
    assert result.metrics["drafts.checked_rate"] == 1.0
    assert result.metrics["isolation.leaks"] == 0
    assert result.metrics["review.blocked_approved"] == 0
    assert result.metrics["review.gate_checked"] == 3
    assert result.passed, [f.message for f in result.failures]
    # quality is measured (reported, not gated)
    for name in ("drafts.fact_recall", "drafts.grounding_precision", "drafts.section_coverage",
                 "drafts.guardrail_pass_rate", "latency.draft_ms.p95"):
        assert result.metrics.get(name) is not None, name
