"""Real-data eval part for escalation briefs: key facts on realistic ticket threads, and runbook
relevance on the public runbooks with their symptom queries.

Two measurements:

- **Threads** (fast, no index): the Zendesk threads in ``evals/datasets/threads`` (written for this
  project in the style of public issue trackers, labelled by hand in ``labels.json``) become
  briefs through the template backend. ``threads.key_fact_recall`` is the share of labelled facts
  (affected version, platform, error strings, what was tried, current state) present in the
  brief; ``threads.version_right`` the share of briefs whose Summary version line names the
  labelled affected version; ``threads.severity_false_words`` counts severity reasons that quote
  a word the label says must not count (e.g. ``timeout`` inside ``master_start_timeout``).
  ``threads.guardrail_pass_rate``: the share of briefs no guardrail blocks (each block on these
  clean briefs is a false block).
- **Runbooks** (slow: embeds the runbooks): ``/work/shared/realdata/runbooks`` (or
  ``$COPILOT_REALDATA/runbooks``) ingested with the threads into a scratch home; its 25 queries
  go through the real hybrid retrieval. ``runbooks.retrieval_hit_at_3``: a right runbook among
  the first 3 retrieved; ``runbooks.hit_at_3``: among the first 3 *proposed* (above the relevance
  floor); the right/wrong relevance distribution that the floor was chosen from
  (``copilot.facts.relevance``); and on the threads, ``threads.runbook_implausible``: briefs that
  propose a runbook other than the labelled one (or any, where none applies).

Run: ``python -m evals.threads [--fast]`` (prints the metrics as JSON).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from copilot.drafting.markdown import strip_markers
from copilot.drafting.template import render_template_markdown
from copilot.facts.brief import BriefFacts, brief_facts, build_brief_facts
from copilot.facts.relevance import (
    RUNBOOK_DEPTH,
    RUNBOOK_FLOOR,
    RUNBOOK_RETRIEVED,
    SYMPTOM_RANK,
    propose_runbooks,
    runbook_relevance,
    symptom_relevance,
)
from copilot.ingest.base import AccountResolver
from copilot.ingest.plans import parse_plan
from copilot.ingest.zendesk import parse_zendesk
from copilot.records.models import AccountPlan, Ticket

__all__ = ["AS_OF", "THREADS_DIR", "brief_for", "load_threads", "realdata_dir", "run_runbooks", "run_threads",
           "score_brief"]

THREADS_DIR = Path(__file__).parent / "datasets" / "threads"
AS_OF = datetime(2026, 3, 27, tzinfo=timezone.utc)  # after the last comment of every thread
FACT_KINDS = ("affected_version", "platform", "errors", "tried", "state")
Say = Callable[[str], None]


def realdata_dir() -> Path:
    """The shared real-data folder (``$COPILOT_REALDATA``, default ``../shared/realdata`` beside the checkout)."""
    default = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"
    return Path(os.environ.get("COPILOT_REALDATA") or default)


def load_threads(folder: Path = THREADS_DIR) -> tuple[AccountPlan, list[Ticket], dict[str, dict[str, Any]]]:
    """The account plan, the parsed tickets and the labels (by ticket id); nothing is indexed."""
    plan_doc = yaml.safe_load((folder / "plan.yaml").read_text())
    plan = parse_plan(folder / "plan.yaml", plan_doc).plans[0]
    resolver = AccountResolver([plan])
    tickets: list[Ticket] = []
    for path in sorted((folder / "zendesk").glob("*.json")):
        result = parse_zendesk(path, json.loads(path.read_text()), resolver)
        if result.quarantine:
            raise ValueError(f"{path}: {result.quarantine[0].reason}")
        tickets += result.tickets
    labels = json.loads((folder / "labels.json").read_text())["threads"]
    return plan, tickets, labels


def brief_for(facts: BriefFacts) -> str:
    """The template brief's Markdown without source markers."""
    markdown, _ = render_template_markdown("escalation_brief", facts.model_dump(mode="json"))
    return strip_markers(markdown)


