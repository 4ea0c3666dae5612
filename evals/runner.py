"""The eval runner: run a suite's parts against a ``Copilot``, compute metrics, check thresholds.

Suites (thresholds per suite in ``evals/thresholds.toml``):

- ``offline``: the template backend — retrieval quality over the labelled queries, draft quality
  over the golden cases, the adversarial cases, the guardrail benchmark, account isolation under
  bait queries, latency. Runs in ``.ci/run`` on every change.
- ``llm``: the same golden and adversarial cases through an OpenAI-compatible backend; metrics
  are reported, thresholds hold only the hard rules (every draft checked, no isolation leak, no
  blocked draft approved by review).

Parts (``only=`` runs a subset and checks only what it measured):

- ``retrieval``: ``retrieval.*`` (hit@k, MRR, nDCG per query type) and ``latency.search_ms.*``;
- ``drafts``: ``drafts.*`` (fact recall, grounding precision, section coverage, guardrail pass
  rate, forbidden content), ``review.*`` (the approval gate) and ``latency.draft_ms.*``;
- ``adversarial``: ``adversarial.*`` (cross-account bait, injected instructions, secrets);
- ``guardrails``: ``guardrails.*`` from ``evals.guardrail_bench.run_guardrail_benchmark``;
- ``isolation``: bait searches for every account; ``isolation.leaks`` also counts the leaks the
  other parts saw in drafts, answers and search results;
- ``realdata`` (``--suite realdata`` or ``--only realdata``): real public material and realistic threads, each in
  its own scratch home: ``realdata.pir_time_recall`` and ``realdata.pir_guardrail_pass_rate`` over the
  real post-mortems ingested as documents (``evals/realdata.py``), ``realdata.threads.*`` and
  ``realdata.runbooks.*`` (brief key facts on realistic threads, runbook relevance floor;
  ``evals/threads.py``).

Nothing is written to the Copilot's home: the approval gate runs in a scratch review database.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from copilot.drafting.draft import SECTION_NAMES, Draft
from copilot.drafting.markdown import section_spans, strip_markers
from copilot.errors import InvalidInput
from evals import metrics as m
from evals.datasets import (
    DATASETS_DIR,
    AdversarialCase,
    GoldenCase,
    RetrievalCase,
    dataset_versions,
    load_adversarial,
    load_golden,
    load_retrieval,
)
from evals.realdata import eval_realdata
from evals.thresholds import (
    THRESHOLDS_FILE,
    Failure,
    check_thresholds,
    describe_thresholds,
    load_thresholds,
)

if TYPE_CHECKING:
    from copilot.search.passage import Passage
    from copilot.service import Copilot

__all__ = ["PARTS", "SUITES", "EvalResult", "run_suite"]

PARTS: tuple[str, ...] = ("retrieval", "drafts", "adversarial", "guardrails", "isolation", "realdata")
SUITES: dict[str, tuple[str, ...]] = {
    "offline": ("retrieval", "drafts", "adversarial", "guardrails", "isolation"),
    "realdata": ("realdata",),  # real post-mortems and realistic threads, each in a scratch home (minutes)
    "llm": ("drafts", "adversarial"),
}
RETRIEVAL_K = 10
Say = Callable[[str], None]


class EvalResult(BaseModel):
    """What ``run_suite`` returns and ``eval --json`` prints (plus the report's per-case details)."""

    suite: str
    backend: str
    passed: bool
    partial: bool = False
    parts: list[str]
    metrics: dict[str, float | None]
    failures: list[Failure] = Field(default_factory=list)
    thresholds: dict[str, str] = Field(default_factory=dict)  # metric -> ">= 0.9", for those that have one
    notes: list[str] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)
    datasets: dict[str, Any] = Field(default_factory=dict)
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    started_at: datetime
    seconds: float
    part_seconds: dict[str, float] = Field(default_factory=dict)
    thresholds_file: str = ""

    def summary(self) -> dict[str, Any]:
        """The ``eval --json`` document: no per-case details."""
        return self.model_dump(mode="json", exclude={"details"})


# --- helpers ---------------------------------------------------------------------------------


