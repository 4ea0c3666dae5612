"""Fact slots vs free prose on the golden set: pass rate, fact recall, statements kept, tokens, latency.

Usage: python scripts/bench_llm_slots.py --backend openai:MODEL@URL [--home DIR] [--per-kind N]
       [--kinds brief,update,...] [--modes prose,slots] [--out FILE]

For each golden case (``evals/datasets/golden.jsonl``; the first ``--per-kind`` of each kind) the
template draft and one LLM draft per mode are made through ``Copilot.draft`` (retrieval, drafting,
guardrails, and for slots the section fallback) and compared:

- ``pass_rate``: share of LLM drafts whose guardrails pass with no edit (after the section fallback);
- ``pass_rate_without_fallback``: the same, counting a draft that needed a guardrail section fallback
  as failed (what the free-prose path gave before slots and the fallback existed);
- ``fact_recall``: share of the case's ``must_contain`` facts in the draft (template alongside);
- ``facts_lost_vs_template``: golden facts the template states and the LLM draft does not (target 0);
- ``kept_share``: statements kept / statements written (slots only; prose keeps whatever it wrote);
- ``template_sections``: share of sections that came from the template (filled or fallen back);
- ``tokens``: prompt + completion tokens per draft (as the server reports them, else cl100k_base);
- ``latency_s``: wall time of one ``Copilot.draft`` (p50 and max);
- ``leaks``: ``must_not_contain`` strings (other accounts, secrets) found in LLM drafts (target 0).

Prints one JSON document (and writes it to ``--out``). Mode switching uses ``COPILOT_LLM_SLOTS``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from copilot import Copilot, CopilotError  # noqa: E402
from evals.datasets import load_golden  # noqa: E402

SHORT = {"brief": "escalation_brief", "update": "incident_update", "pir": "pir_timeline", "qbr": "qbr_narrative"}


def one_case(copilot: Copilot, case, backend: str, mode: str, template_md: str) -> dict:
    os.environ["COPILOT_LLM_SLOTS"] = "1" if mode == "slots" else "0"
    started = time.perf_counter()
    try:
        draft = copilot.draft(case.kind, case.subject, backend=backend, as_of=case.as_of, quarter=case.quarter)
    except CopilotError as exc:
        return {"case": case.id, "mode": mode, "error": str(exc), "latency_s": round(time.perf_counter() - started, 2)}
    latency = time.perf_counter() - started
    found = [f for f in case.must_contain if f in draft.markdown]
    lost = [f for f in case.must_contain if f in template_md and f not in draft.markdown]
    slots = draft.scores.get("slots") or {}
    tokens = draft.audit.get("tokens") or {}
    backends = draft.scores.get("section_backends") or {}
    passed = bool(draft.guardrails and draft.guardrails.passed)
    return {"case": case.id, "kind": case.kind, "mode": mode, "passed": passed,
            "passed_without_fallback": passed and not draft.scores.get("guardrail_fallback"),
            "blocking": sorted({f.check for f in draft.guardrails.blocking}) if draft.guardrails else [],
            "fact_recall": len(found) / len(case.must_contain), "facts_lost_vs_template": lost,
            "statements": slots.get("statements"), "kept": slots.get("kept"),
            "template_sections": sum(b == "template" for b in backends.values()) / max(1, len(backends)),
            "guardrail_fallback": sorted(draft.scores.get("guardrail_fallback") or {}),
            "tokens": (tokens.get("prompt_tokens") or 0) + (tokens.get("completion_tokens") or 0),
            "tokens_estimated": bool(tokens.get("estimated")), "latency_s": round(latency, 2),
            "leaks": [s for s in case.must_not_contain if s in draft.markdown]}


def summarize(rows: list[dict]) -> dict:
    ok = [r for r in rows if "error" not in r]
    if not ok:
        return {"drafts": 0, "errors": len(rows)}
    written = sum(r["statements"] or 0 for r in ok)
    latencies = [r["latency_s"] for r in ok]
    return {"drafts": len(ok), "errors": len(rows) - len(ok),
            "pass_rate": round(sum(r["passed"] for r in ok) / len(ok), 3),
            "pass_rate_without_fallback": round(sum(r["passed_without_fallback"] for r in ok) / len(ok), 3),
            "fact_recall": round(statistics.mean(r["fact_recall"] for r in ok), 3),
            "drafts_losing_a_template_fact": sum(bool(r["facts_lost_vs_template"]) for r in ok),
            "kept_share": round(sum(r["kept"] or 0 for r in ok) / written, 3) if written else None,
            "template_sections": round(statistics.mean(r["template_sections"] for r in ok), 3),
            "tokens_per_draft": round(statistics.mean(r["tokens"] for r in ok)),
            "latency_s_p50": round(statistics.median(latencies), 1), "latency_s_max": round(max(latencies), 1),
            "leaks": sum(len(r["leaks"]) for r in ok)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", required=True, help="openai:MODEL@URL")
    parser.add_argument("--home", type=Path, default=None, help="an ingested sample home (default: ingest one)")
    parser.add_argument("--per-kind", type=int, default=0, help="first N golden cases of each kind (0: all)")
    parser.add_argument("--kinds", default="brief,update,pir,qbr")
    parser.add_argument("--modes", default="prose,slots")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    home = args.home
    if home is None:
        home = Path(tempfile.mkdtemp(prefix="bench-slots-")) / "home"
        Copilot(home).ingest([REPO / "data" / "sample"])
    copilot = Copilot(home)
    kinds = [SHORT.get(k, k) for k in args.kinds.split(",")]
    cases = []
    for kind in kinds:
        of_kind = [c for c in load_golden() if c.kind == kind]
        cases += of_kind[: args.per_kind] if args.per_kind else of_kind
    rows, template_recall = [], {}
    load = os.getloadavg()
    for case in cases:
        template = copilot.draft(case.kind, case.subject, as_of=case.as_of, quarter=case.quarter)
        template_recall[case.id] = sum(f in template.markdown for f in case.must_contain) / len(case.must_contain)
        for mode in args.modes.split(","):
            rows.append(one_case(copilot, case, args.backend, mode, template.markdown))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    kind_of = {c.id: c.kind for c in cases}
    summary = {kind: {"template_fact_recall": round(statistics.mean(
                          template_recall[c.id] for c in cases if c.kind == kind), 3),
                      **{mode: summarize([r for r in rows if kind_of[r["case"]] == kind and r["mode"] == mode])
                         for mode in args.modes.split(",")}}
               for kind in kinds}
    result = {"backend": args.backend, "cases": len(cases), "load_average_at_start": [round(x, 2) for x in load],
              "load_average_at_end": [round(x, 2) for x in os.getloadavg()], "summary": summary, "rows": rows}
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
