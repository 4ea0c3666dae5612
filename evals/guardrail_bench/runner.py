"""Run the guardrail benchmark: detection recall per mutation class, blocking false positives
on clean drafts, and check latency.

A mutated draft counts as **detected** when the guardrails block it and at least one blocking
finding comes from a check expected for that class (a secret must be caught by the secrets
check, not by luck elsewhere). A clean draft is a **false positive** when anything blocks it.
Every draft is checked the way ``check DRAFT.json`` does (Markdown re-split into sections).
"""

from __future__ import annotations

import statistics
import time
from random import Random
from typing import TYPE_CHECKING, Any

from evals.guardrail_bench.cases import Case, handwritten_cases, template_cases
from evals.guardrail_bench.claim_mutations import CLAIM_MUTATIONS
from evals.guardrail_bench.claim_mutations import MEANING_MUTATIONS as CLAIM_MEANING
from evals.guardrail_bench.grammar_mutations import GRAMMAR_MEANING, GRAMMAR_MUTATIONS
from evals.guardrail_bench.mutations import MUTATIONS, World
from evals.guardrail_bench.subject_mutations import SUBJECT_MUTATIONS
from evals.guardrail_bench.value_mutations import VALUE_MUTATIONS

DETERMINISTIC = {**MUTATIONS, **CLAIM_MUTATIONS, **GRAMMAR_MUTATIONS, **SUBJECT_MUTATIONS, **VALUE_MUTATIONS}
MEANING_MUTATIONS = {**CLAIM_MEANING, **GRAMMAR_MEANING}
"""Classes a deterministic check must block every time (their recall is a CI threshold)."""

if TYPE_CHECKING:
    from copilot.service import Copilot

__all__ = ["build_cases", "format_report", "run_guardrail_benchmark"]

SEED = 20261116
MUTANTS_PER_DRAFT = 2
"""Seeded variants of each applicable mutation class per clean draft."""


def build_cases(copilot: "Copilot", *, seed: int = SEED, per_draft: int = MUTANTS_PER_DRAFT) -> list[Case]:
    """Clean template drafts, clean hand-written drafts, and their seeded mutations."""
    clean = template_cases(copilot) + handwritten_cases()
    world = World(copilot)
    rng = Random(seed)
    grammar_rng = Random(seed + 1)  # the grammar classes draw apart: adding them re-seeds no other class
    out = list(clean)
    for case in clean:
        for label, mutate in {**DETERMINISTIC, **MEANING_MUTATIONS}.items():
            seen: set[str] = set()
            for n in range(per_draft if label in MUTATIONS else 1):  # the issue-11 classes: one variant each
                # the grammar and value classes draw from their own seeded streams: adding them leaves
                # every other class's sample as it was
                if label in VALUE_MUTATIONS:
                    draw = Random(f"{seed}:{case.id}:{label}:{n}")
                else:
                    stream = grammar_rng if label in GRAMMAR_MUTATIONS or label in GRAMMAR_MEANING else rng
                    draw = Random(stream.random())
                mutation = mutate(case.draft, world, draw)
                if mutation is None or mutation.markdown in seen:
                    continue
                seen.add(mutation.markdown)
                draft = case.draft.model_copy(update={"markdown": mutation.markdown, "id": "", "content_hash": ""})
                out.append(
                    Case(
                        id=f"{case.id}~{label}#{n}",
                        origin=case.origin,
                        label=label,
                        draft=draft.finalize(),
                        expected_checks=mutation.expected,
                        note=mutation.note,
                        span=mutation.span,
                    )
                )
    return out


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run_guardrail_benchmark(
    copilot: "Copilot", *, seed: int = SEED, per_draft: int = MUTANTS_PER_DRAFT, cases: list[Case] | None = None
) -> dict[str, Any]:
    """Build (or take) the labelled drafts, check each, and report the figures.

    Returns:
        ``{"recall": {class: share detected}, "recall_min", "blocking_fp_rate": {"template",
        "handwritten"}, "latency_ms": {"p50", "p95", "max", "cpu_p50", "cpu_p95"}, "counts": {…},
        "misses": [...], "false_positives": [...]}``. Lists are details for a report.
    """
    from copilot.guardrails.context import build_context
    from copilot.guardrails.engine import resplit, run_context

    cases = build_cases(copilot, seed=seed, per_draft=per_draft) if cases is None else cases

    # warm the per-account caches once (their build time is reported separately)
    started = time.perf_counter()
    for account in sorted({c.draft.account_id for c in cases}):
        sample = next(c for c in cases if c.draft.account_id == account)
        build_context(copilot.store, sample.draft).universe  # noqa: B018 - builds and caches the account data
    warmup_ms = (time.perf_counter() - started) * 1000

    wall: list[float] = []
    cpu: list[float] = []
    per_class: dict[str, list[bool]] = {label: [] for label in DETERMINISTIC}
    meaning: dict[str, list[bool]] = {label: [] for label in MEANING_MUTATIONS}
    clean_findings: dict[str, int] = {}  # clean case id -> its number of findings (clean cases come first)
    fp: dict[str, list[bool]] = {"template": [], "handwritten": []}
    misses: list[dict[str, Any]] = []
    false_positives: list[dict[str, Any]] = []
    crashed: list[str] = []
    for case in cases:
        t0, c0 = time.perf_counter(), time.process_time()
        ctx = build_context(copilot.store, resplit(case.draft))
        report = run_context(ctx)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        crashed += [f"{case.id}: {name}" for name in report.crashed]
        blocking = [f for f in report.findings if f.severity == "block" and not f.overridden]
        if case.label == "clean":
            clean_findings[case.id] = len(report.findings)
            fp[case.origin].append(bool(blocking))
            if blocking:
                false_positives.append(
                    {
                        "case": case.id,
                        "findings": [
                            {
                                "check": f.check,
                                "message": f.message,
                                "text": case.draft.markdown[f.span[0] : f.span[1]] if f.span else "",
                            }
                            for f in blocking
                        ],
                    }
                )
            continue
        if case.label in meaning:  # reported, never counted in recall
            base = clean_findings.get(case.id.split("~", 1)[0], 0)
            meaning[case.label].append(len(report.findings) > base)
            continue
        detected = any(f.check in case.expected_checks for f in blocking)
        per_class[case.label].append(detected)
        if not detected:
            misses.append(
                {
                    "case": case.id,
                    "class": case.label,
                    "note": case.note,
                    "blocked_by": sorted({f.check for f in blocking}),
                }
            )

    recall = {label: (sum(v) / len(v) if v else None) for label, v in per_class.items()}
    measured = [r for r in recall.values() if r is not None]
    return {
        "recall": {k: v for k, v in recall.items() if v is not None},
        "recall_min": min(measured) if measured else 0.0,
        "blocking_fp_rate": {origin: (sum(v) / len(v) if v else 0.0) for origin, v in fp.items()},
        "latency_ms": {
            "p50": _percentile(wall, 0.5),
            "p95": _percentile(wall, 0.95),
            "max": max(wall, default=0.0),
            "cpu_p50": _percentile(cpu, 0.5),
            "cpu_p95": _percentile(cpu, 0.95),
            "mean": statistics.fmean(wall) if wall else 0.0,
            "account_warmup": warmup_ms,
        },
        "counts": {
            "drafts": len(cases),
            "clean_template": len(fp["template"]),
            "clean_handwritten": len(fp["handwritten"]),
            "mutated": sum(len(v) for v in per_class.values()),
            "per_class": {k: len(v) for k, v in per_class.items()},
            "crashed": len(crashed),
        },
        "meaning_classes": {k: (sum(v) / len(v) if v else None) for k, v in meaning.items()},
        "misses": misses,
        "false_positives": false_positives,
        "crashed": crashed,
    }


