"""The residual check: what a model's statement states *outside* its fact keys.

Every value a draft may state comes through a key of the fact table (:mod:`copilot.drafting.slots`).
What is left of a statement once its keys are taken out must be plain words: no digit (numbers,
IDs, versions, times, dates, amounts all carry one), no e-mail or URL, no ID-like token, no
unknown fact key, and no proper name the digest does not use. The check is deliberately blunt: a
statement that fails is dropped, never repaired.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from copilot.drafting.slots import KEY

__all__ = ["residuals"]

_CHECKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an e-mail address", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("a URL", re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)),
    ("an ID-like token", re.compile(r"\b[A-Z]{2,}[-_][A-Za-z0-9_-]+\b")),
    ("a number, time, date, version or ID", re.compile(r"[^\W_]*\d[\w.:,/%-]*")),
    ("a time of day", re.compile(r"\b(?:noon|midnight|o'clock|[ap]\.?m\.)(?!\w)", re.IGNORECASE)),
)
_BRACED = re.compile(r"\{[^{}]{0,20}\}")
_WORD = re.compile(r"[A-Z][A-Za-z'’]*(?:-[A-Za-z]+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;—(\"'–-])\s*$")
_ALWAYS = frozenset({"I", "We", "Our", "UTC"})


def residuals(text: str, known_keys: Iterable[str], vocabulary: frozenset[str],
              names: Iterable[str] = ()) -> list[str]:
    """Why ``text`` (a statement with ``{Fk}`` keys) states something no key supplied; ``[]`` when clean.

    Args:
        known_keys: the fact table's keys.
        vocabulary: words the digest uses outside values: a capitalised word from it is not a name.
        names: people named anywhere in the account's records; such a name is never vocabulary.
    """
    known = set(known_keys)
    stripped = KEY.sub(lambda m: " slot " if m.group(1) in known else m.group(0), text)
    reasons = [f"a fact key the table does not have: {m.group(0)!r}" for m in _BRACED.finditer(stripped)][:1]
    stripped = _BRACED.sub(" slot ", stripped)
    for reason, pattern in _CHECKS:
        found = pattern.search(stripped)
        if found:
            reasons.append(f"{reason} not supplied through a fact key: {found.group(0)!r}")
    name_parts = {part for name in names for part in name.split() if part[:1].isupper()}
    for match in _WORD.finditer(stripped):
        word = match.group(0)
        if word in _ALWAYS or (word in vocabulary and word not in name_parts):
            continue
        initial = _SENTENCE_START.search(stripped[:match.start()]) is not None
        if initial and word not in name_parts and not word.isupper():
            continue
        reasons.append(f"a proper name not supplied through a fact key: {word!r}")
        break
    return reasons