def brief_blocks(plan: AccountPlan, ticket: Ticket, tickets: list[Ticket]) -> list[str]:
    """The blocking guardrail findings on the template brief of ``ticket`` (a clean brief has none:
    each is a false block). Checked against the thread's own records, no index needed."""
    from copilot.drafting.base import DraftRequest
    from copilot.drafting.template import TemplateBackend
    from copilot.guardrails.context import context_from_records
    from copilot.guardrails.engine import run_context

    facts = brief_facts(plan, ticket, tickets, [], [], [], AS_OF).model_dump(mode="json")
    request = DraftRequest(kind="escalation_brief", account_id=plan.account.id, subject_id=ticket.id,
                           title=f"Escalation brief: {ticket.id} {ticket.subject}", facts=facts)
    draft = TemplateBackend().draft(request)
    draft.facts = facts
    report = run_context(context_from_records(draft.finalize(), plan, tickets, []))
    return [f"{f.check}: {f.message} [{draft.markdown[slice(*f.span)] if f.span else ''}]" for f in report.blocking]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("`", "").replace("\\", ""))


def _summary_version_line(markdown: str) -> str:
    summary = markdown.split("## Summary", 1)[-1].split("\n## ", 1)[0]
    return next((line for line in summary.splitlines() if line.startswith("- Version:")), "")


def score_brief(markdown: str, label: dict[str, Any]) -> dict[str, Any]:
    """Which labelled facts the brief carries, and whether its Summary names the right version."""
    text = _norm(markdown)
    facts = [(kind, value) for kind in FACT_KINDS
             for value in ([label[kind]] if isinstance(label.get(kind), str) else label.get(kind) or [])]
    missing = [f"{kind}: {value}" for kind, value in facts if _norm(value) not in text]
    version_line = _summary_version_line(markdown)
    want = label["affected_version"].lstrip("v")
    found = re.search(r"- Version: v?([0-9][\w.+-]*)", version_line)
    severity = markdown.split("## Severity", 1)[-1].split("\n## ", 1)[0].lower()
    false_words = [w for w in label.get("severity_not", []) if f'"{w.lower()}"' in severity]
    return {"facts": len(facts), "found": len(facts) - len(missing), "missing": missing,
            "version_right": bool(found and found.group(1).rstrip(".") == want), "version_line": version_line,
            "severity_false_words": false_words}


def run_threads(folder: Path = THREADS_DIR) -> tuple[dict[str, float], dict[str, Any]]:
    """Key-fact recall and version accuracy of template briefs on the thread set (no index needed)."""
    plan, tickets, labels = load_threads(folder)
    details: dict[str, Any] = {}
    for ticket in tickets:
        label = labels[ticket.id]
        facts = brief_facts(plan, ticket, tickets, [], [], [], AS_OF)
        details[ticket.id] = score_brief(brief_for(facts), label)
        details[ticket.id]["guardrail_blocks"] = brief_blocks(plan, ticket, tickets)
    total = sum(d["facts"] for d in details.values())
    found = sum(d["found"] for d in details.values())
    metrics = {
        "threads.count": float(len(details)),
        "threads.key_fact_recall": round(found / total, 4) if total else 0.0,
        "threads.version_right": round(sum(d["version_right"] for d in details.values()) / len(details), 4),
        "threads.severity_false_words": float(sum(len(d["severity_false_words"]) for d in details.values())),
        "threads.guardrail_pass_rate": round(sum(not d["guardrail_blocks"] for d in details.values()) / len(details), 4),
    }
    return metrics, details


