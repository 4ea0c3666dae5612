"""Account-scoped search latency at scale: warm p50/p95 in one process, and the first search in a new one.

Usage: python scripts/bench_search.py [--size small|large] [--sizes 20000,100000] [--workdir DIR]
       [--vectors reuse|random] [--seed 7] [--base-home HOME] [--reuse-homes]

Prints one JSON document on stdout (progress on stderr). ``--size large`` is 20k, 100k and 300k
chunks (about 1,800 generated accounts; generating and ingesting them takes minutes, and is kept
in ``--workdir`` for the next run); ``small`` (2k and 5k) is what CI runs.

How the homes are made: ``generate-portfolio`` accounts are ingested with the real pipeline up to
the embedding step (``batch_support.prepare_home``); each size keeps the first accounts (by id)
whose chunks add up to it, plus the shared runbooks. The vectors are NOT MiniLM's for every chunk:
embedding 300k chunks on 2 cores takes hours. ``reuse`` (default) embeds a few hundred real chunks
with the product's MiniLM and gives every chunk one of them plus small seeded noise (cosine ~0.9 to
its base); ``random`` gives seeded random unit vectors. HNSW and BM25 timings depend on the count
and dimension of the vectors, not on which model made them. Queries are embedded by the real model.

Figures, per size:
- ``warm_ms`` (``warm_cpu_ms``: CPU time of this process, less sensitive to other load): ``Copilot.search``
  (hybrid: BM25 + dense + fusion, k=8, query embedding included) of accounts already searched
  once in this process; ``warm_keyword_ms``: BM25 alone; ``warm_dense_ms``: the account's vector
  matrix alone (this design); ``warm_dense_filtered_collection_ms``: the previous design's dense
  side, one query of the Chroma collection of every account with a metadata filter.
- ``first_search_ms``: a new process (``python -c``), after ``from copilot.service import Copilot``
  (``import_ms``): ``Copilot(home)`` and its first search of an account, with every import the
  search itself needs (the retriever, numpy, onnxruntime): ``first_search_saved`` with the account's BM25 index and
  vectors saved by an earlier search (this design), ``first_search_previous`` as before this change
  (BM25 built in memory, filtered Chroma query). Files are in the OS page cache (this does not drop
  caches). ``process_cpu_ms``: the child's whole CPU time, imports included.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_support import prepare_home
from bench_support import emit, load, machine, note, percentiles

from copilot.records.models import SHARED_ACCOUNT as SHARED

REPO = Path(__file__).resolve().parents[1]
SIZES = {"small": [2_000, 5_000], "large": [20_000, 100_000, 300_000]}
CHUNKS_PER_ACCOUNT = 150  # a little under the generator's mean (~170), so the largest size is reached
TARGETS = {"warm_p95_ms_at_100k": 100, "first_search_ms_at_100k": 500}


def base_home(workdir: Path, chunks: int, seed: int) -> Path:
    """A generated portfolio, ingested without embeddings, big enough for ``chunks`` (kept for reruns)."""
    accounts = min(3000, max(8, -(-chunks // CHUNKS_PER_ACCOUNT)))
    base = workdir / f"base-{accounts}-{seed}"
    home = base / "home"
    if (home / "records.sqlite3").exists():
        note(f"reusing {home}")
        return home
    shutil.rmtree(base, ignore_errors=True)
    with contextlib.redirect_stdout(sys.stderr):  # stdout is the JSON document
        prepare_home(base, accounts, seed)
    return home


def trimmed_home(base: Path, dest: Path, chunks: int) -> tuple[list[str], int]:
    """Copy ``base``'s records into ``dest`` keeping the first accounts (by id) that make ``chunks``."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copy2(base / "records.sqlite3", dest / "records.sqlite3")
    with sqlite3.connect(dest / "records.sqlite3") as conn:
        total = conn.execute("SELECT COUNT(*) FROM chunks WHERE account_id=?", (SHARED,)).fetchone()[0]
        keep: list[str] = []
        for account, count in conn.execute(
                "SELECT account_id, COUNT(*) FROM chunks WHERE account_id != ? GROUP BY account_id ORDER BY account_id",
                (SHARED,)):
            if total >= chunks:
                break
            keep.append(account)
            total += count
        conn.execute("CREATE TEMP TABLE keep (id TEXT PRIMARY KEY)")
        conn.executemany("INSERT INTO keep VALUES (?)", [(a,) for a in [*keep, SHARED]])
        for table in ("plans", "tickets", "incidents", "chunks"):
            conn.execute(f"DELETE FROM {table} WHERE account_id NOT IN (SELECT id FROM keep)")
    return keep, total


