"""The keyword side of retrieval: one BM25 index per account (its chunks plus shared ones), on disk.

Building BM25 means tokenizing and stemming every chunk of the account; a new process (every
CLI call, every batch worker) used to pay that on its first search of each account. The index
is saved under ``<root>/<account>/<key>/`` (``copilot.search.account_cache``: the key changes
with the account's chunks) and memory-mapped back. A home that cannot be written keeps working:
the index is then built in memory only.

bm25s builds the index; reading and querying it needs numpy and PyStemmer only. bm25s scores
a document as the sum, over the query's terms (repeats counted again, terms outside the
vocabulary skipped), of the term's precomputed BM25 weight in that document: one column of a
sparse term-by-document matrix, saved as its CSC arrays (``data``, ``indices``, ``indptr``) with
the vocabulary (stem -> column) and the tokenizer's settings (``copilot.search.bm25_tokenizer``).
``KeywordIndex.ranking`` repeats bm25s's own numpy steps (``np.add.at`` per term in query order,
then its top-k selection over every document), so scores and the order of equal scores are
bm25s's (``tests/search/test_keyword_ranking.py`` compares them). Importing bm25s pulls in
scipy.sparse: about 0.37 s of a command's start that a saved index no longer costs.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np

from copilot.records.store import Chunk
from copilot.search.account_cache import account_folder, chunk_key, remove_stale, write_atomically
from copilot.search.bm25_tokenizer import Bm25Tokenizer

__all__ = ["FORMAT", "KeywordIndex", "load_or_build"]

log = logging.getLogger(__name__)

FORMAT = 2
"""Bump when the files or how they are read change: folders of another format are then ignored
(their key differs), rebuilt and removed. 1: bm25s's own ``save``, read back by bm25s."""

IDS_FILE = "chunk_ids.json"
VOCAB_FILE = "vocab.json"
ARRAYS = ("data", "indices", "indptr")


