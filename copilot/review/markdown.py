"""Markdown in and out of review: an edited text back into sections, an approved one out to a file."""

from __future__ import annotations

import re

import yaml

from copilot.drafting.draft import SECTION_NAMES, Draft, Section

__all__ = ["redraft", "render_export"]

_HEADING = re.compile(r"^(#{1,2})[ \t]+(.+?)[ \t]*#*[ \t]*$")


def redraft(draft: Draft, markdown: str) -> Draft:
    """A copy of ``draft`` whose markdown is ``markdown`` and whose sections follow it.

    The markdown is the truth (DESIGN.md, ``check``): sections are re-read from its ``## Title``
    headings, keeping each known section's citations; a section whose heading was deleted is
    gone. The previous guardrail report stays on the copy until the checker replaces it.
    """
    title, sections = _parse(draft, markdown)
    copy = draft.model_copy(deep=True, update={"markdown": markdown, "sections": sections,
                                               "title": title if title is not None else draft.title,
                                               "content_hash": ""})
    return copy.finalize()


def _parse(draft: Draft, markdown: str) -> tuple[str | None, list[Section]]:
    by_title = {t.casefold(): n for n, t in SECTION_NAMES.get(draft.kind, [])}
    by_title.update({s.title.casefold(): s.name for s in draft.sections})
    citations = {s.name: list(s.citations) for s in draft.sections}
    title: str | None = None
    heads: list[tuple[str, list[str]]] = []
    for line in markdown.splitlines():
        match = _HEADING.match(line)
        if match and match.group(1) == "#" and title is None and not heads:
            title = match.group(2)
        elif match and match.group(1) == "##":
            heads.append((match.group(2), []))
        elif heads:
            heads[-1][1].append(line)
    sections = []
    for head, body in heads:
        name = by_title.get(head.casefold()) or re.sub(r"[^a-z0-9]+", "_", head.casefold()).strip("_")
        sections.append(Section(name=name, title=head, text="\n".join(body).strip(),
                                citations=citations.get(name, [])))
    return title, sections


def render_export(front: dict[str, object], markdown: str) -> str:
    """Markdown with a YAML front matter block (``---`` … ``---``) ahead of the approved text.

    Everything after the blank line that follows the front matter is the approved revision byte
    for byte, so its sha256 equals the ``content_hash`` the front matter states.
    """
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, default_flow_style=False)
    return f"---\n{header}---\n\n{markdown}"
