"""The template backend (default): Jinja2 templates turn facts into complete Markdown. No model.

Deterministic: the same facts give the same Markdown, and every number, time, id and name
in it is copied from the facts.
"""

from __future__ import annotations

from copilot.drafting.base import DraftRequest
from copilot.drafting.draft import Draft
from copilot.drafting.markdown import parse_sections
from copilot.drafting.prompts import render

__all__ = ["TemplateBackend", "render_template_markdown"]

TEMPLATE_FILE = "template.md.j2"


def render_template_markdown(kind: str, facts: dict) -> tuple[str, str]:
    """``(markdown, template version)`` for ``kind`` rendered from ``facts`` (JSON-mode dict)."""
    text, version = render(kind, TEMPLATE_FILE, facts=facts)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    markdown, blank = [], False
    for line in lines:  # at most one blank line in a row
        if not line:
            if not blank:
                markdown.append("")
            blank = True
            continue
        markdown.append(line)
        blank = False
    return "\n".join(markdown) + "\n", version


class TemplateBackend:
    """``template``: the offline default, and a shippable backend in its own right."""

    name = "template"
    uses_passages = False  # everything it writes comes from the facts

    def draft(self, request: DraftRequest) -> Draft:
        markdown, version = render_template_markdown(request.kind, request.facts)
        title, sections = parse_sections(markdown, request.kind)
        return Draft(kind=request.kind, account_id=request.account_id, subject_id=request.subject_id,
                     title=title or request.title, markdown=markdown, sections=sections, backend=self.name,
                     prompt_version=version)