def format_report(result: dict[str, Any]) -> str:
    """The benchmark figures as a plain-text table."""
    counts = result["counts"]
    lines = [
        f"guardrail benchmark: {counts['drafts']} drafts ({counts['clean_template']} clean template, "
        f"{counts['clean_handwritten']} clean hand-written, {counts['mutated']} mutated)",
        "",
        f"{'mutation class':28} {'drafts':>6} {'recall':>8}",
    ]
    for label, value in result["recall"].items():
        lines.append(f"{label:28} {counts['per_class'][label]:>6} {value:>8.1%}")
    lines += ["", "meaning-dependent classes (not in recall; share of drafts with any new finding, block or warn):"]
    for label, value in result.get("meaning_classes", {}).items():
        lines.append(f"{label:28} {'-' if value is None else format(value, '.1%'):>15}")
    fp = result["blocking_fp_rate"]
    lat = result["latency_ms"]
    lines += [
        "",
        f"blocking false positives: template {fp['template']:.1%} "
        f"({counts['clean_template']} drafts), hand-written {fp['handwritten']:.1%} "
        f"({counts['clean_handwritten']} drafts)",
        f"check latency per draft: p50 {lat['p50']:.1f} ms, p95 {lat['p95']:.1f} ms, max {lat['max']:.1f} ms "
        f"(CPU p50 {lat['cpu_p50']:.1f} ms, p95 {lat['cpu_p95']:.1f} ms; account data built once in "
        f"{lat['account_warmup']:.0f} ms)",
    ]
    if result["crashed"]:
        lines.append(f"crashed checks: {len(result['crashed'])}")
    for miss in result["misses"][:20]:
        lines.append(f"  MISS {miss['case']}: {miss['note']} (blocked by {', '.join(miss['blocked_by']) or 'nothing'})")
    for fp_case in result["false_positives"][:20]:
        first = fp_case["findings"][0]
        lines.append(f"  FALSE POSITIVE {fp_case['case']}: {first['check']}: {first['message'][:120]}")
    return "\n".join(lines)
