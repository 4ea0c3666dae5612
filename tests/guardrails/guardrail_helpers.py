"""Helpers for the guardrail tests: run one check on a hand-made draft and read spans back."""

from __future__ import annotations

from guardrail_records import ctx_for

from copilot.drafting.draft import Finding
from copilot.guardrails.registry import all_checks

__all__ = ["run_one", "spans"]


def run_one(
    name: str,
    kind: str,
    markdown: str,
    subject_id: str = "ZD-101",
    facts: dict | None = None,
    citations: list | None = None,
) -> tuple[str, list[Finding]]:
    ctx = ctx_for(kind, markdown, subject_id, facts, citations)
    return markdown, list(all_checks()[name].fn(ctx))


def spans(markdown: str, findings: list[Finding], severity: str | None = None) -> list[str]:
    """The text each finding points at."""
    return [
        markdown[f.span[0] : f.span[1]] for f in findings if f.span and (severity is None or f.severity == severity)
    ]
