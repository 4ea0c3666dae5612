"""Normalized draft text with a map back to the original characters.

Before any check the draft's Markdown is normalized, so that ``Тidewater`` (a Cyrillic ``Т``),
``tide\u00adwater`` (a soft hyphen), ``Tide\u200bwater`` (a zero-width space) and full-width
``９８，７６５`` are seen for what they are:

1. format characters (Unicode category ``Cf``: zero-width spaces and joiners, soft hyphen,
   bidi controls, the BOM) are removed;
2. each character with its combining marks is NFKC-normalized;
3. look-alike letters are mapped to the letter they imitate (``confusables.SKELETON``).

``offsets[i]`` is the original index of normalized character ``i``, so a finding's span in the
normalized text is mapped back with ``to_original``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from copilot.guardrails.text.confusables import SKELETON

__all__ = ["NormalizedText", "normalize"]


@dataclass(frozen=True, slots=True)
class NormalizedText:
    original: str
    text: str
    offsets: tuple[int, ...] | None  # None: the text is unchanged (identity map)

    @property
    def changed(self) -> bool:
        return self.offsets is not None

    def to_original(self, span: tuple[int, int]) -> tuple[int, int]:
        """The original span of a span in ``text`` (covering every original character it came from)."""
        if self.offsets is None:
            return span
        a, b = span
        n = len(self.offsets)
        start = self.offsets[a] if a < n else len(self.original)
        if b <= a:
            return start, start
        last = self.offsets[b - 1] if b - 1 < n else len(self.original) - 1
        end = self.offsets[b] if b < n else len(self.original)
        return start, max(end, last + 1)


def _cluster_end(text: str, i: int) -> int:
    """The end of the character at ``i`` plus the combining marks that follow it."""
    j = i + 1
    while j < len(text) and unicodedata.category(text[j]).startswith("M"):
        j += 1
    return j


def normalize(original: str) -> NormalizedText:
    """``original`` normalized for checking, with its offset map (identity when nothing changes)."""
    if original.isascii():
        return NormalizedText(original, original, None)
    out: list[str] = []
    offsets: list[int] = []
    i = 0
    while i < len(original):
        ch = original[i]
        if unicodedata.category(ch) == "Cf":
            i += 1
            continue
        j = _cluster_end(original, i)
        piece = unicodedata.normalize("NFKC", original[i:j])
        for k, c in enumerate(piece):
            out.append(SKELETON.get(c, c))
            # the first output character maps to the cluster start, the rest to the cluster too
            offsets.append(i if k == 0 else min(i + k, j - 1))
        i = j
    text = "".join(out)
    if text == original:
        return NormalizedText(original, original, None)
    return NormalizedText(original, text, tuple(offsets))
