"""The eval runner and the ``eval`` command over the ingested sample.

A deliberately degraded retriever and a deliberately disabled guardrail check must each make
``eval`` exit 1 and name the metric that moved; a healthy partial run exits 0 and round-trips
through ``--json``, ``--report`` and ``--baseline``. Runs use ``--only``/``--limit`` to stay fast;
``.ci/run`` runs the full offline suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copilot.cli import app
from copilot.service import Copilot
from evals.thresholds import Threshold, check_thresholds

runner = CliRunner()


def _eval(home: Path, *args: str):
    return runner.invoke(app, ["eval", "--home", str(home), "--json", "--quiet", *args])


def test_thresholds_name_each_missed_metric() -> None:
    metrics = {"retrieval.hit_at_5": 0.5, "guardrails.recall.a": 1.0, "guardrails.recall.b": 0.8, "isolation.leaks": 0.0}
    failures = check_thresholds(metrics, [Threshold("retrieval.hit_at_5", min=0.9), Threshold("guardrails.recall.*", min=1.0),
                                          Threshold("isolation.leaks", max=0), Threshold("drafts.fact_recall", min=0.9)])
    assert [f.metric for f in failures] == ["retrieval.hit_at_5", "guardrails.recall.b", "drafts.fact_recall"]
    assert "0.5" in failures[0].message and ">= 0.9" in failures[0].message
    assert failures[2].threshold == "measured" and "not measured" in failures[2].message
    assert check_thresholds(metrics, [Threshold("drafts.fact_recall", min=0.9)], partial=True) == []


def test_degraded_retriever_fails_naming_hit_at_5(sample_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every search answers a fixed unrelated question instead: retrieval metrics collapse."""
    real_search = Copilot.search

    def degraded(self, account_id, query, k=8, **filters):
        return real_search(self, account_id, "quarterly business review renewal stakeholders", k)

    monkeypatch.setattr(Copilot, "search", degraded)
    result = _eval(sample_home, "--only", "retrieval")
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    failed = {f["metric"]: f for f in payload["failures"]}
    assert "retrieval.hit_at_5" in failed, failed
    assert failed["retrieval.hit_at_5"]["value"] < 0.5
    assert "retrieval.hit_at_5" in failed["retrieval.hit_at_5"]["message"]
    assert payload["passed"] is False and payload["partial"] is True


@pytest.mark.slow  # runs the whole guardrail benchmark and the adversarial set (about a minute)
def test_disabled_guardrail_check_fails_naming_its_recall(sample_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The secrets check is replaced by one that finds nothing: the benchmark's recall drops."""
    from copilot.guardrails.registry import REGISTRY, CheckSpec, all_checks

    spec = all_checks()["secrets"]
    monkeypatch.setitem(REGISTRY, "secrets", CheckSpec(spec.name, lambda ctx: [], spec.kinds, spec.audiences,
                                                       "disabled for this test"))
    result = _eval(sample_home, "--only", "guardrails,adversarial")
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    failed = {f["metric"]: f for f in payload["failures"]}
    recall = {m: f for m, f in failed.items() if m.startswith("guardrails.recall.")}
    assert recall, f"no guardrail recall metric failed: {sorted(failed)}"
    assert "guardrails.recall.secret_pasted" in recall or any("secret" in m for m in recall), sorted(recall)
    assert "adversarial.pass_rate" in failed, sorted(failed)  # the secret edits are no longer blocked


def test_eval_json_report_and_baseline_round_trip(sample_home: Path, tmp_path: Path) -> None:
    """The real command in a subprocess: one JSON document on stdout, the report files, the diff."""
    report = tmp_path / "report"
    args = [sys.executable, "-m", "copilot", "eval", "--home", str(sample_home), "--only", "drafts,adversarial",
            "--limit", "4", "--report", str(report), "--json"]
    first = subprocess.run(args, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    payload = json.loads(first.stdout)
    assert {"passed", "metrics", "failures", "suite", "partial", "report"} <= payload.keys()
    assert payload["passed"] is True and payload["failures"] == [] and payload["suite"] == "offline"
    metrics = payload["metrics"]
    for name in ("drafts.fact_recall", "drafts.grounding_precision", "drafts.section_coverage", "drafts.checked_rate",
                 "review.blocked_approved", "adversarial.pass_rate", "isolation.leaks", "latency.draft_ms.p95"):
        assert name in metrics, name
    assert metrics["drafts.cases"] == 4 and metrics["isolation.leaks"] == 0
    saved = json.loads((report / "offline.json").read_text())
    assert saved["metrics"] == metrics and saved["details"]["drafts"]
    markdown = (report / "offline.md").read_text()
    assert "# Eval report: offline suite" in markdown and "`drafts.fact_recall`" in markdown

    again = runner.invoke(app, ["eval", "--home", str(sample_home), "--only", "drafts,adversarial", "--limit", "4",
                                "--baseline", str(report / "offline.json"), "--report", str(report / "second"),
                                "--json", "--quiet"])
    assert again.exit_code == 0, again.output
    diff = json.loads(again.stdout)["baseline"]
    assert diff["file"] == str(report / "offline.json") and not diff["added"] and not diff["removed"]
    # the same cases on the same records give the same quality figures; only timings move
    assert all(name.startswith("latency.") for name in diff["changed"]), diff["changed"]
    assert "| baseline | change |" in (report / "second" / "offline.md").read_text()


def test_bad_usage_exits_2(sample_home: Path, tmp_path: Path) -> None:
    assert _eval(sample_home, "--only", "nonsense").exit_code == 2
    assert _eval(sample_home, "--suite", "llm").exit_code == 2  # no LLM backend configured
    bogus = tmp_path / "baseline.json"
    bogus.write_text("[1, 2]")
    result = _eval(sample_home, "--baseline", str(bogus), "--only", "drafts", "--limit", "1")
    assert result.exit_code == 2 and "metrics" in result.output
