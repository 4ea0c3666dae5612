"""How well a retrieved runbook fits a ticket, and the floor below which no runbook is proposed.

Retrieval always returns *some* runbook; a brief that proposes it whatever the score sends
an engineer down the wrong path (a database failover ticket got a cluster-operator runbook).
The relevance of a runbook to a query is

    relevance = best dense cosine similarity of its passages to the query
                + COVERAGE_WEIGHT × (IDF-weighted share of the query's words found in the runbook)

(IDF over the runbooks in the store, so words every runbook uses count for little).

**The floor, measured** (``python -m evals.threads``: the 30 public runbooks of
``/work/shared/realdata/runbooks`` with their 25 symptom queries, through the real hybrid
retrieval and the packaged MiniLM, 2026-11-30):

- the right runbook's relevance: min 0.663, median 0.88 (all 25 retrieved first);
- the best *wrong* runbook retrieved for the same query (a same-domain near miss): median 0.658,
  max 0.827; leaving the right runbook out, the best wrong one scored 0.52–0.83 (median ≈ 0.62);
- floor 0.70: 23 of 25 right runbooks are proposed (hit@3 0.92; q06 at 0.663 and q09 at 0.679
  fall below), the median near miss is not. On the 16 tickets of ``evals/datasets/threads``
  the 4 that have a runbook get it; 11 of the 12 without one get none; one (an operator pod
  OOMKilled) gets a runbook whose mitigation text names OOMKilled/CrashLoopBackOff (0.81): a
  shared-vocabulary near miss that no floor on this score separates.

Re-measure when the embedding model, the chunking or the runbook set changes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from copilot.records.models import Runbook

if TYPE_CHECKING:
    from copilot.search.passage import Passage

__all__ = ["COVERAGE_WEIGHT", "RUNBOOK_FLOOR", "runbook_relevance"]

RUNBOOK_FLOOR = 0.70
COVERAGE_WEIGHT = 0.5
_STOP = frozenset(
    "the a an and or of in on for to is are was were with from after not when our we it its at by be has have had no "
    "this that these those i my me us so over one all any can into out up but just also then than there their they "
    "them you your what which who how why does did do been being get got still very some more most other only same "
    "about again once while every each".split())


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z0-9]{2,}", text.lower()) if w not in _STOP}


def _runbook_words(rb: Runbook) -> set[str]:
    return _words(" ".join([rb.title, rb.component, *rb.tags, *(f"{s.heading} {s.text}" for s in rb.sections)]))


def runbook_relevance(query: str, passages: Iterable[Passage], runbooks: list[Runbook]) -> dict[str, float]:
    """Relevance (see the module docstring) of each retrieved runbook to ``query``, by runbook id.

    Runbooks without a dense score (keyword-only retrieval) get their coverage term alone,
    which stays below the floor: they are never proposed on keywords alone.
    """
    docs = {rb.id: _runbook_words(rb) for rb in runbooks}
    n = len(docs) or 1
    df: dict[str, int] = {}
    for words in docs.values():
        for w in words:
            df[w] = df.get(w, 0) + 1
    query_words = _words(query)
    idf = {w: math.log((n + 1) / (df.get(w, 0) + 0.5)) for w in query_words}
    total = sum(idf.values())
    dense: dict[str, float] = {}
    for p in passages:
        if p.kind != "runbook" or p.record_id not in docs:
            continue
        dense[p.record_id] = max(dense.get(p.record_id, 0.0), p.dense_score or 0.0)
    out = {}
    for rid, similarity in dense.items():
        coverage = sum(idf[w] for w in query_words if w in docs[rid]) / total if total else 0.0
        out[rid] = round(similarity + COVERAGE_WEIGHT * coverage, 3)
    return out
