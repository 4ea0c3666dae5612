"""How BM25 turns text into terms, saved with each index so a query is read without bm25s.

``bm25s.tokenize(texts, stopwords="en", stemmer=Stemmer("english"))`` lowercases the text, keeps the
matches of its token pattern (words of two or more word characters), drops the English stopwords
(compared before stemming) and stems what is left with PyStemmer; repeated words stay repeated.
``Bm25Tokenizer`` does exactly that from settings recorded at build time (``tokenizer.json`` in the
index folder), so a process that only queries a saved index imports neither bm25s nor scipy
(about 0.37 s of a command's start): only PyStemmer, a small C extension.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr

__all__ = ["Bm25Tokenizer"]

FILE = "tokenizer.json"


class Bm25Tokenizer(BaseModel):
    """The tokenizer settings of one saved BM25 index (what ``bm25s.tokenize`` was called with)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lower: bool = True
    pattern: str
    stopwords: list[str]
    stemmer: str

    _split: Any = PrivateAttr()
    _stopwords: frozenset[str] = PrivateAttr()
    _stem: Any = PrivateAttr(default=None)
    _stem_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @classmethod
    def of_bm25s(cls) -> Bm25Tokenizer:
        """The settings ``KeywordIndex.build`` passes to bm25s, read from bm25s itself (build time only)."""
        import inspect

        from bm25s.stopwords import STOPWORDS_EN
        from bm25s.tokenization import tokenize

        pattern = inspect.signature(tokenize).parameters["token_pattern"].default
        return cls(pattern=pattern, stopwords=list(STOPWORDS_EN), stemmer="english")

    @classmethod
    def read(cls, folder: Path) -> Bm25Tokenizer:
        """The settings saved in ``folder``; ``OSError``/``ValueError`` when missing or malformed."""
        return cls.model_validate_json((folder / FILE).read_text(encoding="utf-8"))

    def write(self, folder: Path) -> None:
        (folder / FILE).write_text(json.dumps(self.model_dump(), ensure_ascii=False), encoding="utf-8")

    def terms(self, text: str) -> list[str]:
        """The stemmed terms of ``text`` in order, repeats kept (``bm25s.tokenize`` for one text)."""
        if self.lower:
            text = text.lower()
        words = [w for w in self._split(text) if w not in self._stopwords]
        if not words:
            return []
        with self._stem_lock:  # a PyStemmer object must not be called by two threads at once
            return self._stemmer.stemWords(words)

    def model_post_init(self, context: object, /) -> None:
        self._split = re.compile(self.pattern).findall
        self._stopwords = frozenset(self.stopwords)

    @property
    def _stemmer(self) -> Any:
        """The PyStemmer object, made on first use (callers hold ``_stem_lock``)."""
        if self._stem is None:
            import Stemmer

            self._stem = Stemmer.Stemmer(self.stemmer)
        return self._stem
