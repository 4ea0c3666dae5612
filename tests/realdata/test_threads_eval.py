"""Key facts of briefs on realistic ticket threads (CI thresholds), and runbook relevance on the
shared real runbooks (slow: embeds them).

The threads in ``evals/datasets/threads`` were written for this project in the style of public
issue trackers (template headers, pasted logs, several versions, partial workarounds) and labelled
by hand; ``evals/threads.py`` measures them.
"""

from __future__ import annotations

import pytest

from evals.threads import realdata_dir, run_runbooks, run_threads

KEY_FACT_RECALL_MIN = 0.85
VERSION_RIGHT_MIN = 0.80


def test_briefs_carry_the_key_facts_of_real_style_threads() -> None:
    metrics, details = run_threads()
    assert metrics["threads.count"] >= 15
    missing = {tid: d["missing"] for tid, d in details.items() if d["missing"]}
    assert metrics["threads.key_fact_recall"] >= KEY_FACT_RECALL_MIN, missing
    wrong = {tid: d["version_line"] for tid, d in details.items() if not d["version_right"]}
    assert metrics["threads.version_right"] >= VERSION_RIGHT_MIN, wrong
    assert metrics["threads.severity_false_words"] == 0


@pytest.mark.slow
@pytest.mark.skipif(not (realdata_dir() / "runbooks" / "queries.json").exists(), reason="shared real data not here")
def test_runbooks_are_proposed_only_above_the_floor() -> None:
    metrics, details = run_runbooks()
    assert metrics["runbooks.retrieval_hit_at_3"] >= 0.9, details["queries"]
    assert metrics["runbooks.hit_at_3"] >= 0.9, details["queries"]
    # No implausible hypothesis, at the price of a missed one: measured on the 20 threads, floor 0.70
    # gives recall 0.8 (one right runbook scores 0.651) and 0 implausible; 0.65 gives 1.0 and 0;
    # 0.62 gives 1.0 and 3 implausible. A brief saying "no runbook matches" costs an engineer a
    # search; a wrong runbook sends them down the wrong path, so the floor keeps its margin.
    assert metrics["threads.runbook_implausible"] == 0, details["threads"]
    assert metrics["threads.runbook_recall"] >= 0.8, details["threads"]
