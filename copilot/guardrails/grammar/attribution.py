"""Attributed source text: a cited record's own words are evidence, not the draft's claim.

A commitment, cause or blame phrase is exempt when it is

- inside quotation marks (or a ``>`` quote) whose words a source of the draft holds verbatim;
- in a clause (between ``. ; : ! ?`` and line ends) of at least ``MIN_VERBATIM`` characters that a
  source cited on the same line holds verbatim (a corrective action or timeline event copied from the
  record: "priority-classes will ensure this never happens" in a post-mortem's action item);
- in a timestamped ``## Timeline`` entry whose cited source itself contains the phrase.

Injected instructions (customer text aimed at a model) are never evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from copilot.guardrails.context import CheckContext

__all__ = ["MIN_VERBATIM", "attributed", "quoted", "quoted_span"]

MIN_VERBATIM = 24
"""A shorter clause ("we guarantee it") proves nothing by being found somewhere."""

_PAIRS = (('"', '"'), ("\u201c", "\u201d"), ("`", "`"), ("'", "'"), ("\u2018", "\u2019"))
_CLAUSE_END = re.compile(r"[.;:!?](?=\s|$)|\n")
_STAMP = re.compile(r"\s*(?:[-*+]\s+)?(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}")
_LABEL = re.compile(r"^\s*(?:[-*+>]\s+)?(?:[A-Z]{1,4}-?\d{1,3}\s*:\s*)?")


def _line(markdown: str, a: int, b: int) -> tuple[int, int]:
    start = markdown.rfind("\n", 0, a) + 1
    end = markdown.find("\n", b)
    return start, len(markdown) if end < 0 else end


def quoted_span(markdown: str, a: int, b: int) -> tuple[int, int] | None:
    """The span inside the quotation marks around ``[a, b)`` on its line (or the ``>`` line), if any."""
    start, end = _line(markdown, a, b)
    line = markdown[start:end]
    if line.lstrip().startswith(">"):
        return start + len(line) - len(line.lstrip().lstrip(">").lstrip()), end
    before, after = markdown[start:a], markdown[b:end]
    for open_, close in _PAIRS:
        if open_ == close:
            if open_ == "'" and not re.search(r"(?:^|[\s(])'", before):
                continue  # an apostrophe ("we'll") opens no quote
            if before.count(open_) % 2 == 1 and close in after:
                return start + before.rfind(open_) + 1, b + after.index(close)
        elif before.rfind(open_) > before.rfind(close) and close in after:
            return start + before.rfind(open_) + 1, b + after.index(close)
    return None


def quoted(markdown: str, a: int, b: int) -> bool:
    """Whether ``[a, b)`` sits in a ``>`` block or between quotes/backticks on its line."""
    return quoted_span(markdown, a, b) is not None


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[*_`\u201c\u201d\"]", "", text).split()).lower()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _record_text(ctx: CheckContext, record_id: str) -> str:
    """Every string field of a record (contributing factors, actions… that no chunk may hold), normalized."""
    memo = ctx.account.__dict__.setdefault("_attribution_memo", {})
    if record_id not in memo:
        try:
            record = ctx.account.record(record_id)
        except Exception:  # not a ticket/incident/plan of this account
            record = None
        dumped = record.model_dump(mode="json") if hasattr(record, "model_dump") else {}
        memo[record_id] = _norm("\n".join(_strings(dumped)))
    return memo[record_id]


def _line_sources(ctx: CheckContext, a: int, b: int) -> list[str]:
    """Normalized texts of the sources cited on the line of ``[a, b)`` and of their whole records,
    injected instructions excluded."""
    start, end = _line(ctx.markdown, a, b)
    cited = {sid for m in ctx.markers if start <= m.start < end for sid in m.ids}
    if not cited or cited & ctx.account.injected_sources:
        return []
    records = {ctx.account.record_of(sid) for sid in cited}
    records.discard(None)
    texts = [_norm(t) for sid, t in ctx.sources.items()
             if sid not in ctx.account.injected_sources and ctx.account.source_record.get(sid) in records]
    return texts + [_record_text(ctx, r) for r in sorted(records) if not _injected_record(ctx, r)]


def _injected_record(ctx: CheckContext, record_id: str) -> bool:
    return any(ctx.account.source_record.get(sid) == record_id for sid in ctx.account.injected_sources)


def _evidence_texts(ctx: CheckContext) -> str:
    cached = ctx.cache.get("evidence_texts")
    if cached is None:
        cached = "\n".join(
            _norm(t) for sid, t in ctx.sources.items() if sid not in ctx.account.injected_sources
        )
        ctx.cache["evidence_texts"] = cached
    return cached


def _clause(markdown: str, a: int, b: int) -> str:
    start, end = _line(markdown, a, b)
    left = max((m.end() for m in _CLAUSE_END.finditer(markdown, start, a)), default=start)
    right = _CLAUSE_END.search(markdown, b, end)
    return markdown[left : right.start() if right else end]


def _in_timeline(ctx: CheckContext, a: int) -> bool:
    section = next((s for s in ctx.sections if s.body_start <= a < s.end), None)
    if section is None or section.name != "timeline":
        return False
    start = ctx.markdown.rfind("\n", 0, a) + 1
    return bool(_STAMP.match(ctx.markdown, start))


def attributed(ctx: CheckContext, a: int, b: int) -> bool:
    """Whether the phrase at ``[a, b)`` is a record's own words (see the module docstring)."""
    md = ctx.markdown
    inside = quoted_span(md, a, b)
    if inside is not None and _norm(md[inside[0] : inside[1]]) in _evidence_texts(ctx):
        return True
    cited = _line_sources(ctx, a, b)
    if not cited:
        return False
    clause = _norm(_LABEL.sub("", _clause(ctx.masked, a, b)))
    if len(clause) >= MIN_VERBATIM and any(clause in t for t in cited):
        return True
    phrase = _norm(md[a:b])
    return _in_timeline(ctx, a) and any(phrase in t for t in cited)
