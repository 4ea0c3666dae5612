"""Per-account search files under the home: one folder per account, one sub-folder per content key.

Each account's BM25 index (``keyword_index``) and its matrix of chunk vectors (``account_vectors``)
are derived from its chunks and saved as ``<root>/<account>/<key>/``, where ``key`` hashes the
account's chunk ids (themselves hashes of the text, ``copilot.search.chunking``) and whatever else
the files depend on (the embedding model). An ingest that changes the account's chunks (or the
shared runbooks) changes the key, so a stale folder is never read; an ingest of another account
leaves this one valid. A folder appears whole or not at all (written under a temporary name, then
renamed), so processes building the same account at once are safe; older keys are removed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

from copilot.records.store import Chunk

__all__ = ["account_folder", "chunk_key", "remove_stale", "write_atomically"]


def chunk_key(chunks: list[Chunk], *extra: str) -> str:
    """Names exactly this list of chunks (ids hash their text), in this order, plus ``extra``."""
    digest = hashlib.sha256("\n".join(extra).encode() + b"\n\n")
    for chunk in chunks:
        digest.update(chunk.id.encode())
        digest.update(b"\n")
    return digest.hexdigest()[:24]


def account_folder(root: Path, account_id: str) -> Path:
    """``root/<account id made safe for a file name>-<hash>`` (ids may hold any character)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", account_id)[:60]
    return root / f"{safe}-{hashlib.sha256(account_id.encode()).hexdigest()[:8]}"


def write_atomically(folder: Path, write: Callable[[Path], None]) -> None:
    """``write(tmp)`` into a new folder, then rename it to ``folder`` (another process may have been first)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".tmp-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        write(tmp)
        os.rename(tmp, folder)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not folder.is_dir():
            raise


def remove_stale(folder: Path) -> None:
    """Remove the account's other keys (``folder``'s siblings), not folders being written."""
    for entry in folder.parent.iterdir():
        if entry.name != folder.name and not entry.name.startswith(".tmp-"):
            shutil.rmtree(entry, ignore_errors=True)
