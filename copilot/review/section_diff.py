"""What changed between two revisions of a draft, section by section, and who wrote each side.

Each section says whether its text changed and which backend wrote it in each revision (a model,
``template``, or ``edited by NAME`` for a reviewer's edit), with a unified diff of the changed text.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from copilot.drafting.draft import Draft

__all__ = ["SectionChange", "backends_of", "label_edited_sections", "provenance", "section_changes"]


class SectionChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    section: str
    changed: bool
    backend_before: str
    backend_after: str
    diff: list[str] = Field(default_factory=list)


def backends_of(draft: Draft) -> dict[str, str]:
    """Which backend wrote each section of ``draft``."""
    known = draft.scores.get("section_backends") or {}
    return {s.name: known.get(s.name, draft.backend) for s in draft.sections}


def provenance(draft: Draft) -> dict[str, Any]:
    """Who wrote what in ``draft``: its backend, prompt, backend per section and, for a model draft,
    its audit record (fact table, passages, model and server, tokens, dropped statements, findings)."""
    return {"backend": draft.backend, "prompt_version": draft.prompt_version,
            "section_backends": backends_of(draft), **draft.audit}


def label_edited_sections(before: Draft, after: Draft, reviewer: str,
                          written_by: dict[str, str] | None = None) -> Draft:
    """``after`` with ``scores["section_backends"]`` saying which sections a reviewer changed
    (``edited by NAME``), or which backend wrote them when ``written_by`` names it."""
    old = {s.name: s.text for s in before.sections}
    labels = backends_of(before)
    for section in after.sections:
        if written_by and section.name in written_by:
            labels[section.name] = written_by[section.name]
        elif old.get(section.name) != section.text:
            labels[section.name] = f"edited by {reviewer}"
    after.scores = {**after.scores, "section_backends": {s.name: labels.get(s.name, after.backend)
                                                        for s in after.sections}}
    return after


def section_changes(before: Draft, after: Draft) -> list[SectionChange]:
    """Every section of ``after`` (and any ``before`` had that ``after`` lost), compared."""
    old = {s.name: s.text for s in before.sections}
    new = {s.name: s.text for s in after.sections}
    by_before, by_after = backends_of(before), backends_of(after)
    out = []
    for name in list(new) + [n for n in old if n not in new]:
        a, b = old.get(name, ""), new.get(name, "")
        diff = list(difflib.unified_diff(a.splitlines(), b.splitlines(), "before", "after", lineterm="", n=0))
        out.append(SectionChange(section=name, changed=a != b, backend_before=by_before.get(name, "-"),
                                 backend_after=by_after.get(name, "-"), diff=diff[2:]))
    return out
