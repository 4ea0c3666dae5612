"""A recognised phrase: what a grammar recognizer found, with its exact span."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Phrase", "find_phrases"]


@dataclass(frozen=True, slots=True)
class Phrase:
    """``text`` at ``[start, end)`` is a phrase of ``kind`` (e.g. ``vague`` for a vague ETA)."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


def find_phrases(
    patterns: tuple[tuple[str, re.Pattern[str]], ...], text: str, anchors: tuple[str, ...] = (), lower: str | None = None
) -> list[Phrase]:
    """Every match of every ``(kind, pattern)`` in ``text``, in text order, overlaps dropped (the
    earlier, then the longer, wins). ``anchors`` is a cheap pre-filter: every match holds one."""
    low = text.lower() if lower is None else lower
    if anchors and not any(a in low for a in anchors):
        return []
    found = sorted(
        (Phrase(kind, m.start(), m.end(), m.group(0)) for kind, rx in patterns for m in rx.finditer(text)),
        key=lambda p: (p.start, -(p.end - p.start)),
    )
    out: list[Phrase] = []
    for phrase in found:
        if out and phrase.start < out[-1].end:
            continue
        out.append(phrase)
    return out