@dataclass
class _Run:
    copilot: Copilot
    suite: str
    backend: Any
    say: Say
    limit: int | None
    metrics: dict[str, float | None] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    leaks: dict[str, int] = field(default_factory=dict)
    prompt_versions: dict[str, str] = field(default_factory=dict)
    _foreign: dict[str, list[tuple[str, re.Pattern[str]]]] = field(default_factory=dict)
    _review: Any = None
    _review_dir: tempfile.TemporaryDirectory | None = None

    @property
    def backend_name(self) -> str:
        if self.backend is None:
            return "template"
        return self.backend if isinstance(self.backend, str) else getattr(self.backend, "name", type(self.backend).__name__)

    def timed(self, bucket: str, fn: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        try:
            return fn()
        finally:
            self.latencies.setdefault(bucket, []).append((time.perf_counter() - started) * 1000)

    def leak(self, where: str, n: int) -> None:
        self.leaks[where] = self.leaks.get(where, 0) + n

    # -- account isolation: what identifies every other account --------------------------------

    def foreign_patterns(self, account_id: str) -> list[tuple[str, re.Pattern[str]]]:
        """``(label, pattern)`` for each identifier of another account: name, aliases, e-mail
        domains, ticket and incident ids (case-sensitive, whole words)."""
        if account_id not in self._foreign:
            store = self.copilot.store
            out: list[tuple[str, re.Pattern[str]]] = []
            for plan in store.plans():
                other = plan.account
                if other.id == account_id:
                    continue
                terms = {other.name, *(a for a in other.aliases if len(a) >= 3)}
                terms |= {d for d in other.email_domains if d}
                terms |= {t.id for t in store.tickets(other.id)} | {i.id for i in store.incidents(other.id)}
                for term in sorted(terms):
                    out.append((f"{other.id}:{term}", re.compile(r"(?<![\w-])" + re.escape(term) + r"(?![\w]|-\w)")))
            self._foreign[account_id] = out
        return self._foreign[account_id]

    def foreign_mentions(self, account_id: str, text: str) -> list[str]:
        return [label for label, pattern in self.foreign_patterns(account_id) if pattern.search(text)]

    # -- the approval gate ------------------------------------------------------------------------

    def review_gate(self, draft: Draft, tag: str) -> dict[str, Any]:
        """Submit ``draft`` to a scratch review queue and try to approve it.

        A draft the guardrails block must be refused; a passing one should be approved.
        """
        from copilot.errors import Refused
        from copilot.guardrails.engine import check_draft
        from copilot.records.store import Store
        from copilot.review import ReviewQueue

        if self._review is None:
            self._review_dir = tempfile.TemporaryDirectory(prefix="copilot-eval-review-")
            store = Store(Path(self._review_dir.name) / "review.sqlite3")
            copilot = self.copilot
            self._review = ReviewQueue(store, lambda d: check_draft(copilot.store, d))
        queued = draft.model_copy(deep=True, update={"id": f"eval-{tag}-{draft.content_hash[:10]}"})
        item = self._review.submit(queued, actor="eval")
        blocked = bool(item.blocking)
        try:
            self._review.approve(item.id, reviewer="eval")
            approved = True
        except Refused:
            approved = False
        return {"review_blocked": blocked, "approved": approved,
                "draft_blocked": bool(draft.guardrails is not None and not draft.guardrails.passed)}

    def close(self) -> None:
        if self._review_dir is not None:
            self._review_dir.cleanup()


def _case_key(passage: Passage, relevant: set[str]) -> str:
    """The id a passage counts as: the relevant id it stands for, else its own source id."""
    for key in (passage.source_id, passage.source_id.split("#", 1)[0], passage.record_id):
        if key in relevant:
            return key
    return passage.source_id


def _ratio(n: float, d: float) -> float | None:
    return n / d if d else None


def _markdown_sections(markdown: str) -> dict[str, str]:
    """``{heading title (lower case): body}`` for every ``## `` heading."""
    out: dict[str, str] = {}
    for span in section_spans(markdown):
        out.setdefault(span.title.lower(), markdown[span.body_start:span.end].strip())
    return out


def section_coverage(kind: str, markdown: str) -> tuple[float, list[str]]:
    """``(share of the kind's required sections present with some text, the missing names)``."""
    found = _markdown_sections(markdown)
    missing = []
    for name, title in SECTION_NAMES[kind]:
        body = strip_markers(found.get(title.lower(), ""))
        if len(re.sub(r"[\W_]+", "", body)) < 2:
            missing.append(name)
    total = len(SECTION_NAMES[kind])
    return (total - len(missing)) / total, missing


def insert_text(markdown: str, kind: str, text: str, section: str | None = None) -> str:
    """``markdown`` with ``text`` added as a paragraph at the end of ``section`` (default: the end)."""
    if section is not None:
        title = dict(SECTION_NAMES[kind])[section]
        span = next((s for s in section_spans(markdown) if s.title == title), None)
        if span is not None:
            end = span.end
            return markdown[:end].rstrip() + "\n\n" + text.strip() + "\n\n" + markdown[end:].lstrip("\n")
    return markdown.rstrip() + "\n\n" + text.strip() + "\n"


def _limit(cases: Sequence[Any], limit: int | None) -> list[Any]:
    """The first ``limit`` cases, taken round-robin over their kinds/types so each is represented."""
    if limit is None or limit >= len(cases):
        return list(cases)
    groups: dict[str, list[Any]] = {}
    for case in cases:
        groups.setdefault(str(getattr(case, "kind", None) or getattr(case, "type", "")), []).append(case)
    out: list[Any] = []
    while len(out) < limit:
        for group in groups.values():
            if group and len(out) < limit:
                out.append(group.pop(0))
    return sorted(out, key=cases.index)


def _draft(run: _Run, kind: str, subject: str, as_of: datetime | None, quarter: str | None) -> Draft:
    return run.copilot.draft(kind, subject, backend=run.backend, as_of=as_of, quarter=quarter)


# --- retrieval -------------------------------------------------------------------------------


def eval_retrieval(run: _Run, cases: list[RetrievalCase]) -> None:
    run.say(f"retrieval: {len(cases)} labelled queries")
    rows = []
    for case in cases:
        relevant = set(case.relevant)
        filters: dict[str, Any] = {}
        if case.since is not None:
            filters["since"] = case.since
        if case.until is not None:
            filters["until"] = case.until
        if case.kinds:
            filters["kinds"] = case.kinds
        passages = run.timed("search", lambda: run.copilot.search(case.account_id, case.query, k=RETRIEVAL_K, **filters))
        ranked = [_case_key(p, relevant) for p in passages]
        foreign = [p.source_id for p in passages if p.account_id not in (case.account_id, None)]
        run.leak("retrieval", len(foreign))
        outside = 0
        for p in passages:
            ts = _passage_time(run, p)
            if ts is not None and ((case.since and ts < case.since) or (case.until and ts > case.until)):
                outside += 1
        rows.append({
            "id": case.id, "type": case.type, "account_id": case.account_id, "query": case.query,
            "relevant": case.relevant, "ranked": m.dedupe(ranked),
            "hit_at_1": m.hit_at_k(ranked, relevant, 1), "hit_at_3": m.hit_at_k(ranked, relevant, 3),
            "hit_at_5": m.hit_at_k(ranked, relevant, 5), "hit_at_10": m.hit_at_k(ranked, relevant, 10),
            "rr": m.reciprocal_rank(ranked, relevant, RETRIEVAL_K),
            "ndcg_at_5": m.ndcg_at_k(ranked, relevant, 5), "ndcg_at_10": m.ndcg_at_k(ranked, relevant, 10),
            "out_of_window": outside if case.type == "time_bounded" else 0, "foreign": foreign,
        })
    run.details["retrieval"] = rows
    _retrieval_metrics(run.metrics, "retrieval", rows)
    for qtype in sorted({r["type"] for r in rows}):
        _retrieval_metrics(run.metrics, f"retrieval.{qtype}", [r for r in rows if r["type"] == qtype])
    run.metrics["retrieval.out_of_window"] = float(sum(r["out_of_window"] for r in rows))


def _retrieval_metrics(out: dict[str, float | None], prefix: str, rows: list[dict[str, Any]]) -> None:
    out[f"{prefix}.cases"] = float(len(rows))
    for key in ("hit_at_1", "hit_at_3", "hit_at_5", "hit_at_10", "ndcg_at_5", "ndcg_at_10"):
        out[f"{prefix}.{key}"] = m.mean(r[key] for r in rows) if rows else None
    out[f"{prefix}.mrr"] = m.mean(r["rr"] for r in rows) if rows else None


def _passage_time(run: _Run, passage: Passage) -> datetime | None:
    chunk_times = run.details.setdefault("_chunk_times", {})
    if passage.chunk_id not in chunk_times:
        import json

        rows = run.copilot.store.execute("SELECT metadata FROM chunks WHERE id=?", (passage.chunk_id,))
        ts = json.loads(rows[0]["metadata"]).get("created_ts") if rows else None
        chunk_times[passage.chunk_id] = datetime.fromtimestamp(ts, UTC) if ts is not None else None
    return chunk_times[passage.chunk_id]


# --- drafts ----------------------------------------------------------------------------------


def eval_drafts(run: _Run, cases: list[GoldenCase]) -> None:
    run.say(f"drafts: {len(cases)} golden cases ({run.backend_name})")
    rows = []
    for n, case in enumerate(cases, 1):
        row: dict[str, Any] = {"id": case.id, "kind": case.kind, "subject": case.subject}
        try:
            draft = run.timed("draft", lambda: _draft(run, case.kind, case.subject, case.as_of, case.quarter))
        except Exception as exc:
            row.update(error=f"{type(exc).__name__}: {exc}", fact_recall=0.0, section_coverage=0.0, checked=False,
                       passed_guardrails=False, forbidden=[], grounding_precision=None, leaks=[])
            rows.append(row)
            run.say(f"  [{n}/{len(cases)}] {case.id}: ERROR {row['error']}")
            continue
        run.prompt_versions.setdefault(case.kind, draft.prompt_version)
        recall, missing = m.fact_recall(draft.markdown, case.must_contain)
        forbidden = [s for s in case.must_not_contain if m.fact_present(draft.markdown, s)]
        coverage, missing_sections = section_coverage(case.kind, draft.markdown)
        report = draft.guardrails
        leaks = _draft_leaks(run, draft)
        run.leak("drafts", len(leaks))
        gate = run.review_gate(draft, case.id) if report is not None else {}
        grounding = draft.scores.get("grounding_precision")
        quality = (draft.scores.get("escalation_quality") or {}).get("score")
        row.update(
            fact_recall=recall, missing_facts=missing, forbidden=forbidden, section_coverage=coverage,
            missing_sections=missing_sections,
            grounding_precision=float(grounding) if isinstance(grounding, int | float) else None,
            completeness=draft.scores.get("completeness"), escalation_quality=quality,
            checked=report is not None and not report.crashed, passed_guardrails=bool(report and report.passed),
            blocking=sorted({f.check for f in (report.blocking if report else [])}),
            crashed=list(report.crashed) if report else [], leaks=leaks, **gate,
            backend=draft.backend, filled_sections=draft.scores.get("llm_filled_sections"),
        )
        rows.append(row)
        status = "ok" if row["passed_guardrails"] else f"blocked by {', '.join(row['blocking']) or '?'}"
        run.say(f"  [{n}/{len(cases)}] {case.id}: recall {recall:.2f}, {status}")
    run.details["drafts"] = rows
    _draft_metrics(run.metrics, "drafts", rows)
    for kind, _ in SECTION_NAMES.items():
        subset = [r for r in rows if r["kind"] == kind]
        if subset:
            _draft_metrics(run.metrics, f"drafts.{kind}", subset)
    quality = [r["escalation_quality"] for r in rows if r.get("escalation_quality") is not None]
    if quality:
        run.metrics["drafts.escalation_brief.quality"] = m.mean(quality)
    _review_metrics(run, rows)


def _draft_leaks(run: _Run, draft: Draft) -> list[str]:
    """Other accounts' citations and identifiers in a draft."""
    leaks = [f"citation {c.source_id} ({c.account_id})" for c in draft.citations
             if c.account_id not in (draft.account_id, None)]
    leaks += [f"mentions {label}" for label in run.foreign_mentions(draft.account_id, draft.markdown)]
    return leaks


def _draft_metrics(out: dict[str, float | None], prefix: str, rows: list[dict[str, Any]]) -> None:
    ok = [r for r in rows if "error" not in r]
    grounding = [r["grounding_precision"] for r in ok if r.get("grounding_precision") is not None]
    out[f"{prefix}.cases"] = float(len(rows))
    out[f"{prefix}.fact_recall"] = m.mean(r["fact_recall"] for r in rows) if rows else None
    out[f"{prefix}.section_coverage"] = m.mean(r["section_coverage"] for r in rows) if rows else None
    out[f"{prefix}.grounding_precision"] = m.mean(grounding) if grounding else None
    out[f"{prefix}.guardrail_pass_rate"] = _ratio(sum(r["passed_guardrails"] for r in rows), len(rows))
    if prefix == "drafts":
        out["drafts.errors"] = float(len(rows) - len(ok))
        out["drafts.fact_recall_min"] = min((r["fact_recall"] for r in rows), default=None)
        out["drafts.grounding_precision_min"] = min(grounding, default=None)
        out["drafts.forbidden_hits"] = float(sum(len(r["forbidden"]) for r in rows))
        out["drafts.checked_rate"] = _ratio(sum(r["checked"] for r in rows), len(rows))


def _review_metrics(run: _Run, rows: Iterable[dict[str, Any]]) -> None:
    gated = [r for r in rows if "approved" in r]
    prior = run.details.setdefault("_gated", [])
    prior.extend(gated)
    run.metrics["review.gate_checked"] = float(len(prior))
    run.metrics["review.blocked_drafts"] = float(sum(1 for r in prior if r["draft_blocked"] or r["review_blocked"]))
    run.metrics["review.blocked_approved"] = float(
        sum(1 for r in prior if (r["draft_blocked"] or r["review_blocked"]) and r["approved"]))
    run.metrics["review.passing_refused"] = float(
        sum(1 for r in prior if not (r["draft_blocked"] or r["review_blocked"]) and not r["approved"]))


# --- adversarial -----------------------------------------------------------------------------


def eval_adversarial(run: _Run, cases: list[AdversarialCase]) -> None:
    from copilot.guardrails.engine import evaluate_draft

    run.say(f"adversarial: {len(cases)} cases")
    rows = []
    for case in cases:
        row: dict[str, Any] = {"id": case.id, "type": case.type, "action": case.action, "expect": case.expect}
        problems: list[str] = []
        try:
            if case.action == "ask":
                assert case.account_id and case.question
                answer = run.timed("ask", lambda: run.copilot.ask(case.account_id, case.question,
                                                                  backend=_ask_backend(run)))
                foreign = [c.source_id for c in answer.citations if c.account_id not in (case.account_id, None)]
                mentions = run.foreign_mentions(case.account_id, answer.answer)
                run.leak("answers", len(foreign) + len(mentions))
                problems += [f"cites another account's source {s}" for s in foreign]
                problems += [f"answer contains {s!r}" for s in case.must_not_contain if m.fact_present(answer.answer, s)]
                problems += [f"answer mentions {label}" for label in mentions]
                row["citations"] = [c.source_id for c in answer.citations]
            else:
                assert case.kind and case.subject
                draft = run.timed("draft", lambda: _draft(run, case.kind, case.subject, case.as_of, case.quarter))
                if case.action == "edit":
                    edited = draft.model_copy(deep=True, update={
                        "markdown": insert_text(draft.markdown, case.kind, case.edit or "", case.section),
                        "id": "", "content_hash": ""})
                    draft, report, _ = evaluate_draft(run.copilot.store, edited.finalize(), edited=True)
                    draft = draft.model_copy(update={"guardrails": report})
                else:
                    leaks = _draft_leaks(run, draft)
                    run.leak("drafts", len(leaks))
                    problems += [f"draft {leak}" for leak in leaks]
                report = draft.guardrails
                if report is None:
                    problems.append("draft was not checked by the guardrails")
                blocking = sorted({f.check for f in report.blocking}) if report else []
                row["blocking"] = blocking
                row["passed_guardrails"] = bool(report and report.passed)
                for check in case.expect_blocked_by:
                    if check not in blocking:
                        problems.append(f"expected the {check!r} check to block it; blocking: {blocking or 'none'}")
                present = [s for s in case.must_not_contain if m.fact_present(draft.markdown, s)]
                if present and row["passed_guardrails"]:
                    problems += [f"draft contains {s!r} and passed the guardrails" for s in present]
                row["forbidden_present"] = present
                if report is not None:
                    row.update(run.review_gate(draft, case.id))
                    if row.get("approved") and not row["passed_guardrails"]:
                        problems.append("a blocked draft was approved by review")
        except Exception as exc:
            problems.append(f"raised {type(exc).__name__}: {exc}")
        row["problems"] = problems
        row["passed"] = not problems
        row["known_issue"] = case.known_issue
        rows.append(row)
        if problems:
            run.say(f"  {case.id}: {'KNOWN ISSUE' if case.known_issue else 'FAILED'} — {'; '.join(problems)}")
        elif case.known_issue:
            run.notes.append(f"adversarial case {case.id} passes now: its known issue looks fixed ({case.known_issue}); "
                             "remove known_issue from evals/datasets/adversarial.jsonl")
    run.details["adversarial"] = rows
    counted = [r for r in rows if not r["known_issue"]]
    run.metrics["adversarial.cases"] = float(len(rows))
    run.metrics["adversarial.failed"] = float(sum(not r["passed"] for r in counted))
    run.metrics["adversarial.known_issue_failures"] = float(sum(not r["passed"] for r in rows if r["known_issue"]))
    run.metrics["adversarial.pass_rate"] = _ratio(sum(r["passed"] for r in counted), len(counted))
    for ctype in sorted({r["type"] for r in counted}):
        subset = [r for r in counted if r["type"] == ctype]
        run.metrics[f"adversarial.{ctype}.pass_rate"] = _ratio(sum(r["passed"] for r in subset), len(subset))
    _review_metrics(run, rows)


def _ask_backend(run: _Run) -> str | None:
    name = run.backend_name
    return None if name == "template" else name


# --- guardrail benchmark -------------------------------------------------------------------


def eval_guardrails(run: _Run) -> None:
    try:
        from evals.guardrail_bench import run_guardrail_benchmark
    except ImportError as exc:
        run.notes.append(f"guardrail benchmark not available ({exc}): guardrails.* metrics are missing")
        run.say(run.notes[-1])
        return
    run.say("guardrails: labelled benchmark")
    try:
        raw = run_guardrail_benchmark(run.copilot)
    except Exception as exc:
        run.notes.append(f"guardrail benchmark raised {type(exc).__name__}: {exc}; guardrails.* metrics are missing")
        run.say(run.notes[-1])
        return
    run.details["guardrails"] = raw
    for name, value in _flatten(raw, "guardrails"):
        run.metrics[name] = value


def _flatten(value: Any, prefix: str) -> Iterable[tuple[str, float]]:
    """Numeric leaves of a nested dict as ``(dotted.name, float)``; lists and strings are details."""
    if isinstance(value, bool) or isinstance(value, int | float):
        yield prefix, float(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}")


# --- isolation -------------------------------------------------------------------------------


def bait_queries(run: _Run, account_id: str, per_account: int = 3) -> list[str]:
    """Questions aimed at other accounts: their names, P1/P2 ticket subjects and ids."""
    store = run.copilot.store
    out: list[str] = []
    for plan in store.plans():
        if plan.account.id == account_id:
            continue
        tickets = sorted(store.tickets(plan.account.id), key=lambda t: (t.priority, t.id))[:per_account]
        out.append(f"{plan.account.name} outage")
        out += [t.subject for t in tickets]
        out += [t.id for t in tickets[:1]]
        out += [i.id for i in store.incidents(plan.account.id)[:1]]
    return out


def eval_isolation(run: _Run) -> None:
    accounts = [a.id for a in run.copilot.store.accounts()]
    rows = []
    queries = 0
    for account_id in accounts:
        for query in bait_queries(run, account_id):
            queries += 1
            passages = run.timed("search", lambda: run.copilot.search(account_id, query, k=RETRIEVAL_K))
            foreign = [p.source_id for p in passages if p.account_id not in (account_id, None)
                       or (p.account_id is None and p.kind != "runbook")]
            if foreign:
                rows.append({"account_id": account_id, "query": query, "foreign": foreign})
            run.leak("bait_search", len(foreign))
    run.say(f"isolation: {queries} bait searches over {len(accounts)} accounts, {len(rows)} leaked")
    run.details["isolation"] = rows
    run.metrics["isolation.bait_queries"] = float(queries)


# --- the suite -------------------------------------------------------------------------------


def eval_realdata_threads(run: _Run) -> None:
    """Part ``realdata``, ticket half: see ``evals/threads.py`` (uses its own scratch home)."""
    from evals.threads import realdata_dir, run_runbooks, run_threads

    metrics, details = run_threads()
    if (realdata_dir() / "runbooks" / "queries.json").exists():
        more, runbook_details = run_runbooks(say=run.say)
        metrics.update(more)
        details["runbooks"] = runbook_details
    else:
        run.notes.append(f"realdata: {realdata_dir()} has no runbooks/queries.json; runbook metrics skipped")
    run.metrics.update({f"realdata.{name}": value for name, value in metrics.items()})
    run.details["realdata_threads"] = details


def run_suite(copilot: Copilot, suite: str = "offline", backend: Any = None, *, only: Iterable[str] | None = None,
              limit: int | None = None, datasets_dir: Path = DATASETS_DIR, thresholds_file: Path = THRESHOLDS_FILE,
              say: Say | None = None) -> EvalResult:
    """Run ``suite`` against ``copilot`` and check its thresholds.

    Args:
        backend: a drafting backend spec or ``Backend`` (default: ``template`` for ``offline``;
            the llm suite needs one such as ``openai:MODEL@http://127.0.0.1:8080/v1``).
        only: run just these parts (see ``PARTS``); thresholds of parts not run are not checked.
        limit: at most this many golden and adversarial cases (spread over kinds), e.g. for a
            slow local model.
        say: progress lines for a person (stderr in the CLI).
    """
    if suite not in SUITES:
        raise InvalidInput(f"unknown suite {suite!r}; use one of: {', '.join(SUITES)}")
    if backend is None:
        backend = "template" if suite == "offline" else None
    if suite == "llm" and (backend is None or backend == "template"):
        spec = copilot.settings.backend
        if spec == "template":
            raise InvalidInput("the llm suite needs an LLM backend: --backend openai:MODEL@http://127.0.0.1:PORT/v1 "
                               "(or COPILOT_BACKEND)")
        backend = spec
    parts = list(SUITES[suite])
    if only is not None:
        wanted = [p.strip() for p in only if p.strip()]
        unknown = [p for p in wanted if p not in PARTS]
        if unknown:
            raise InvalidInput(f"unknown part(s) {', '.join(unknown)}; parts: {', '.join(PARTS)}")
        parts = [p for p in PARTS if p in wanted]
    thresholds = load_thresholds(suite, thresholds_file)
    if not copilot.store.accounts():
        raise InvalidInput(f"{copilot.settings.home} has no accounts: ingest data/sample first")

    started_at = datetime.now(UTC)
    t0 = time.perf_counter()
    run = _Run(copilot=copilot, suite=suite, backend=backend, say=say or (lambda _msg: None), limit=limit)
    steps: dict[str, Callable[[], None]] = {
        "retrieval": lambda: eval_retrieval(run, load_retrieval(datasets_dir)),
        "drafts": lambda: eval_drafts(run, _limit(load_golden(datasets_dir), limit)),
        "adversarial": lambda: eval_adversarial(run, _limit(load_adversarial(datasets_dir), limit)),
        "guardrails": lambda: eval_guardrails(run),
        "isolation": lambda: eval_isolation(run),
        "realdata": lambda: (eval_realdata(run), eval_realdata_threads(run)),
    }
    part_seconds: dict[str, float] = {}
    if {"retrieval", "drafts", "adversarial", "isolation"} & set(parts):
        # the first search loads the embedding model: keep that out of the latency figures
        began = time.perf_counter()
        copilot.search(copilot.store.accounts()[0].id, "warm up", k=1)
        part_seconds["warm_up"] = round(time.perf_counter() - began, 2)
    try:
        for part in parts:
            began = time.perf_counter()
            steps[part]()
            part_seconds[part] = round(time.perf_counter() - began, 2)
    finally:
        run.close()
    for where, n in sorted(run.leaks.items()):
        run.metrics[f"isolation.{where}_leaks"] = float(n)
    if run.leaks or "isolation" in parts:
        run.metrics["isolation.leaks"] = float(sum(run.leaks.values()))
    for bucket, values in sorted(run.latencies.items()):
        run.metrics[f"latency.{bucket}_ms.p50"] = round(m.percentile(values, 50), 1)
        run.metrics[f"latency.{bucket}_ms.p95"] = round(m.percentile(values, 95), 1)
        run.metrics[f"latency.{bucket}_ms.max"] = round(max(values), 1)
    run.details.pop("_chunk_times", None)
    run.details.pop("_gated", None)

    partial = only is not None or limit is not None
    failures = check_thresholds(run.metrics, thresholds, partial=partial)
    return EvalResult(
        suite=suite, backend=run.backend_name, passed=not failures, partial=partial, parts=parts,
        metrics=dict(sorted(run.metrics.items())), failures=failures,
        thresholds=describe_thresholds(run.metrics, thresholds), notes=run.notes, details=run.details,
        datasets=dataset_versions(datasets_dir), prompt_versions=run.prompt_versions, started_at=started_at,
        seconds=round(time.perf_counter() - t0, 2), part_seconds=part_seconds, thresholds_file=str(thresholds_file),
    )
