"""Reading source files: UTF-8 text, JSON and YAML, with errors a person can act on.

The pipeline calls :func:`load_file` before picking an ingestor; a file it refuses is
quarantined whole (``row=""``) with the reason it returns.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from copilot.ingest.limits import IngestLimits, LimitExceeded, check_depth, depth_error
from copilot.records.models import QuarantineEntry

__all__ = [
    "JSON_SUFFIXES",
    "TEXT_SUFFIXES",
    "YAML_SUFFIXES",
    "FileProblem",
    "load_file",
    "load_yaml",
    "parse_source",
    "read_text",
]

JSON_SUFFIXES = frozenset({".json"})
YAML_SUFFIXES = frozenset({".yaml", ".yml"})
TEXT_SUFFIXES = JSON_SUFFIXES | YAML_SUFFIXES | frozenset({".csv", ".md", ".markdown"})


class FileProblem(Exception):
    """A file that cannot be read at all."""

    def __init__(self, reason: str, action: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.action = action

    def entry(self, path: Path | str) -> QuarantineEntry:
        """This problem as a whole-file quarantine entry."""
        return QuarantineEntry(file=str(path), row="", reason=self.reason, action=self.action)


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (a BOM is dropped), not empty.

    Raises:
        FileProblem: unreadable, not UTF-8 (naming the byte offset and line), or empty.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileProblem(f"cannot read file: {exc.strerror or exc}",
                          "check the path and its permissions") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        offset = exc.start + bom
        line = raw[:offset].count(b"\n") + 1
        raise FileProblem(
            f"not valid UTF-8: byte 0x{raw[offset]:02X} at byte offset {offset} (line {line}) "
            "cannot be decoded",
            "re-export or re-save the file as UTF-8 and re-ingest",
        ) from None
    if not text.strip():
        raise FileProblem("file is empty", "re-export the file with its content, or remove it")
    return text


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases: ``*name`` (and ``<<: *name``) can expand a
    1 KB document to gigabytes, and source exports never need them."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None,
                f"YAML aliases (*{event.anchor}) are not accepted (they can expand a small file "
                "without bound); write the values out in full", event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str, max_depth: int = IngestLimits().max_depth) -> object:
    """Parse YAML safely: no aliases, no Python tags, at most ``max_depth`` levels.

    Raises:
        yaml.YAMLError: malformed YAML, or an alias (with its line and column).
        LimitExceeded: nested deeper than ``max_depth``.
    """
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)
    except RecursionError:
        raise depth_error(max_depth) from None
    check_depth(data, max_depth)
    return data


def _parse_json(text: str, max_depth: int) -> object:
    try:
        data = json.loads(text)
    except RecursionError:
        raise depth_error(max_depth) from None
    except json.JSONDecodeError as exc:
        raise FileProblem(
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            "fix the JSON syntax (or re-export the file) and re-ingest",
        ) from None
    check_depth(data, max_depth)
    return data


def _parse_yaml(text: str, max_depth: int) -> object:
    try:
        return load_yaml(text, max_depth)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or str(exc)
        raise FileProblem(f"malformed YAML{where}: {problem}",
                          "fix the YAML syntax and re-ingest") from None
    except yaml.YAMLError as exc:
        raise FileProblem(f"malformed YAML: {exc}", "fix the YAML syntax and re-ingest") from None


def parse_source(path: Path, limits: IngestLimits | None = None) -> object | None:
    """The parsed top level of a JSON/YAML source file; ``None`` for other suffixes.

    CSV and Markdown files are checked for being readable UTF-8 text, not parsed.

    Raises:
        FileProblem: the file must be quarantined whole: unreadable, not UTF-8 (byte
            offset named), empty, malformed (line and column named), nested deeper than
            ``limits.max_depth``, using YAML aliases, or holding no data.
    """
    limits = limits or IngestLimits()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        return None
    text = read_text(path)
    try:
        if suffix in JSON_SUFFIXES:
            data = _parse_json(text, limits.max_depth)
        elif suffix in YAML_SUFFIXES:
            data = _parse_yaml(text, limits.max_depth)
        else:
            return None
    except LimitExceeded as exc:
        raise FileProblem(exc.reason, exc.action) from None
    if data is None:
        raise FileProblem("file contains no data (null document)",
                          "re-export the file with its content, or remove it")
    return data


def load_file(path: Path, limits: IngestLimits | None = None) -> tuple[object | None, str | None]:
    """:func:`parse_source` as ``(data, None)``, or ``(None, reason)`` for a refused file.

    ``(None, None)`` for CSV/Markdown that read cleanly and for suffixes that are not
    source formats (not read at all).
    """
    try:
        return parse_source(path, limits), None
    except FileProblem as problem:
        return None, problem.reason