def cheap_vectors(copilot, mode: str, seed: int):
    """``chunk -> unit vector`` as described in the module docstring."""
    import numpy as np

    from copilot.search.embedding import load_query_embedder

    dim = 384
    bases = None
    if mode == "reuse":
        embed = load_query_embedder(copilot.settings.embeddings, copilot.settings.model_cache_path)
        sample = random.Random(seed).sample(copilot.store.chunks(), 256)
        bases = np.array([embed(c.text) for c in sample], dtype=np.float32)
        dim = bases.shape[1]

    def vector(chunk) -> list[float]:
        rng = np.random.default_rng(int(hashlib.sha256(chunk.id.encode()).hexdigest()[:12], 16))
        if bases is None:
            v = rng.normal(size=dim)
        else:
            v = bases[rng.integers(len(bases))] + rng.normal(0, 0.025, dim)
        return (v / np.linalg.norm(v)).tolist()

    return vector


def fill_index(home: Path, mode: str, seed: int) -> float:
    """Upsert every chunk of ``home`` with a cheap vector; returns the seconds it took."""
    from copilot.service import Copilot

    copilot = Copilot(home)
    vector = cheap_vectors(copilot, mode, seed)
    chunks = copilot.store.chunks()
    started = time.perf_counter()
    for start in range(0, len(chunks), 2048):
        part = chunks[start:start + 2048]
        copilot.index.add_vectors(part, [vector(c) for c in part])
        note(f"  indexed {start + len(part)}/{len(chunks)}")
    seconds = time.perf_counter() - started
    copilot.store.mark_indexed([c.id for c in chunks])
    copilot.store.close()
    return seconds


def queries_for(copilot, account: str, n: int) -> list[str]:
    subjects = [t.subject for t in copilot.store.tickets(account)][:n]
    generic = ["webhook retries failing after certificate rotation", "rate quotes timing out", "renewal risks",
               "label printing errors", "what happened in the last incident", "API latency in eu-west-1"]
    return (subjects + generic)[:n]


def warm(home: Path, accounts: list[str], per_account: int) -> dict:
    from copilot.service import Copilot

    copilot = Copilot(home)
    hybrid, hybrid_cpu, dense, filtered, keyword = [], [], [], [], []
    for account in accounts:
        copilot.search(account, "first search of the account", k=8)  # loads its BM25 index
        for query in queries_for(copilot, account, per_account):
            started, cpu = time.perf_counter(), time.process_time()
            copilot.search(account, query, k=8)
            hybrid.append((time.perf_counter() - started) * 1000)
            hybrid_cpu.append((time.process_time() - cpu) * 1000)
            vector = copilot.index.embed_query(query)
            chunks, _ = copilot.retriever._bm25_for(account)
            started = time.perf_counter()
            copilot.retriever._vectors_for(account, chunks).query(vector, 32)
            dense.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            copilot.index.query_vector(vector, account, k=32)
            filtered.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            copilot.search(account, query, k=8, dense=False)
            keyword.append((time.perf_counter() - started) * 1000)
    copilot.store.close()
    return {"warm_ms": percentiles(hybrid), "warm_cpu_ms": percentiles(hybrid_cpu), "warm_dense_ms": percentiles(dense),
            "warm_dense_filtered_collection_ms": percentiles(filtered),
            "warm_keyword_ms": percentiles(keyword)}


