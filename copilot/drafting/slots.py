"""The fact table: every value a draft may state, under a key (``F1 = ZD-4347``), with its sources.

The table is cut from the template digest (the facts rendered by ``prompts/<kind>/template.md.j2``),
so it holds exactly what the template would state. Each digest line becomes a *keyed line*: its
values (IDs, times, numbers, versions, e-mails, URLs, code spans, people and other proper names)
are replaced by ``{Fk}``, and the words around them are the vocabulary a model may write freely.

A model writes statements that name values by key; ``FactTable.render`` puts the values back and
cites the sources of the keys used. Nothing a model types itself can become a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from copilot.drafting.markdown import cited_ids, parse_sections, strip_markers

__all__ = ["KEY", "FactTable", "KeyedLine", "Slot", "build_fact_table"]

KEY = re.compile(r"\{\s*(F\d{1,4})\s*\}")
"""A fact reference in a model's statement: ``{F12}``."""

_VALUE = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<url>https?://[^\s)\]>]+)"
    r"|(?P<code>`[^`\n]+`)"
    r"|(?P<datetime>\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?(?:\s?(?:UTC|Z)\b)?)"
    r"|(?P<time>\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?(?:UTC|Z)\b)?)"
    r"|(?P<duration>\b\d+\s?h(?:\s\d+\s?m)?\b)"
    r"|(?P<token>[$€£]?[\w./#:+-]*\d[\w./#:,%+-]*)"
    r"|(?P<id>\b[A-Z]{2,}(?:[-_][A-Za-z0-9]+)+\b)"
    r"|(?P<name>\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*\b)"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;—(\"'–-])\s*$")
_BULLET = re.compile(r"^(\s*(?:[-*]|\d{1,3}[.)])\s+)")


@dataclass(frozen=True, slots=True)
class Slot:
    """One fact value and the records it comes from."""

    key: str
    value: str
    sources: tuple[str, ...]
    section: str  # where the template states it first


@dataclass(frozen=True, slots=True)
class KeyedLine:
    """One line of the template digest with its values replaced by keys."""

    section: str
    text: str  # e.g. "Ticket opened as {F4} by {F3}"
    keys: tuple[str, ...]
    template: str  # the line as the template wrote it (with its [source: …] marker)


@dataclass
class FactTable:
    """The keyed facts of one draft."""

    slots: dict[str, Slot] = field(default_factory=dict)
    lines: list[KeyedLine] = field(default_factory=list)
    vocabulary: frozenset[str] = frozenset()  # words the digest uses outside values
    _by_value: dict[str, str] = field(default_factory=dict)

    def add(self, value: str, sources: Iterable[str], section: str) -> str:
        key = self._by_value.get(value)
        if key is None:
            key = f"F{len(self.slots) + 1}"
            self._by_value[value] = key
            self.slots[key] = Slot(key, value, tuple(dict.fromkeys(sources)), section)
        else:
            old = self.slots[key]
            self.slots[key] = Slot(key, value, tuple(dict.fromkeys([*old.sources, *sources])), old.section)
        return key

    def section_lines(self, section: str) -> list[KeyedLine]:
        return [line for line in self.lines if line.section == section]

    def keys_by_value(self) -> list[tuple[str, str]]:
        """``(value, key)``, longest value first: how literal values in a model's text map back to keys."""
        return sorted(self._by_value.items(), key=lambda item: len(item[0]), reverse=True)

    def sources_of(self, keys: Iterable[str]) -> list[str]:
        out: list[str] = []
        for key in keys:
            for sid in self.slots[key].sources:
                if sid not in out:
                    out.append(sid)
        return out

    def render(self, text: str) -> str:
        """``text`` with every known ``{Fk}`` replaced by its value (unknown keys stay as written)."""
        return KEY.sub(lambda m: self.slots[m.group(1)].value if m.group(1) in self.slots else m.group(0), text)

    def as_rows(self) -> list[dict]:
        """The table as data, for the audit record."""
        return [{"key": s.key, "value": s.value, "sources": list(s.sources), "section": s.section}
                for s in self.slots.values()]


def build_fact_table(digest: str, kind: str, names: Iterable[str] = ()) -> FactTable:
    """The fact table of a template ``digest`` of ``kind``.

    Args:
        names: people named in the facts; always values, wherever they stand in a sentence.
    """
    table = FactTable()
    people = sorted({n for n in names if n and n.strip()}, key=len, reverse=True)
    person = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in people) + r")\b") if people else None
    words: set[str] = set()
    _, sections = parse_sections(digest, kind)
    for section in sections:
        for raw in section.text.splitlines():
            if not raw.strip():
                continue
            sources = cited_ids(raw)
            body = _BULLET.sub("", strip_markers(raw)).strip()
            keyed, keys = _key_values(body, table, sources, section.name, person)
            words |= set(re.findall(r"[A-Za-z][A-Za-z'’]*", KEY.sub(" ", keyed)))
            table.lines.append(KeyedLine(section.name, keyed, tuple(dict.fromkeys(keys)), raw.strip()))
    table.vocabulary = frozenset(words)
    return table


def _key_values(body: str, table: FactTable, sources: list[str], section: str,
                person: re.Pattern[str] | None) -> tuple[str, list[str]]:
    spans: list[tuple[int, int]] = [m.span() for m in person.finditer(body)] if person else []
    for match in _VALUE.finditer(body):
        start, end = match.span()
        if any(s < end and start < e for s, e in spans):
            continue
        text = match.group(0)
        if match.lastgroup == "token":
            trimmed = text.rstrip(".,:;")
            end, text = start + len(trimmed), trimmed
        if match.lastgroup == "name" and " " not in text and _SENTENCE_START.search(body[:start]):
            continue  # a capitalised first word is vocabulary, not a name
        if text:
            spans.append((start, end))
    out, keys, pos = [], [], 0
    for start, end in sorted(spans):
        key = table.add(body[start:end], sources, section)
        out.append(body[pos:start] + "{" + key + "}")
        keys.append(key)
        pos = end
    out.append(body[pos:])
    return "".join(out), keys
