"""How a draft was made, as rows for the console: who wrote each section, and a model's record.

The console's per-section redraft control and its "Provenance" panel read these; the values come from
``draft.scores["section_backends"]`` and ``draft.audit`` (see ``copilot.review.section_diff.provenance``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from copilot.drafting.draft import Draft
from copilot.review.section_diff import SectionChange, provenance

__all__ = ["ProvenanceView", "change_rows", "provenance_view", "redraft_backends", "section_writers", "writer_rows"]


class ProvenanceView(BaseModel):
    """A draft's provenance as text lines and tables (rows of column → text)."""

    model_config = ConfigDict(extra="forbid")

    summary: list[str] = Field(default_factory=list)
    sections: list[dict[str, str]] = Field(default_factory=list)
    facts: list[dict[str, str]] = Field(default_factory=list)
    dropped: list[dict[str, str]] = Field(default_factory=list)
    record: dict[str, Any] = Field(default_factory=dict)


def redraft_backends(configured: str) -> list[str]:
    """The backends a section can be written again by: the configured one first, and the template."""
    return list(dict.fromkeys([configured, "template"]))


def writer_rows(p: dict[str, Any], titles: dict[str, str] | None = None) -> list[dict[str, str]]:
    """One row per section of provenance ``p``: its name (or title), who wrote it, and why a model's
    section fell back to the template when it did."""
    titles = titles or {}
    rows = []
    for name, backend in (p.get("section_backends") or {}).items():
        why = (p.get("fallback_sections") or {}).get(name) or ", ".join(
            (p.get("guardrail_fallback") or {}).get(name, []))
        rows.append({"Section": titles.get(name, name), "Written by": str(backend),
                     "Why": str(why) if why and backend == "template" else ""})
    return rows


def section_writers(draft: Draft) -> list[dict[str, str]]:
    """Each section of ``draft`` (by title) and the backend or editor that wrote it."""
    return writer_rows(provenance(draft), {s.name: s.title for s in draft.sections})


def change_rows(changes: list[SectionChange]) -> list[dict[str, str]]:
    """``review.diff`` as a table: per section, whether it changed and who wrote each side."""
    return [{"Section": c.section, "Changed": "yes" if c.changed else "no", "Before: written by": c.backend_before,
             "After: written by": c.backend_after} for c in changes]


def provenance_view(p: dict[str, Any]) -> ProvenanceView:
    """Provenance ``p`` (``ReviewItem.provenance`` or ``section_diff.provenance(draft)``) for display."""
    summary = [f"Drafted by {p.get('backend', '—')} · prompt {p.get('prompt_version') or '—'}"]
    if p.get("model"):
        tokens = p.get("tokens") or {}
        summary.append(f"Model {p['model']} at {p.get('server') or '—'} · {p.get('mode') or '—'} · response format "
                       f"{p.get('response_format') or 'none'} · tokens in {tokens.get('prompt_tokens', '?')} / out "
                       f"{tokens.get('completion_tokens', '?')}" + (" (estimated)" if tokens.get("estimated") else ""))
        summary.append(f"Passages: {', '.join(p.get('passage_ids') or []) or 'none'}")
        if p.get("cut_off"):
            summary.append(f"Cut off: {p['cut_off']}")
    for r in p.get("section_redrafts") or []:
        summary.append(f"Section {r.get('section')} redrafted by {r.get('backend')} · prompt "
                       f"{r.get('prompt_version') or '—'}" + (f" · model {r['model']}" if r.get("model") else ""))
    facts = [{"Key": str(f.get("key", "")), "Value": str(f.get("value", "")),
              "Sources": ", ".join(f.get("sources") or [])} for f in p.get("fact_table") or []]
    dropped = [{"Section": str(d.get("section", "")), "Statement": str(d.get("text", "")),
                "Why dropped": "; ".join(d.get("reasons") or [])} for d in p.get("dropped") or []]
    return ProvenanceView(summary=summary, sections=writer_rows(p), facts=facts, dropped=dropped, record=p)