CHILD = """
import json, resource, sys, time
started = time.perf_counter()
from copilot.service import Copilot
imported = time.perf_counter()
home, account, query, mode = sys.argv[1:5]
copilot = Copilot(home)


class Filtered:  # the previous design's dense side: one query of the whole collection, filtered
    def __init__(self, index, account):
        self.index, self.account = index, account

    def query(self, vector, k, allowed=None):
        return [(c, s) for c, s in self.index.query_vector(vector, self.account, k) if allowed is None or c in allowed]


if mode == "previous":  # BM25 built in memory, dense = filtered Chroma query
    from copilot.search.retrieval import Retriever

    copilot.retriever = Retriever(copilot.store, copilot.index)
    copilot.retriever._vectors_for = lambda account_id, chunks: Filtered(copilot.index, account_id)
passages = copilot.search(account, query, k=8)
done = time.perf_counter()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"import_ms": (imported - started) * 1000, "first_search_ms": (done - imported) * 1000,
                  "process_cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000, "passages": len(passages)}))
"""


def first_search(home: Path, accounts: list[str], mode: str) -> dict:
    """One new process per account: its imports, then ``Copilot(home)`` and one search."""
    from copilot.service import Copilot

    copilot = Copilot(home)
    queries = {a: queries_for(copilot, a, 1)[0] for a in accounts}
    copilot.store.close()
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    imports, firsts, cpu = [], [], []
    for account in accounts:
        out = subprocess.run([sys.executable, "-c", CHILD, str(home), account, queries[account], mode],
                             capture_output=True, text=True, env=env, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        imports.append(result["import_ms"])
        firsts.append(result["first_search_ms"])
        cpu.append(result["process_cpu_ms"])
    return {"import_ms": percentiles(imports), "first_search_ms": percentiles(firsts),
            "process_cpu_ms": percentiles(cpu)}


def save_search_files(home: Path, accounts: list[str]) -> None:
    """What any earlier search of these accounts leaves behind: BM25 index and vectors under ``<home>/search``."""
    from copilot.service import Copilot

    copilot = Copilot(home)
    for account in accounts:
        copilot.search(account, "save the index")
    copilot.store.close()


def measure(base: Path, workdir: Path, size: int, args: argparse.Namespace) -> dict:
    home = workdir / f"home-{size}"
    filled = home / "bench-filled.json"  # written once the index is full: --reuse-homes skips the rebuild
    if args.reuse_homes and filled.exists():
        keep, total, index_seconds = json.loads(filled.read_text())
        note(f"{size}: reusing {home} ({len(keep)} accounts, {total} chunks)")
    else:
        keep, total = trimmed_home(base, home, size)
        note(f"{size}: {len(keep)} accounts, {total} chunks; indexing ({args.vectors} vectors), load {load()}")
        index_seconds = fill_index(home, args.vectors, args.seed)
        filled.write_text(json.dumps([keep, total, index_seconds]))
    picked = random.Random(args.seed).sample(keep, min(len(keep), 2 * args.accounts))
    warm_accounts, cold_accounts = picked[:args.accounts], picked[args.accounts:] or picked
    note(f"{size}: warm searches, load {load()}")
    result = {"chunks": total, "accounts": len(keep), "index_seconds": round(index_seconds, 1),
              **warm(home, warm_accounts, args.queries)}
    note(f"{size}: first search in new processes, load {load()}")
    result["first_search_previous"] = first_search(home, cold_accounts, "previous")
    save_search_files(home, cold_accounts)
    result["first_search_saved"] = first_search(home, cold_accounts, "saved")
    result["load"] = load()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--sizes", default=None, help="comma-separated chunk counts (overrides --size)")
    parser.add_argument("--vectors", choices=["reuse", "random"], default="reuse")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--accounts", type=int, default=8, help="accounts searched warm (and as many cold)")
    parser.add_argument("--queries", type=int, default=6, help="warm queries per account")
    parser.add_argument("--workdir", type=Path, default=None, help="kept between runs (the generated base home)")
    parser.add_argument("--reuse-homes", action="store_true",
                        help="keep the indexed homes of an earlier run in --workdir (measure again without re-indexing)")
    parser.add_argument("--base-home", type=Path, default=None,
                        help="an ingested home to take the accounts from, instead of generating one")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else SIZES[args.size]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-search-"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    document = {"benchmark": "search", "machine": machine(), "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
                "vectors": f"{args.vectors}: not MiniLM vectors of each chunk (see the script's docstring); "
                           "queries are embedded by the real model",
                "targets": TARGETS, "sizes": []}
    base = args.base_home or base_home(workdir, max(sizes), args.seed)
    for size in sizes:
        document["sizes"].append(measure(base, workdir, size, args))
    emit(document)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
