"""The first search of an account in a new process: what it loads, and that a read-only home still serves it.

Each test runs the search in a real child process (``python -c``), because what matters is what a
fresh interpreter imports and can write: a test in this process would see modules and caches that
other tests loaded already.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from copilot.service import Copilot

REPO = Path(__file__).resolve().parents[2]
QUERY = "label printing errors after the carrier gateway update"
HEAVY = ("bm25s", "scipy", "torch", "transformers", "llama_index", "chromadb")

CHILD = """
import json, sys
from copilot.service import Copilot
passages = Copilot(sys.argv[1]).search(sys.argv[2], sys.argv[3], k=8)
print(json.dumps({"ids": [p.chunk_id for p in passages],
                  "dense": sum(p.dense_rank is not None for p in passages),
                  "loaded": sorted(m for m in sys.argv[4].split(",") if m in sys.modules)}))
"""


def _search_in_child(home: Path, account: str, *, read_only: bool = False) -> dict:
    """One search in a new interpreter; ``read_only``: it may not write where file modes forbid it.

    As root (this CI), file modes bind only a process without CAP_DAC_OVERRIDE: the child then
    runs under ``setpriv`` with that capability dropped, so the read-only folder is really read-only.
    """
    command = [sys.executable, "-c", CHILD, str(home), account, QUERY, ",".join(HEAVY)]
    if read_only and os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot make a folder read-only for the child")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _account(home: Path) -> str:
    return next(a.id for a in Copilot(home).store.accounts() if "meridian" in a.id)


def _read_only(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_saved_index_is_searched_without_bm25s_scipy_or_torch(home_copy: Path) -> None:
    account = _account(home_copy)
    expected = [p.chunk_id for p in Copilot(home_copy).search(account, QUERY, k=8)]  # saves the account's files
    got = _search_in_child(home_copy, account)
    assert got["ids"] == expected and got["dense"] > 0
    assert got["loaded"] == [], f"a search of a saved index imported {got['loaded']}"


def test_read_only_search_folder_still_searches(home_copy: Path) -> None:
    account = _account(home_copy)
    expected = [p.chunk_id for p in Copilot(home_copy).search(account, QUERY, k=8)]
    search = home_copy / "search"
    _read_only(search)
    try:
        assert _search_in_child(home_copy, account, read_only=True)["ids"] == expected  # saved files, read only

        _writable(search)
        shutil.rmtree(search / "bm25")  # nothing saved, and nowhere to save it: built in memory
        _read_only(search)
        assert _search_in_child(home_copy, account, read_only=True)["ids"] == expected
        assert not (search / "bm25").exists()
    finally:
        _writable(search)
