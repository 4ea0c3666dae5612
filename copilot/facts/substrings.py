"""``SubstringIndex``: which of many terms occur in a text, without testing every term.

A draft for one account is scrubbed of (and checked for) every other account's names: at 1,000
accounts that is thousands of terms, and testing ``term in text`` for each one, for every
sentence of every draft, grows with the portfolio. The index files each term under its first
three characters, so a text only tests the terms filed under the trigrams it contains (and the
few terms shorter than three characters). The answer is exactly the terms ``term in text``
accepts, in their original order.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["SubstringIndex"]

_GRAM = 3


class SubstringIndex:
    """An index over ``keys`` (kept in order); ``present(text)`` = ``[i for i, k in enumerate(keys) if k in text]``."""

    __slots__ = ("_by_gram", "_short", "keys")

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys: tuple[str, ...] = tuple(keys)
        self._short: list[int] = []
        self._by_gram: dict[str, list[int]] = {}
        for n, key in enumerate(self.keys):
            if len(key) < _GRAM:
                self._short.append(n)
            else:
                self._by_gram.setdefault(key[:_GRAM], []).append(n)

    def present(self, text: str) -> list[int]:
        """The positions of the keys that occur in ``text``, in key order."""
        grams = {text[i:i + _GRAM] for i in range(len(text) - _GRAM + 1)}
        candidates = set(self._short)
        for gram in grams & self._by_gram.keys():
            candidates.update(self._by_gram[gram])
        return [n for n in sorted(candidates) if self.keys[n] in text]

    def found(self, text: str) -> tuple[str, ...]:
        """The keys that occur in ``text``, in key order."""
        return tuple(self.keys[n] for n in self.present(text))
