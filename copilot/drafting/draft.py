"""The Draft: what every drafting backend returns and every guardrail reads.

Its JSON form is the public ``draft``/``check``/``review`` contract (see DESIGN.md).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from copilot.drafting.specs import SPECS
from copilot.search.passage import Citation

__all__ = [
    "ARTIFACT_KINDS",
    "SECTION_NAMES",
    "Citation",
    "Draft",
    "DraftKind",
    "Finding",
    "GuardrailReport",
    "Section",
    "render_markdown",
]

DraftKind = Literal["escalation_brief", "incident_update", "pir_timeline", "qbr_narrative"]

SECTION_NAMES: dict[str, list[tuple[str, str]]] = {kind: list(spec.sections) for kind, spec in SPECS.items()}
"""``(name, title)`` of each kind's sections, in order (from ``copilot.drafting.specs``)."""
ARTIFACT_KINDS: tuple[str, ...] = tuple(SPECS)

AUDIENCE: dict[str, Literal["internal", "customer"]] = {kind: spec.audience for kind, spec in SPECS.items()}


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")




class Section(Model):
    name: str
    title: str
    text: str
    citations: list[str] = Field(default_factory=list)  # source_ids


class Finding(Model):
    check: str
    severity: Literal["block", "warn"]
    message: str
    span: tuple[int, int] | None = None  # character offsets in Draft.markdown
    evidence: str = ""
    crashed: bool = False
    overridden: bool = False


class GuardrailReport(Model):
    passed: bool = True
    findings: list[Finding] = Field(default_factory=list)
    crashed: list[str] = Field(default_factory=list)  # check names that raised

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "block" and not f.overridden]


class Draft(Model):
    id: str = ""
    kind: DraftKind
    account_id: str
    subject_id: str  # ticket id, incident id, or "<account>:<quarter>"
    title: str = ""
    markdown: str = ""
    sections: list[Section] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    backend: str = "template"
    prompt_version: str = ""
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    content_hash: str = ""
    facts: dict[str, Any] = Field(default_factory=dict)  # the facts the draft was built from
    guardrails: GuardrailReport | None = None
    scores: dict[str, Any] = Field(default_factory=dict)
    audit: dict[str, Any] = Field(default_factory=dict)  # how a model drafted it: prompt version, fact
    # table, passage ids, model and server, tokens, dropped statements (empty for the template)

    @property
    def audience(self) -> str:
        return AUDIENCE[self.kind]

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)

    def finalize(self) -> "Draft":
        """Render markdown from sections (if empty), then set hash and id."""
        if not self.markdown:
            self.markdown = render_markdown(self.title, self.sections)
        self.content_hash = hashlib.sha256(self.markdown.encode("utf-8")).hexdigest()
        if not self.id:
            self.id = f"{self.kind[:3]}-{self.subject_id}-{self.content_hash[:8]}".replace(":", "-")
        return self


def render_markdown(title: str, sections: list[Section]) -> str:
    """Markdown with one ``## Title`` heading per section, in order."""
    parts = [f"# {title}\n"] if title else []
    for section in sections:
        parts.append(f"## {section.title}\n\n{section.text.strip()}\n")
    return "\n".join(parts)