class KeywordIndex:
    """A BM25 index over a fixed list of chunk ids (one account plus shared documents).

    Args:
        chunk_ids: the documents, in column order of ``indices``.
        vocab: stem -> term number (row of ``indptr``).
        arrays: the CSC arrays of BM25 weights, ``data``, ``indices`` and ``indptr``.
        tokenizer: how the documents were tokenized; queries are tokenized the same way.
    """

    def __init__(self, chunk_ids: list[str], vocab: dict[str, int], arrays: dict[str, np.ndarray],
                 tokenizer: Bm25Tokenizer) -> None:
        self.chunk_ids = chunk_ids
        self.vocab = vocab
        self.arrays = arrays
        self.tokenizer = tokenizer

    @classmethod
    def build(cls, chunks: list[Chunk]) -> KeywordIndex:
        """Tokenize and weigh ``chunks`` with bm25s (the only place that imports it)."""
        import bm25s
        import Stemmer

        tokenizer = Bm25Tokenizer.of_bm25s()
        if not chunks:
            return cls([], {}, _empty_arrays(), tokenizer)
        tokens = bm25s.tokenize([c.text for c in chunks], token_pattern=tokenizer.pattern,
                                stopwords=tokenizer.stopwords, stemmer=Stemmer.Stemmer(tokenizer.stemmer), show_progress=False)
        model = bm25s.BM25()
        model.index(tokens, create_empty_token=False, show_progress=False)
        arrays = {name: np.asarray(model.scores[name]) for name in ARRAYS}
        return cls([c.id for c in chunks], dict(model.vocab_dict), arrays, tokenizer)

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex | None:
        """The index saved in ``folder``, or None when there is none (or it cannot be read)."""
        if not (folder / IDS_FILE).exists():
            return None
        try:
            ids = json.loads((folder / IDS_FILE).read_text(encoding="utf-8"))
            vocab = json.loads((folder / VOCAB_FILE).read_text(encoding="utf-8"))
            arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in ARRAYS}
            index = cls(ids, vocab, arrays, Bm25Tokenizer.read(folder))
            index.check()
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("BM25 index in %s unreadable (%s): building it again", folder, exc)
            return None
        return index

    def check(self) -> None:
        """Raise ``ValueError`` when the arrays, vocabulary and ids do not fit together."""
        data, indices, indptr = (self.arrays[name] for name in ARRAYS)
        terms = max(self.vocab.values(), default=-1) + 1
        if indptr.ndim != 1 or len(indptr) != terms + 1 or (terms and int(indptr[-1]) != len(data)):
            raise ValueError(f"indptr holds {len(indptr)} offsets for {terms} terms and {len(data)} weights")
        if len(indices) != len(data):
            raise ValueError(f"{len(indices)} document numbers for {len(data)} weights")

    def save(self, folder: Path) -> None:
        """Write to ``folder`` atomically: a reader sees all of it or none of it."""

        def write(tmp: Path) -> None:
            for name in ARRAYS:
                np.save(tmp / f"{name}.npy", self.arrays[name])
            (tmp / VOCAB_FILE).write_text(json.dumps(self.vocab, ensure_ascii=False), encoding="utf-8")
            self.tokenizer.write(tmp)
            (tmp / IDS_FILE).write_text(json.dumps(self.chunk_ids), encoding="utf-8")

        write_atomically(folder, write)

    def ranking(self, query: str) -> list[tuple[int, float]]:
        """``[(document number, score)]`` of the documents scoring above 0, best first, as
        ``bm25s.BM25.retrieve(bm25s.tokenize([query], ...), k=<all documents>)`` orders them."""
        terms = [self.vocab[t] for t in self.tokenizer.terms(query) if t in self.vocab]
        if not terms or not self.chunk_ids:
            return []
        data, indices, indptr = (self.arrays[name] for name in ARRAYS)
        scores = np.zeros(len(self.chunk_ids), dtype=data.dtype)
        for term in terms:  # one np.add.at per term, in query order: bm25s's float sums, bit for bit
            start, end = indptr[term], indptr[term + 1]
            np.add.at(scores, indices[start:end], data[start:end])
        # bm25s's top-k (selection._topk_numpy with k = every document): the same calls, so equal
        # scores come out in the same order
        count = len(scores)
        picked = np.argpartition(scores, -count).take(indices=range(-count, 0))
        picked_scores = np.take(scores, picked)
        order = np.flip(np.argsort(picked_scores))
        docs, ranked = picked[order], picked_scores[order]
        positive = ranked > 0
        return list(zip(docs[positive].tolist(), ranked[positive].tolist(), strict=True))

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[str]:
        """Up to ``k`` chunk ids by BM25 score (only those in ``allowed``, when given)."""
        ranked = [self.chunk_ids[doc] for doc, _ in self.ranking(query)]
        if allowed is not None:
            ranked = [cid for cid in ranked if cid in allowed]
        return ranked[:k]


def _empty_arrays() -> dict[str, np.ndarray]:
    return {"data": np.zeros(0, dtype=np.float32), "indices": np.zeros(0, dtype=np.int32),
            "indptr": np.zeros(1, dtype=np.int64)}


def stemmer_version() -> str:
    """PyStemmer's version: queries are stemmed by the one installed now, so it names the index."""
    import Stemmer

    return f"pystemmer {Stemmer.version()}"


def load_or_build(root: Path | None, account_id: str, chunks: list[Chunk]) -> KeywordIndex:
    """The saved index of ``chunks`` under ``root``, else one built now (and saved when possible)."""
    if root is None:
        return KeywordIndex.build(chunks)
    folder = account_folder(root, account_id) / chunk_key(chunks, f"bm25 v{FORMAT} {stemmer_version()}")
    index = KeywordIndex.load(folder)
    if index is not None and len(index.chunk_ids) == len(chunks):
        return index
    index = KeywordIndex.build(chunks)
    try:
        if folder.exists():  # unreadable or not these chunks: replace it
            shutil.rmtree(folder)
        index.save(folder)
        remove_stale(folder)
    except OSError as exc:  # a read-only home still searches, just without the saved copy
        log.warning("could not save the BM25 index of %s under %s: %s", account_id, root, exc)
    return index
