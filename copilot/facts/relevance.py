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
  OOMKilled) gets a runbook whose diagnosis step names OOMKilled/CrashLoopBackOff (0.81): a
  shared-vocabulary near miss that no floor on this score separates.

**The symptom rank** (pattern: *a runbook must match the ticket's symptom, not a token its
procedure shares with it*). A runbook's procedure names many failure states as things to check
(pods in CrashLoopBackOff or OOMKilled, 403s, full disks), so its best passage can be close to
any ticket that shows one of them. What the runbook is *about* — its title and opening sections
(introduction, Meaning, Description, Impact: :func:`about_sections`) — is not.
:func:`symptom_relevance` scores only that part; :func:`propose_runbooks` proposes a runbook
above the floor only when its symptom relevance ranks among the :data:`SYMPTOM_RANK` (3) best of
all runbooks, and nothing when the most relevant runbook fails that. Measured the same way: the
right runbook ranks 1st by symptom for 24 of 25 queries and 2nd for one (max 2); the OOMKilled
ticket's 0.81 runbook (a traffic-rate alert) ranks 14th of 30. hit@3 stays 0.92, the tickets'
implausible runbooks go from 1 to 0, their right runbooks are all still proposed.

Re-measure when the embedding model, the chunking or the runbook set changes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from copilot.records.models import Runbook
from copilot.search.chunking import section_slug

if TYPE_CHECKING:
    from copilot.search.passage import Passage

__all__ = ["ABOUT_COVERAGE_WEIGHT", "COVERAGE_WEIGHT", "PROCEDURE_HEADING", "RUNBOOK_DEPTH", "RUNBOOK_FLOOR",
           "RUNBOOK_RETRIEVED", "SYMPTOM_RANK", "about_sections", "propose_runbooks", "runbook_relevance",
           "symptom_relevance"]

RUNBOOK_FLOOR = 0.70
COVERAGE_WEIGHT = 0.5
ABOUT_COVERAGE_WEIGHT = 0.3
SYMPTOM_RANK = 3
RUNBOOK_RETRIEVED = 6
"""How many runbook passages count as retrieved (the runbooks that can be proposed)."""
RUNBOOK_DEPTH = 40
"""How many runbook passages to ask for: deep enough that most runbooks' opening sections get a
similarity score, which the symptom rank needs."""
PROCEDURE_HEADING = re.compile(r"diagnos|triage|check|investigat|verify|troubleshoot|mitigat|resol|remediat|fix"
                               r"|\bsteps?\b", re.IGNORECASE)
"""A section heading that starts a runbook's procedure (what to check or do), not what it is about."""
_STOP = frozenset(
    "the a an and or of in on for to is are was were with from after not when our we it its at by be has have had no "
    "this that these those i my me us so over one all any can into out up but just also then than there their they "
    "them you your what which who how why does did do been being get got still very some more most other only same "
    "about again once while every each".split())


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z0-9]{2,}", text.lower()) if w not in _STOP}


def _runbook_words(rb: Runbook) -> set[str]:
    return _words(" ".join([rb.title, rb.component, *rb.tags, *(f"{s.heading} {s.text}" for s in rb.sections)]))


def _idf(query: str, docs: list[set[str]]) -> tuple[dict[str, float], float]:
    """IDF (over ``docs``) of each of the query's words, and their sum."""
    n = len(docs) or 1
    df: dict[str, int] = {}
    for words in docs:
        for w in words:
            df[w] = df.get(w, 0) + 1
    idf = {w: math.log((n + 1) / (df.get(w, 0) + 0.5)) for w in _words(query)}
    return idf, sum(idf.values())


def runbook_relevance(query: str, passages: Iterable[Passage], runbooks: list[Runbook]) -> dict[str, float]:
    """Relevance (see the module docstring) of each retrieved runbook to ``query``, by runbook id.

    Runbooks without a dense score (keyword-only retrieval) get their coverage term alone,
    which stays below the floor: they are never proposed on keywords alone.
    """
    docs = {rb.id: _runbook_words(rb) for rb in runbooks}
    idf, total = _idf(query, list(docs.values()))
    dense: dict[str, float] = {}
    for p in passages:
        if p.kind != "runbook" or p.record_id not in docs:
            continue
        dense[p.record_id] = max(dense.get(p.record_id, 0.0), p.dense_score or 0.0)
    out = {}
    for rid, similarity in dense.items():
        coverage = sum(v for w, v in idf.items() if w in docs[rid]) / total if total else 0.0
        out[rid] = round(similarity + COVERAGE_WEIGHT * coverage, 3)
    return out


