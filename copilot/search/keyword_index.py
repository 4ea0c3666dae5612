"""The keyword side of retrieval: one BM25 index per account (its chunks plus shared ones), on disk.

Building BM25 means tokenizing and stemming every chunk of the account; a new process (every
CLI call, every batch worker) used to pay that on its first search of each account. The index
is now saved under ``<root>/<account>/<key>/`` (``copilot.search.account_cache``: the key changes
with the account's chunks) and memory-mapped back. A home that cannot be written keeps working:
the index is then built in memory only.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import bm25s
import Stemmer

from copilot.records.store import Chunk
from copilot.search.account_cache import account_folder, chunk_key, remove_stale, write_atomically

__all__ = ["KeywordIndex", "load_or_build"]

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the tokenizer settings or the files change: old folders are then ignored
IDS_FILE = "chunk_ids.json"


class KeywordIndex:
    """A BM25 index over a fixed list of chunk ids (one account plus shared documents)."""

    stemmer = Stemmer.Stemmer("english")

    def __init__(self, chunk_ids: list[str], model: bm25s.BM25) -> None:
        self.chunk_ids = chunk_ids
        self.model = model

    @classmethod
    def build(cls, chunks: list[Chunk]) -> KeywordIndex:
        model = bm25s.BM25()
        if chunks:
            tokens = bm25s.tokenize([c.text for c in chunks], stopwords="en", stemmer=cls.stemmer,
                                    show_progress=False)
            model.index(tokens, show_progress=False)
        return cls([c.id for c in chunks], model)

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex | None:
        """The index saved in ``folder``, or None when there is none (or it cannot be read)."""
        ids_file = folder / IDS_FILE
        if not ids_file.exists():
            return None
        try:
            ids = json.loads(ids_file.read_text(encoding="utf-8"))
            if not ids:
                return cls([], bm25s.BM25())
            model = bm25s.BM25.load(str(folder), mmap=True, show_progress=False, verbosity=0)
        except (OSError, ValueError) as exc:
            log.warning("BM25 index in %s unreadable (%s): building it again", folder, exc)
            return None
        return cls(ids, model)

    def save(self, folder: Path) -> None:
        """Write to ``folder`` atomically: a reader sees all of it or none of it."""

        def write(tmp: Path) -> None:
            if self.chunk_ids:
                self.model.save(str(tmp), show_progress=False)
            (tmp / IDS_FILE).write_text(json.dumps(self.chunk_ids), encoding="utf-8")

        write_atomically(folder, write)

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[str]:
        """Up to ``k`` chunk ids by BM25 score (only those in ``allowed``, when given)."""
        if not self.chunk_ids:
            return []
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=self.stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        docs, scores = self.model.retrieve(tokens, k=len(self.chunk_ids), show_progress=False)
        ranked = [self.chunk_ids[int(i)] for i, s in zip(docs[0], scores[0]) if s > 0]
        if allowed is not None:
            ranked = [cid for cid in ranked if cid in allowed]
        return ranked[:k]


def load_or_build(root: Path | None, account_id: str, chunks: list[Chunk]) -> KeywordIndex:
    """The saved index of ``chunks`` under ``root``, else one built now (and saved when possible)."""
    if root is None:
        return KeywordIndex.build(chunks)
    folder = account_folder(root, account_id) / chunk_key(chunks, f"bm25 v{FORMAT} bm25s {bm25s.__version__}")
    index = KeywordIndex.load(folder)
    if index is not None and len(index.chunk_ids) == len(chunks):
        return index
    index = KeywordIndex.build(chunks)
    try:
        if not folder.exists():
            index.save(folder)
        remove_stale(folder)
    except OSError as exc:  # a read-only home still searches, just without the saved copy
        log.warning("could not save the BM25 index of %s under %s: %s", account_id, root, exc)
    return index
