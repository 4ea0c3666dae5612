"""Section fallback: a model-written section that a guardrail blocks is replaced by the template's.

The guardrails check the whole draft as the model's statements left it. When a blocking finding
falls inside a section a model wrote, that section (and only that one) is replaced by the template
backend's section and the draft is checked again; a blocking finding that names no section sends
every model-written section back to the template. What was replaced, and why, is kept in
``draft.scores["guardrail_fallback"]`` and the audit record. Template sections are never touched:
a finding there stands for the reviewer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from copilot.drafting.draft import Draft, Finding
from copilot.drafting.markdown import section_name, section_spans
from copilot.drafting.pipeline import splice_sections, template_sections
from copilot.guardrails.engine import evaluate_draft

if TYPE_CHECKING:
    from copilot.records.store import Store

__all__ = ["fall_back_blocked_sections"]


def fall_back_blocked_sections(store: Store, draft: Draft) -> Draft:
    """``draft``, or a re-checked copy whose blocked model-written sections come from the template."""
    modelled = {name for name, backend in (draft.scores.get("section_backends") or {}).items() if backend != "template"}
    if draft.guardrails is None or draft.guardrails.passed or not modelled or not draft.facts:
        return draft
    blamed = _sections_of(draft, draft.guardrails.blocking)
    targets = modelled if None in blamed else modelled & set(blamed)
    if not targets:
        return draft
    template = {s.name: s for s in template_sections(draft.kind, draft.facts)}
    spliced = splice_sections(store, draft, {name: template[name] for name in targets}, "template")
    _, spliced.guardrails, scores = evaluate_draft(store, spliced, edited=False)
    spliced.scores = {**spliced.scores, **scores}
    why = {name: sorted({f.check for f in blamed.get(name, []) + blamed.get(None, [])}) for name in sorted(targets)}
    spliced.scores["guardrail_fallback"] = why
    spliced.scores["llm_filled_sections"] = sorted(set(spliced.scores.get("llm_filled_sections", [])) | targets)
    if spliced.audit:
        spliced.audit["guardrail_fallback"] = why
        spliced.audit["findings_before_fallback"] = [f.model_dump(mode="json") for f in draft.guardrails.blocking]
    return spliced


def _sections_of(draft: Draft, findings: list[Finding]) -> dict[str | None, list[Finding]]:
    """Blocking findings by the section their span falls in (``None``: no span, or outside every section)."""
    spans = section_spans(draft.markdown)
    out: dict[str | None, list[Finding]] = {}
    for finding in findings:
        name = None
        if finding.span is not None:
            head = next((h for h in spans if h.start <= finding.span[0] < h.end), None)
            name = section_name(draft.kind, head.title) if head else None
        out.setdefault(name, []).append(finding)
    return out
