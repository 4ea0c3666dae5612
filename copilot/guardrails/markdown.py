"""Reading a draft's Markdown the way the guardrails need it: sections, bullets and
``[source: …]`` markers, all with character offsets into the original text.

The Markdown is the truth (docs/draft-format.md): a person may have edited it, so every
check works on offsets in ``Draft.markdown`` and never on the ``sections`` list a backend
returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from copilot.drafting.draft import SECTION_NAMES, Section
from copilot.drafting.markdown import SOURCE_MARKER

__all__ = [
    "Bullet",
    "MdSection",
    "SourceMarker",
    "bullets",
    "mask_markdown",
    "parse_sections",
    "sections_as_models",
    "source_markers",
]

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*(```|~~~)", re.MULTILINE)
_LIST_MARK = re.compile(r"^([ \t]*)((?:[-*+•]|\d{1,3}[.)])[ \t]+)", re.MULTILINE)
_QUOTE_MARK = re.compile(r"^([ \t]*>[ \t]?)", re.MULTILINE)
_KNOWN_TITLES = frozenset(
    form.lower() for sections in SECTION_NAMES.values() for name, title in sections
    for form in (title, name, name.replace("_", " "))
)
_BULLET_LINE = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class MdSection:
    """A ``## `` section: ``name`` is the SECTION_NAMES name when the title is known."""

    name: str
    title: str
    heading_start: int
    body_start: int
    end: int
    text: str
    known: bool = True


@dataclass(frozen=True, slots=True)
class SourceMarker:
    """A ``[source: A, B]`` marker and the span of each id inside it."""

    start: int
    end: int
    ids: tuple[str, ...]
    id_spans: tuple[tuple[int, int], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Bullet:
    """One list item (first line plus indented continuation lines)."""

    start: int  # first character after the list marker
    end: int
    line_start: int
    text: str


def _fenced_ranges(markdown: str) -> list[tuple[int, int]]:
    ranges, opened = [], None
    for match in _FENCE.finditer(markdown):
        if opened is None:
            opened = match.start()
        else:
            ranges.append((opened, match.end()))
            opened = None
    if opened is not None:
        ranges.append((opened, len(markdown)))
    return ranges


def _inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")


def parse_sections(markdown: str, kind: str | None = None) -> list[MdSection]:
    """Split ``markdown`` into ``## `` sections (headings inside code fences do not count).

    Titles are matched to ``SECTION_NAMES[kind]`` case-insensitively (the section name itself,
    e.g. ``next_steps``, is accepted too); an unknown title gets a slug name and ``known=False``.
    """
    by_title: dict[str, str] = {}
    for name, title in SECTION_NAMES.get(kind or "", []):
        by_title[title.lower()] = name
        by_title[name.lower()] = name
        by_title[name.replace("_", " ").lower()] = name
    fences = _fenced_ranges(markdown)
    heads = [m for m in _HEADING.finditer(markdown) if len(m.group(1)) == 2 and not _inside(m.start(), fences)]
    out: list[MdSection] = []
    for i, match in enumerate(heads):
        title = match.group(2).strip()
        body_start = match.end() + 1 if match.end() < len(markdown) else match.end()
        end = heads[i + 1].start() if i + 1 < len(heads) else len(markdown)
        name = by_title.get(title.lower().rstrip(":"))
        out.append(
            MdSection(
                name=name or _slug(title),
                title=title,
                heading_start=match.start(),
                body_start=min(body_start, end),
                end=end,
                text=markdown[min(body_start, end) : end],
                known=name is not None,
            )
        )
    return out


def source_markers(markdown: str, start: int = 0, end: int | None = None) -> list[SourceMarker]:
    """Every ``[source: …]`` marker between ``start`` and ``end``."""
    end = len(markdown) if end is None else end
    out = []
    for match in SOURCE_MARKER.finditer(markdown, start, end):
        ids, spans = [], []
        inner_start = match.start(1)
        for piece in re.finditer(r"[^,;]+", match.group(1)):
            raw = piece.group(0)
            stripped = raw.strip()
            if not stripped:
                continue
            lead = len(raw) - len(raw.lstrip())
            a = inner_start + piece.start() + lead
            ids.append(stripped)
            spans.append((a, a + len(stripped)))
        out.append(SourceMarker(match.start(), match.end(), tuple(ids), tuple(spans)))
    return out


def mask_markdown(markdown: str) -> str:
    """``markdown`` with standard section headings, heading marks, source markers, list and quote
    markers blanked out (the H1 title and any other heading's text stay: they are checked).

    The result has the same length, so offsets found in it are offsets in the original.
    """
    chars = list(markdown)

    def blank(a: int, b: int) -> None:
        for k in range(a, b):
            if chars[k] != "\n":
                chars[k] = " "

    for match in _HEADING.finditer(markdown):
        if match.group(2).strip().lower().rstrip(":") in _KNOWN_TITLES:
            blank(match.start(), match.end())  # a standard section title says nothing
        else:
            blank(match.start(1), match.start(2))  # the title line and other headings are text
    for match in SOURCE_MARKER.finditer(markdown):
        blank(match.start(), match.end())
    for match in _QUOTE_MARK.finditer(markdown):
        blank(match.start(1), match.end(1))
    for match in _LIST_MARK.finditer(markdown):
        blank(match.start(2), match.end(2))
    return "".join(chars)


def bullets(markdown: str, start: int, end: int) -> list[Bullet]:
    """List items between ``start`` and ``end`` (a section body)."""
    out: list[Bullet] = []
    matches = list(_BULLET_LINE.finditer(markdown, start, end))
    for i, match in enumerate(matches):
        stop = matches[i + 1].start() if i + 1 < len(matches) else end
        # a bullet ends at a blank line or a non-indented line that is not a continuation
        pos = markdown.find("\n", match.end(), stop)
        while pos != -1 and pos + 1 < stop:
            nxt = markdown[
                pos + 1 : markdown.find("\n", pos + 1, stop) if markdown.find("\n", pos + 1, stop) != -1 else stop
            ]
            if not nxt.strip() or not nxt[:1].isspace():
                break
            pos = markdown.find("\n", pos + 1, stop)
        item_end = stop if pos == -1 else pos
        text = markdown[match.end() : item_end].rstrip()
        out.append(Bullet(start=match.end(), end=match.end() + len(text), line_start=match.start(), text=text))
    return out


def sections_as_models(markdown: str, kind: str) -> list[Section]:
    """The markdown re-split into ``Section`` models (text without the heading; citations
    from the ``[source: …]`` markers in order of first appearance)."""
    out = []
    for sec in parse_sections(markdown, kind):
        cited: list[str] = []
        for marker in source_markers(markdown, sec.body_start, sec.end):
            cited += [i for i in marker.ids if i not in cited]
        out.append(Section(name=sec.name, title=sec.title, text=sec.text.strip(), citations=cited))
    return out
