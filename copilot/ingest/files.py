"""Reading source files: UTF-8 text, JSON and YAML, with errors a person can act on.

The pipeline calls :func:`load_file` before picking an ingestor; a file it refuses is
quarantined whole (``row=""``) with the reason it returns.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from copilot.records.models import QuarantineEntry

__all__ = [
    "JSON_SUFFIXES",
    "TEXT_SUFFIXES",
    "YAML_SUFFIXES",
    "FileProblem",
    "load_file",
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


def _parse_json(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileProblem(
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            "fix the JSON syntax (or re-export the file) and re-ingest",
        ) from None


def _parse_yaml(text: str) -> object:
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or str(exc)
        raise FileProblem(f"malformed YAML{where}: {problem}",
                          "fix the YAML syntax and re-ingest") from None
    except yaml.YAMLError as exc:
        raise FileProblem(f"malformed YAML: {exc}", "fix the YAML syntax and re-ingest") from None


def load_file(path: Path) -> tuple[object | None, str | None]:
    """Read a source file for detection and parsing.

    Returns:
        ``(data, None)`` for JSON/YAML (``data`` is the parsed top level); ``(None, None)``
        for other text formats that read cleanly (CSV, Markdown) and for suffixes that
        are not source formats (not read at all); ``(None, reason)`` when the file must
        be quarantined whole: unreadable, not UTF-8 (byte offset named), empty,
        malformed (line and column named), or holding no data.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        return None, None
    try:
        text = read_text(path)
        if suffix in JSON_SUFFIXES:
            data = _parse_json(text)
        elif suffix in YAML_SUFFIXES:
            data = _parse_yaml(text)
        else:
            return None, None
    except FileProblem as problem:
        return None, problem.reason
    if data is None:
        return None, "file contains no data (null document)"
    return data, None
