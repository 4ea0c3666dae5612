"""The one module that knows a draft's Markdown: ``# Title``, ``## Section`` headings and
``[source: ID, ID]`` markers.

Splitting is tolerant enough for LLM output (``### Summary``, ``**Summary**``, ``Summary:``
headings, numbered headings) and strict in what it returns: exactly the kind's sections, in order.
Every other layer (guardrails, console, evals) uses these patterns rather than its own copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from copilot.drafting.draft import SECTION_NAMES, Section, render_markdown

__all__ = ["SECTION_HEADING", "HeadingSpan", "section_spans", "SOURCE_MARKER", "TITLE_HEADING", "cited_ids", "parse_sections", "render_markdown", "section_name",
           "section_title", "strip_markers"]

SOURCE_MARKER = re.compile(r"\[\s*sources?\s*:\s*([^\]\n]*)\]", re.IGNORECASE)
"""``[source: ZD-1, ZD-1#c2]``; group 1 is the comma-separated ids (possibly empty)."""
SECTION_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
"""A ``## Section title`` line; group 1 is the title."""
TITLE_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t]*$", re.MULTILINE)
"""The draft's ``# Title`` line; group 1 is the title."""
_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*|\*\*|__)?[ \t]*(?:\d{1,2}[.)][ \t]*)?(?P<title>[A-Za-z][A-Za-z' /&-]{1,40}?)[ \t]*:?"
    r"[ \t]*(?:\*\*|__)?[ \t]*:?[ \t]*$",
    re.MULTILINE,
)


def _key(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.lower().replace("'", "")).strip()


def section_name(kind: str, label: str) -> str | None:
    """The section name a label means (its name or its title, any case or punctuation), or None."""
    wanted = _key(label)
    return next((name for name, title in SECTION_NAMES[kind] if wanted in (_key(name), _key(title))), None)


def section_title(kind: str, name: str) -> str:
    return dict(SECTION_NAMES[kind])[name]


@dataclass(frozen=True, slots=True)
class HeadingSpan:
    """One ``## Title`` section of a Markdown text: where its heading starts, its body starts and it ends."""

    title: str
    start: int
    body_start: int
    end: int


def section_spans(markdown: str) -> list[HeadingSpan]:
    """Every ``## `` section of ``markdown`` in order, whatever its title."""
    heads = list(SECTION_HEADING.finditer(markdown))
    return [HeadingSpan(h.group(1).strip(), h.start(), h.end(), heads[n + 1].start() if n + 1 < len(heads) else len(markdown))
            for n, h in enumerate(heads)]


def strip_markers(text: str) -> str:
    """``text`` without its ``[source: …]`` markers."""
    return SOURCE_MARKER.sub("", text)


def cited_ids(text: str) -> list[str]:
    """Source ids named in ``[source: …]`` markers, in order of first appearance."""
    out: list[str] = []
    for match in SOURCE_MARKER.finditer(text):
        for raw in re.split(r"[,;]", match.group(1)):
            sid = raw.strip()
            if sid and sid not in out:
                out.append(sid)
    return out


def parse_sections(markdown: str, kind: str, *, strict_headings: bool = True) -> tuple[str, list[Section]]:
    """``(title, sections)`` from Markdown.

    Args:
        strict_headings: only ``## Title`` lines start a section (template output); when
            False any heading-like line naming a section title does (LLM output).

    Sections that are missing come back with empty text, so callers can see what is absent.
    """
    names = SECTION_NAMES[kind]
    lookup: dict[str, str] = {}
    for name, title in names:
        lookup[_key(title)] = name
        lookup[_key(name)] = name
    title_match = TITLE_HEADING.search(markdown)
    doc_title = title_match.group(1).strip() if title_match else ""
    starts: list[tuple[int, int, str]] = []  # (heading start, body start, name)
    if strict_headings:
        for m in SECTION_HEADING.finditer(markdown):
            name = lookup.get(_key(m.group(1)))
            if name:
                starts.append((m.start(), m.end(), name))
    else:
        for m in _HEADING.finditer(markdown):
            name = lookup.get(_key(m.group("title")))
            if name and name not in {s[2] for s in starts}:
                starts.append((m.start(), m.end(), name))
    bodies: dict[str, str] = {}
    for i, (_, body_start, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(markdown)
        body = markdown[body_start:end].strip()
        if name not in bodies:
            bodies[name] = body
    sections = [Section(name=name, title=title, text=bodies.get(name, ""), citations=cited_ids(bodies.get(name, "")))
                for name, title in names]
    return doc_title, sections
