"""The dense side of retrieval for one account: its chunk vectors as one matrix, searched exactly.

Chroma stays the store of every vector, but an account-scoped query on one collection holding
every account pays for its metadata filter in proportion to the whole collection (about 2 us of
CPU per chunk held: 35-42 ms at 20k chunks against 2 ms unfiltered; ``scripts/bench_search.py``),
and the first query of a process loads the collection's whole HNSW index. An account holds a
few hundred to a few thousand chunks: a matrix product over them is exact and takes well under
a millisecond. So the first search of an account reads its vectors from Chroma once and saves
them as ``<root>/<account>/<key>/vectors.npy`` (``copilot.search.account_cache``; the key also
names the embedding model), and later searches, in any process, memory-map that file without
opening Chroma at all. The matrix is saved only when every chunk of the account has a vector
(an ingest interrupted before embedding leaves some pending): otherwise it is kept in memory.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from copilot.records.store import Chunk
from copilot.search.account_cache import account_folder, chunk_key, remove_stale, write_atomically

__all__ = ["AccountVectors", "load_or_fetch"]

log = logging.getLogger(__name__)

IDS_FILE = "chunk_ids.json"
MATRIX_FILE = "vectors.npy"


class AccountVectors:
    """Unit vectors of an account's chunks (rows in ``chunk_ids`` order)."""

    def __init__(self, chunk_ids: list[str], matrix: np.ndarray) -> None:
        self.chunk_ids = chunk_ids
        self.matrix = matrix

    @classmethod
    def load(cls, folder: Path) -> AccountVectors | None:
        try:
            ids = json.loads((folder / IDS_FILE).read_text(encoding="utf-8"))
            matrix = np.load(folder / MATRIX_FILE, mmap_mode="r")
        except (OSError, ValueError):
            return None
        return cls(ids, matrix) if matrix.shape[0] == len(ids) else None

    def save(self, folder: Path) -> None:
        def write(tmp: Path) -> None:
            np.save(tmp / MATRIX_FILE, np.asarray(self.matrix, dtype=np.float32))
            (tmp / IDS_FILE).write_text(json.dumps(self.chunk_ids), encoding="utf-8")

        write_atomically(folder, write)

    def query(self, vector: list[float], k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """``[(chunk id, similarity)]``, best first, scored as the Chroma query was (``exp(-cosine distance)``)."""
        if not self.chunk_ids:
            return []
        query = np.asarray(vector, dtype=np.float32)
        cosine = self.matrix @ (query / (np.linalg.norm(query) or 1.0))
        order = np.argsort(-cosine, kind="stable")
        out = []
        for row in order:
            cid = self.chunk_ids[int(row)]
            if allowed is None or cid in allowed:
                out.append((cid, math.exp(-(1.0 - float(cosine[row])))))
                if len(out) == k:
                    break
        return out


def load_or_fetch(root: Path | None, account_id: str, chunks: list[Chunk], model: str,
                  fetch: Callable[[list[str]], dict[str, list[float]]]) -> AccountVectors:
    """The saved matrix of ``chunks`` (made by ``model``), else one read now with ``fetch`` (ids -> vectors).

    Chunks without a vector yet (pending embedding) are left out, and such a matrix is not saved.
    """
    folder = account_folder(root, account_id) / chunk_key(chunks, f"vectors {model}") if root else None
    if folder is not None:
        saved = AccountVectors.load(folder)
        if saved is not None:
            return saved
    found = fetch([c.id for c in chunks])
    ids = [c.id for c in chunks if c.id in found]
    matrix = np.array([found[cid] for cid in ids], dtype=np.float32).reshape(len(ids), -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    vectors = AccountVectors(ids, matrix / np.where(norms == 0, 1.0, norms))
    if folder is not None and len(ids) == len(chunks):
        try:
            if not folder.exists():
                vectors.save(folder)
            remove_stale(folder)
        except OSError as exc:
            log.warning("could not save the vectors of %s under %s: %s", account_id, root, exc)
    return vectors
