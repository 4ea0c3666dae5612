"""Small helpers the checks share to build findings and locate text."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from copilot.drafting.draft import Finding

__all__ = ["block", "line_at", "scan", "sentence_span", "snippet", "warn"]


def block(check: str, message: str, span: tuple[int, int] | None = None, evidence: str = "") -> Finding:
    return Finding(check=check, severity="block", message=message, span=span, evidence=evidence)


def warn(check: str, message: str, span: tuple[int, int] | None = None, evidence: str = "") -> Finding:
    return Finding(check=check, severity="warn", message=message, span=span, evidence=evidence)


def line_at(text: str, pos: int) -> tuple[int, int]:
    """The span of the line holding ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])|\n")


@lru_cache(maxsize=32)
def _boundaries(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of every sentence boundary in ``text`` (memoised per text)."""
    starts, ends = [], []
    for match in _BOUNDARY.finditer(text):
        starts.append(match.start())
        ends.append(match.end())
    return starts, ends


def sentence_span(text: str, pos: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The sentence (or line) holding ``pos``, within ``[lo, hi)``."""
    hi = len(text) if hi is None else hi
    starts, ends = _boundaries(text)
    i = bisect_right(ends, pos) - 1
    start = max(lo, ends[i]) if i >= 0 else lo
    j = bisect_left(starts, pos)
    end = min(hi, starts[j]) if j < len(starts) else hi
    return start, max(start, end)


def scan(
    pattern: re.Pattern[str], text: str, anchors: tuple[str, ...], pos: int = 0, lower: str | None = None
) -> list[re.Match[str]]:
    """``pattern.finditer(text, pos)``, skipped when no anchor (lower-case) occurs in the text.

    The anchors are a cheap pre-filter: every match of ``pattern`` must contain one of them.
    """
    low = text.lower() if lower is None else lower
    if anchors and not any(a in low for a in anchors):
        return []
    return list(pattern.finditer(text, pos))


def snippet(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
