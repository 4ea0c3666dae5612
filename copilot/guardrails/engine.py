"""The runner: every applicable check over one draft, into a ``GuardrailReport``.

A check that raises is recorded as crashed (a blocking finding with ``crashed=True`` and its
name in ``report.crashed``): a crash is never a pass. ``passed`` means no blocking finding
stands un-overridden.
"""

from __future__ import annotations

import time
import traceback

from copilot.drafting.draft import Draft, Finding, GuardrailReport
from copilot.guardrails.context import CheckContext, build_context
from copilot.guardrails.markdown import sections_as_models
from copilot.guardrails.registry import checks_for
from copilot.records.source import RecordSource

__all__ = ["check_draft", "evaluate_draft", "resplit", "run_checks", "run_context"]


def run_context(ctx: CheckContext, *, only: set[str] | None = None) -> GuardrailReport:
    """Run every check that applies to ``ctx.draft`` (or just those named in ``only``)."""
    findings: list[Finding] = []
    crashed: list[str] = []
    timings: dict[str, float] = {}
    for spec in checks_for(ctx.kind, ctx.audience):
        if only is not None and spec.name not in only:
            continue
        started = time.perf_counter()
        try:
            produced = list(spec.fn(ctx))
        except Exception as exc:
            crashed.append(spec.name)
            tb = traceback.extract_tb(exc.__traceback__)
            where = f"{tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
            findings.append(
                Finding(
                    check=spec.name,
                    severity="block",
                    crashed=True,
                    message=f"check crashed: {type(exc).__name__}: {exc} — the draft was not "
                    f"verified by this check; report it and review this part by hand",
                    evidence=where,
                )
            )
            continue
        finally:
            timings[spec.name] = time.perf_counter() - started
        for finding in produced:
            if finding.check != spec.name:
                finding = finding.model_copy(update={"check": spec.name})
            findings.append(finding)
    findings = _dedupe([_on_original(ctx, f) for f in findings])
    findings.sort(key=lambda f: (f.span[0] if f.span else -1, f.check, f.message))
    ctx.cache["timings"] = timings
    blocking = any(f.severity == "block" and not f.overridden for f in findings)
    return GuardrailReport(passed=not blocking, findings=findings, crashed=crashed)


def _on_original(ctx: CheckContext, finding: Finding) -> Finding:
    """The finding with its span on the submitted Markdown; a span whose submitted text differs
    from what the checks read says so (look-alike or invisible characters)."""
    if finding.span is None or ctx.text_map is None or not ctx.text_map.changed:
        return finding
    span = ctx.to_original(finding.span)
    seen = ctx.markdown[finding.span[0] : finding.span[1]]
    written = ctx.text_map.original[span[0] : span[1]]
    message = finding.message
    if written != seen and len(seen) <= 200:
        message += f" (written {written!r}: it reads as {seen!r} once look-alike and invisible characters are normalized)"
    return finding.model_copy(update={"span": span, "message": message})


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out = []
    for f in findings:
        key = (f.check, f.severity, f.message, f.span)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def run_checks(source: RecordSource, draft: Draft, *, only: set[str] | None = None) -> GuardrailReport:
    """Check a draft as a backend produced it, against its account's records.

    Args:
        source: the records of the draft's home (a ``Store``).
    """
    return run_context(build_context(source, draft), only=only)


def resplit(draft: Draft) -> Draft:
    """A copy of ``draft`` whose ``sections`` are re-read from its Markdown (the truth)."""
    if not draft.markdown:
        return draft
    return draft.model_copy(update={"sections": sections_as_models(draft.markdown, draft.kind)})


def check_draft(source: RecordSource, draft: Draft) -> GuardrailReport:
    """Re-check a draft whose Markdown a person may have edited (sections re-split first)."""
    return run_checks(source, resplit(draft))


def evaluate_draft(source: RecordSource, draft: Draft, *, edited: bool = True) -> tuple[Draft, GuardrailReport, dict]:
    """Checks and scores in one pass (one context): ``(draft, report, scores)``.

    With ``edited`` the sections are re-split from the Markdown first (what ``check`` does).
    """
    from copilot.guardrails.scorers import score_context

    if edited:
        draft = resplit(draft)
    ctx = build_context(source, draft)
    report = run_context(ctx)
    return ctx.original or ctx.draft, report, score_context(ctx, report)
