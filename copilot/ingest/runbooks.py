"""Runbooks: Markdown with optional YAML front matter, chunked by heading.

Front matter keys: ``id``, ``title``, ``component``, ``product``, ``tags`` (other keys are
ignored). Without front matter the title is the first ``#`` heading and the id is
``RB-<file stem>``. Each heading starts a :class:`RunbookSection`; text before the first
heading belongs to a section headed by the title; headings inside fenced code blocks are
text. Runbooks are shared across accounts. ``README*.md`` files are not runbooks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import yaml
from pydantic import ValidationError

from copilot.ingest.base import AccountResolver, ParseResult
from copilot.ingest.files import FileProblem, load_yaml, read_text
from copilot.ingest.limits import LimitExceeded
from copilot.ingest.rows import (
    RowError,
    describe_validation_error,
    entry,
    optional_str,
    unexpected,
)
from copilot.records.models import Runbook, RunbookSection

__all__ = ["RunbookIngestor", "parse_runbook", "split_front_matter", "split_sections"]

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")


_LEADING_COMMENTS = re.compile(r"\A(?:\s*<!--.*?-->)*\s*?\n?(?=---[ \t]*\r?\n)", re.DOTALL)
"""HTML comments (a provenance note, an export tool's banner) before the front matter's ``---``."""


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """``(front matter, body)``; no front matter gives ``({}, text)``. HTML comments before the
    opening ``---`` (provenance lines that exporters and mirrors add) are skipped.

    Raises:
        RowError: unterminated or malformed front matter (with its line number).
    """
    lead = _LEADING_COMMENTS.match(text)
    if lead and lead.end():
        text = text[lead.end():]
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise RowError("front matter opened with '---' on line 1 is never closed",
                       "close the front matter with a '---' line, then re-ingest")
    try:
        meta = load_yaml("".join(lines[1:end])) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 2}, column {mark.column + 1}" if mark else ""
        raise RowError(f"malformed front matter{where}: {exc.problem}",
                       "fix the YAML front matter, then re-ingest") from None
    except yaml.YAMLError as exc:
        raise RowError(f"malformed front matter: {exc}", "fix the YAML front matter, then re-ingest") from None
    except LimitExceeded as exc:
        raise RowError(f"front matter: {exc.reason}", exc.action) from None
    if not isinstance(meta, Mapping):
        raise RowError("front matter is not a YAML mapping", "use 'key: value' lines")
    return dict(meta), "".join(lines[end + 1:])


def split_sections(body: str) -> tuple[str, list[RunbookSection]]:
    """``(first level-1 heading or "", sections)``; sections without text are dropped."""
    title = ""
    heading = ""
    buffer: list[str] = []
    sections: list[RunbookSection] = []
    in_fence = False

    def flush() -> None:
        text = "\n".join(buffer).strip()
        if text:
            sections.append(RunbookSection(heading=heading, text=text))
        buffer.clear()

    for line in body.splitlines():
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING_RE.match(line)
        if match:
            flush()
            heading = match.group(2).strip()
            if not title and len(match.group(1)) == 1:
                title = heading
            continue
        buffer.append(line)
    flush()
    return title, sections


def _tags(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [optional_str(t) for t in value if optional_str(t)]
    raise RowError("front matter tags must be a list or a comma-separated string")


def parse_runbook(path: Path) -> ParseResult:
    """Read one Markdown runbook into a :class:`Runbook` with its sections."""
    try:
        text = read_text(path)
    except FileProblem as problem:
        return ParseResult(quarantine=[problem.entry(path)])
    try:
        meta, body = split_front_matter(text)
        first_h1, sections = split_sections(body)
        title = optional_str(meta.get("title")) or first_h1
        if not title:
            raise RowError("runbook has no title",
                           "add a '# Title' heading or a front matter 'title', then re-ingest")
        sections = [s if s.heading else RunbookSection(heading=title, text=s.text)
                    for s in sections]
        if not sections:
            raise RowError("runbook has no text under any heading",
                           "add the runbook's content, or remove the file")
        runbook = Runbook(
            id=optional_str(meta.get("id")) or f"RB-{path.stem}",
            title=title,
            component=optional_str(meta.get("component")),
            product=optional_str(meta.get("product")),
            tags=_tags(meta.get("tags")),
            source_file=str(path),
            sections=sections,
        )
    except ValidationError as exc:
        return ParseResult(quarantine=[entry(path, "", describe_validation_error(exc))])
    except RowError as err:
        return ParseResult(quarantine=[entry(path, "", err.reason, err.action)])
    except Exception as exc:
        return ParseResult(quarantine=[unexpected(path, "", exc)])
    return ParseResult(runbooks=[runbook])


class RunbookIngestor:
    """``*.md`` / ``*.markdown`` files other than ``README*``."""

    name = "runbooks"

    def matches(self, path: Path, data: object | None) -> bool:
        return path.suffix.lower() in (".md", ".markdown") and not path.name.lower().startswith(
            "readme"
        )

    def parse(self, path: Path, data: object | None, resolver: AccountResolver) -> ParseResult:
        return parse_runbook(path)
