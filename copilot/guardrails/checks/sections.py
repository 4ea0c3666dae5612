"""Required sections: each section the artifact kind needs is present and says something."""

from __future__ import annotations

import re

from copilot.drafting.draft import SECTION_NAMES, Finding
from copilot.drafting.markdown import SOURCE_MARKER
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, warn
from copilot.guardrails.registry import register

__all__ = ["PLACEHOLDERS", "check"]

NAME = "sections"

PLACEHOLDERS = re.compile(
    r"\b(?:TODO|TBD|FIXME|XXX)\b|\[(?:insert|add|fill)[^\]]*\]|<(?:insert|add|fill)[^>]*>|\bXX:XX\b|\blorem ipsum\b",
    re.IGNORECASE,
)
"""Text a person (or a model) left to fill in."""

_WORD = re.compile(r"\S+")


def _quoted_from_records(ctx: CheckContext, md: str, start: int, end: int) -> bool:
    """Whether the placeholder is part of a word the draft's sources hold verbatim: ``xxx`` inside a
    customer's own masked log line (``/orders/xxx``, ``token xxxx-xxxx``) is quoted, not left to fill."""
    line_start = md.rfind("\n", 0, start) + 1
    line_end = md.find("\n", end)
    line = md[line_start : len(md) if line_end < 0 else line_end]
    word = next((w.group(0) for w in _WORD.finditer(line) if w.start() <= start - line_start < w.end()), "")
    word = word.strip("\"'`.,;:()[]")
    if len(word) <= end - start:  # a bare TODO / XXX is always left to fill
        return False
    texts = ctx.cache.setdefault("source_texts_lower", "\n".join(ctx.sources.values()).lower())
    return word.lower() in texts


_EMPTY = re.compile(r"^[\s\-*•.…]*(?:n/?a|none|nothing|—|-)?[\s.…]*$", re.IGNORECASE)


@register(NAME, description="required sections for the kind are present, in order, and not empty")
def check(ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    md = ctx.markdown
    present = {}
    for sec in ctx.sections:
        if sec.name in present and sec.known:
            out.append(
                warn(
                    NAME,
                    f"The section '## {sec.title}' appears twice; only the first is checked as "
                    "that section. Merge them.",
                    (sec.heading_start, sec.body_start),
                )
            )
            continue
        present[sec.name] = sec
    order = [name for name, _title in SECTION_NAMES[ctx.kind]]
    for name, title in SECTION_NAMES[ctx.kind]:
        sec = present.get(name)
        if sec is None:
            later = [present[n].heading_start for n in order[order.index(name) + 1 :] if n in present]
            pos = min(later) if later else len(md)
            out.append(
                block(
                    NAME,
                    f"The '## {title}' section is missing; a {ctx.kind.replace('_', ' ')} "
                    f"needs it. Add it back with its content.",
                    (pos, pos),
                )
            )
            continue
        body = SOURCE_MARKER.sub("", sec.text)
        if _EMPTY.match(body):
            out.append(
                block(
                    NAME,
                    f"The '## {title}' section is empty; write what it should say "
                    "(or state plainly that nothing is known yet).",
                    (sec.heading_start, sec.end),
                )
            )
        for match in PLACEHOLDERS.finditer(md, sec.body_start, sec.end):
            if _quoted_from_records(ctx, md, match.start(), match.end()):
                continue
            out.append(
                block(
                    NAME,
                    f"A placeholder ('{match.group(0)}') is left in '## {title}'; fill it in or remove it.",
                    match.span(),
                )
            )
    positions = [present[n].heading_start for n in order if n in present]
    if positions != sorted(positions):
        out.append(
            warn(
                NAME,
                "The sections are not in the usual order (" + ", ".join(t for _n, t in SECTION_NAMES[ctx.kind]) + ").",
                None,
            )
        )
    return out