def about_sections(runbook: Runbook, limit: int = 3) -> list[int]:
    """Indexes of the sections that say what a runbook is about: the leading ones (its
    introduction, "Meaning", "Description", "Impact"…) up to the first procedure heading
    (:data:`PROCEDURE_HEADING`), at most ``limit``; the first section always counts."""
    out: list[int] = []
    for i, section in enumerate(runbook.sections[:limit]):
        if out and PROCEDURE_HEADING.search(section.heading):
            break
        out.append(i)
    return out


def _about_sources(runbook: Runbook) -> set[str]:
    return {f"{runbook.id}#{section_slug(runbook.sections[i].heading, i)}" for i in about_sections(runbook)}


def _is_about(source_id: str, about: set[str]) -> bool:
    """``RB-x#meaning`` or a later piece of it (``RB-x#meaning-1``)."""
    return source_id in about or re.sub(r"-\d+$", "", source_id) in about


def symptom_relevance(query: str, passages: Iterable[Passage], runbooks: list[Runbook]) -> dict[str, float]:
    """How well what each runbook is *about* fits ``query``, by runbook id: the best dense
    similarity of its opening sections' passages (:func:`about_sections`) +
    ABOUT_COVERAGE_WEIGHT × the IDF-weighted share of the query's words found in its title and
    opening sections. A runbook whose opening passages were not retrieved scores on words alone."""
    passages = list(passages)
    about = {rb.id: _about_sources(rb) for rb in runbooks}
    words = {rb.id: _words(" ".join([rb.title, re.sub(r"(?<=[a-z])(?=[A-Z])", " ", rb.title), rb.component,
                                     *rb.tags, *(f"{rb.sections[i].heading} {rb.sections[i].text}"
                                                 for i in about_sections(rb))])) for rb in runbooks}
    idf, total = _idf(query, [_runbook_words(rb) for rb in runbooks])
    dense: dict[str, float] = {}
    for p in passages:
        if p.kind == "runbook" and p.record_id in about and _is_about(p.source_id, about[p.record_id]):
            dense[p.record_id] = max(dense.get(p.record_id, 0.0), p.dense_score or 0.0)
    return {rid: round(dense.get(rid, 0.0) + ABOUT_COVERAGE_WEIGHT * (
        sum(v for w, v in idf.items() if w in words[rid]) / total if total else 0.0), 3) for rid in about}


def propose_runbooks(query: str, passages: Iterable[Passage], runbooks: list[Runbook],
                     retrieved: int = RUNBOOK_RETRIEVED) -> list[tuple[str, float]]:
    """The runbooks a draft may propose for ``query``, best first, as ``(id, relevance)``.

    ``passages``: runbook passages best first (ask for :data:`RUNBOOK_DEPTH`); the first
    ``retrieved`` are the retrieval result, the rest only score the runbooks' opening sections.

    Rule (a runbook must match the *symptom*, not one shared token): a runbook is proposed when
    its relevance reaches :data:`RUNBOOK_FLOOR` **and** what it is about (:func:`symptom_relevance`)
    ranks among the :data:`SYMPTOM_RANK` best of all runbooks. When the most relevant runbook fails
    the second test, nothing is proposed: its match rests on vocabulary its procedure shares with
    the ticket (``pods``, ``OOMKilled``, ``CrashLoopBackOff`` named as things to check), and the
    runbooks behind it share that vocabulary too.
    """
    passages = [p for p in passages if p.kind == "runbook"]
    relevance = runbook_relevance(query, passages[:retrieved], runbooks)
    above = sorted(((rid, s) for rid, s in relevance.items() if s >= RUNBOOK_FLOOR), key=lambda x: (-x[1], x[0]))
    if not above:
        return []
    symptom = symptom_relevance(query, passages, runbooks)
    ranked = sorted(symptom, key=lambda rid: (-symptom[rid], rid))[:SYMPTOM_RANK]
    if above[0][0] not in ranked:
        return []
    return [(rid, s) for rid, s in above if rid in ranked]