def _copy_runbooks(source: Path, target: Path) -> None:
    """Copy the runbooks without the provenance comment the shared set puts on line 1 (it is
    about the copy, not part of the runbook, and it hides the front matter from the ingestor)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.md")):
        text = re.sub(r"\A<!--.*?-->\s*\n", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        (target / path.name).write_text(text, encoding="utf-8")


def run_runbooks(say: Say = lambda _m: None, folder: Path = THREADS_DIR,
                 data: Path | None = None) -> tuple[dict[str, float], dict[str, Any]]:
    """Runbook retrieval and relevance on the 25 shared queries, and runbook plausibility on the
    threads, in a scratch home (embeds ~150 runbook passages and the threads: minutes on 2 cores)."""
    from copilot.service import Copilot

    data = data or realdata_dir()
    queries = json.loads((data / "runbooks" / "queries.json").read_text())["queries"]
    scratch = Path(tempfile.mkdtemp(prefix="threads-eval-"))
    try:
        _copy_runbooks(data / "runbooks", scratch / "runbooks")
        copilot = Copilot(scratch / "home")
        say("ingesting runbooks and threads into a scratch home…")
        copilot.ingest([folder / "plan.yaml", folder / "zendesk", scratch / "runbooks"])
        runbooks = copilot.store.runbooks()
        file_of = {rb.id: Path(rb.source_file).name for rb in runbooks}
        account = copilot.store.accounts()[0].id
        rows = []
        for q in queries:
            deep = copilot.search(account, q["query"], k=RUNBOOK_DEPTH, kinds=["runbook"])
            passages = deep[:RUNBOOK_RETRIEVED]
            retrieved = list(dict.fromkeys(file_of[p.record_id] for p in passages))
            scores = runbook_relevance(q["query"], passages, runbooks)
            by_file = {file_of[rid]: s for rid, s in scores.items()}
            proposed = [file_of[rid] for rid, _ in propose_runbooks(q["query"], deep, runbooks)]
            symptom = symptom_relevance(q["query"], deep, runbooks)
            order = sorted(symptom, key=lambda rid: (-symptom[rid], rid))
            symptom_rank = min((order.index(rid) + 1 for rid in order if file_of[rid] in q["relevant"]), default=None)
            right = max((by_file[f] for f in q["relevant"] if f in by_file), default=None)
            wrong = max((s for f, s in by_file.items() if f not in q["relevant"]), default=None)
            rows.append({"id": q["id"], "retrieved": retrieved[:3], "proposed": proposed[:3], "right": right,
                         "best_wrong": wrong, "relevant": q["relevant"], "right_symptom_rank": symptom_rank,
                         "hit": any(f in q["relevant"] for f in retrieved[:3]),
                         "proposed_hit": any(f in q["relevant"] for f in proposed[:3])})
        labels = load_threads(folder)[2]
        tickets = copilot.store.tickets(account)
        implausible, thread_rows = 0, {}
        for ticket in tickets:
            facts = build_brief_facts(copilot.store, copilot.search, ticket.id, AS_OF)
            proposed = [file_of.get(rb.id, rb.id) for rb in facts.runbooks]
            want = labels[ticket.id].get("runbook")
            bad = [f for f in proposed if f != want]
            implausible += bool(bad)
            thread_rows[ticket.id] = {"proposed": proposed, "label": want,
                                      "found": want in proposed if want else None}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    rights = sorted(r["right"] for r in rows if r["right"] is not None)
    wrongs = sorted(r["best_wrong"] for r in rows if r["best_wrong"] is not None)
    labelled = [r for r in thread_rows.values() if r["label"]]
    metrics = {
        "runbooks.queries": float(len(rows)),
        "runbooks.retrieval_hit_at_3": round(sum(r["hit"] for r in rows) / len(rows), 4),
        "runbooks.hit_at_3": round(sum(r["proposed_hit"] for r in rows) / len(rows), 4),
        "runbooks.floor": RUNBOOK_FLOOR,
        "runbooks.right_relevance_min": rights[0],
        "runbooks.right_relevance_median": round(statistics.median(rights), 3),
        "runbooks.wrong_relevance_median": round(statistics.median(wrongs), 3),
        "runbooks.wrong_relevance_max": wrongs[-1],
        "runbooks.wrong_above_floor": float(sum(w >= RUNBOOK_FLOOR for w in wrongs)),
        "runbooks.symptom_rank_limit": float(SYMPTOM_RANK),
        "runbooks.right_symptom_rank_max": float(max((r["right_symptom_rank"] or 99) for r in rows)),
        "runbooks.proposed_first_wrong": float(sum(bool(r["proposed"]) and r["proposed"][0] not in r["relevant"]
                                                   for r in rows)),
        "threads.runbook_implausible": float(implausible),
        "threads.runbook_recall": round(sum(bool(r["found"]) for r in labelled) / len(labelled), 4) if labelled else 0.0,
    }
    return metrics, {"queries": rows, "threads": thread_rows}


def main(argv: list[str]) -> int:
    metrics, details = run_threads()
    if "--fast" not in argv:
        more, runbook_details = run_runbooks(say=lambda m: print(m, file=sys.stderr))
        metrics.update(more)
        details["runbooks"] = runbook_details
    if "--details" in argv:
        print(json.dumps(details, indent=1, default=str))
    print(json.dumps(metrics, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
