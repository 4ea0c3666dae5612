"""Markdown <-> sections: split a draft's Markdown into the kind's named sections.

Tolerant enough for LLM output (``### Summary``, ``**Summary**``, ``Summary:`` headings,
numbered headings), strict in what it returns: exactly the kind's sections, in order.
"""

from __future__ import annotations

import re

from copilot.drafting.draft import SECTION_NAMES, Section

__all__ = ["SOURCE_MARKER", "cited_ids", "parse_sections", "section_title"]

SOURCE_MARKER = re.compile(r"\[\s*sources?\s*:\s*([^\]\n]+)\]", re.IGNORECASE)
_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*|\*\*|__)?[ \t]*(?:\d{1,2}[.)][ \t]*)?(?P<title>[A-Za-z][A-Za-z' /&-]{1,40}?)[ \t]*:?"
    r"[ \t]*(?:\*\*|__)?[ \t]*:?[ \t]*$",
    re.MULTILINE,
)


def _key(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.lower().replace("'", "")).strip()


def section_title(kind: str, name: str) -> str:
    return dict(SECTION_NAMES[kind])[name]


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
    title_match = re.search(r"^#[ \t]+(.+?)[ \t]*$", markdown, re.MULTILINE)
    doc_title = title_match.group(1).strip() if title_match else ""
    starts: list[tuple[int, int, str]] = []  # (heading start, body start, name)
    if strict_headings:
        for m in re.finditer(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$", markdown, re.MULTILINE):
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
