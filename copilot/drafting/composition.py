"""A slotted answer becomes sections: parse, check each statement, render values, cite, fall back.

The model answers with sections of statements that name facts by key (``{F3}``). Each statement
is checked on its own (:func:`copilot.drafting.residual.residuals`); one that states anything no key
supplied is dropped and the reason kept. The kept statements are rendered with the table's values
and cited with the sources of the keys they use. A template line whose facts no kept statement
states is appended from the template, so a draft never loses a fact the template states; a section
left with no statement is the template's section. The guardrails then check the whole draft.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from copilot.drafting.draft import SECTION_NAMES, Section
from copilot.drafting.markdown import SOURCE_MARKER, cited_ids, parse_sections, section_name
from copilot.drafting.prompts import clean_text
from copilot.drafting.residual import residuals
from copilot.drafting.slots import KEY, FactTable

__all__ = ["WROTE_NOTHING", "Composition", "Statement", "answer_schema", "compose", "parse_answer"]

MAX_STATEMENTS = 8
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+")


@dataclass(frozen=True, slots=True)
class Statement:
    text: str  # with {Fk} keys
    keys: tuple[str, ...] = ()


@dataclass
class Composition:
    """The sections made from an answer, and what happened to every statement."""

    sections: list[Section]
    answer_format: str  # "json" | "markdown"
    statements: int = 0
    kept: int = 0
    dropped: list[dict] = field(default_factory=list)  # {"section", "text", "reasons"}
    fallback_sections: dict[str, str] = field(default_factory=dict)  # name -> why the template's section
    completed: dict[str, int] = field(default_factory=dict)  # name -> template lines appended

    def report(self) -> dict[str, Any]:
        return {"answer_format": self.answer_format, "statements": self.statements, "kept": self.kept,
                "kept_share": round(self.kept / self.statements, 3) if self.statements else 0.0,
                "dropped": self.dropped, "fallback_sections": self.fallback_sections,
                "completed_from_template": self.completed}


def answer_schema(kind: str, keys: list[str], only: list[str] | None = None) -> dict[str, Any]:
    """The JSON schema of a slotted answer: one array of statements per section (``only`` these), all required."""
    statement = {"type": "object", "additionalProperties": False, "required": ["text", "facts"],
                 "properties": {"text": {"type": "string"},
                                "facts": {"type": "array", "items": {"type": "string", **({"enum": keys} if keys else {})}}}}
    names = [name for name, _ in SECTION_NAMES[kind] if not only or name in only]
    return {"type": "object", "additionalProperties": False, "required": names,
            "properties": {name: {"type": "array", "maxItems": MAX_STATEMENTS, "items": statement} for name in names}}


def parse_answer(raw: str, kind: str, table: FactTable) -> tuple[dict[str, list[Statement]], str]:
    """``(statements per section name, "json" | "markdown")`` from a model's answer.

    JSON in any of the shapes models produce (sections at the top level or under ``sections``,
    as an object or a list of ``{"name", "statements"}``; statements as objects or strings) is read
    first; anything else is read as Markdown, one statement per line. Literal values a model copied
    from the table become their keys, so a value typed exactly right counts as supplied.
    """
    data = _json_of(raw)
    found: dict[str, list[Statement]] = {}
    if data is not None:
        for label, items in _section_items(data):
            name = section_name(kind, label)
            if name and isinstance(items, list):
                found.setdefault(name, []).extend(_statement(item, table) for item in items[:MAX_STATEMENTS * 2])
        if found:
            return found, "json"
    _, sections = parse_sections(raw, kind, strict_headings=False)
    for section in sections:
        lines = [_BULLET.sub("", line).strip() for line in section.text.splitlines()]
        found[section.name] = [_statement(line, table) for line in lines if line]
    return found, "markdown"


WROTE_NOTHING = "the model wrote nothing for it"
"""The fallback reason of a section the answer left empty (``note_cut_off`` names a cut-off instead)."""


def compose(kind: str, table: FactTable, answer: dict[str, list[Statement]], template: list[Section],
            answer_format: str, names: list[str] | tuple[str, ...] = ()) -> Composition:
    """Sections from checked statements, completed and (where empty) replaced from ``template``."""
    out = Composition(sections=[], answer_format=answer_format)
    by_name = {s.name: s for s in template}
    for name, title in SECTION_NAMES[kind]:
        lines, used = [], set()
        for statement in answer.get(name, []):
            if not _meaningful(KEY.sub("", statement.text)) and not KEY.search(statement.text):
                continue
            out.statements += 1
            reasons = residuals(statement.text, table.slots, table.vocabulary, names)
            if reasons:
                out.dropped.append({"section": name, "text": statement.text, "reasons": reasons})
                continue
            keys = list(dict.fromkeys(KEY.findall(statement.text)))
            used |= set(keys)
            out.kept += 1
            lines.append("- " + table.render(statement.text) + _marker(table.sources_of(keys)))
        if not lines:
            out.fallback_sections[name] = ("every statement was dropped" if answer.get(name)
                                           else WROTE_NOTHING)
            out.sections.append(by_name[name])
            continue
        missing = [line.template for line in table.section_lines(name) if line.keys and not set(line.keys) <= used]
        if missing:
            out.completed[name] = len(missing)
            lines += [line if _BULLET.match(line) else "- " + line for line in missing]
        text = "\n".join(lines)
        out.sections.append(Section(name=name, title=title, text=text, citations=cited_ids(text)))
    return out


def _marker(ids: list[str]) -> str:
    return f" [source: {', '.join(ids)}]" if ids else ""


def _json_of(raw: str) -> Any:
    text = raw.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.DOTALL)
    candidates = [text] + ([fenced.group(1)] if fenced else [])
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start:end + 1])
    if 0 <= start:
        candidates += _closed_prefixes(text[start:])
    for candidate in candidates:
        try:
            data = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(data, (dict, list)):
            return data
    return None


def _closed_prefixes(text: str, tries: int = 40) -> list[str]:
    """A JSON answer cut short (the model ran out of tokens): its prefixes that end with a complete
    value, closed with the brackets still open there, longest first."""
    stack: list[str] = []
    cuts: list[str] = []
    in_string = escaped = False
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]" and stack:
            stack.pop()
            cuts.append(text[: i + 1] + "".join(reversed(stack)))
    return cuts[::-1][:tries]


def _section_items(data: Any) -> list[tuple[str, Any]]:
    if isinstance(data, dict) and "sections" in data:
        data = data["sections"]
    if isinstance(data, dict):
        return [(str(k), v) for k, v in data.items()]
    if isinstance(data, list):
        return [(str(item.get("name") or item.get("title") or ""), item.get("statements") or item.get("text"))
                for item in data if isinstance(item, dict)]
    return []


def _statement(item: Any, table: FactTable) -> Statement:
    if isinstance(item, dict):
        text = item.get("text") or item.get("statement") or ""
    else:
        text = item
    text = clean_text(SOURCE_MARKER.sub("", str(text))).strip()
    for value, key in table.keys_by_value():  # a value copied exactly is the key's value
        if value in text:
            text = re.sub(r"(?<![\w-])" + re.escape(value) + r"(?![\w-])", "{" + key + "}", text)
    return Statement(text=text, keys=tuple(dict.fromkeys(KEY.findall(text))))


def _meaningful(text: str) -> bool:
    return len("".join(ch for ch in text if ch.isalnum())) >= 3
