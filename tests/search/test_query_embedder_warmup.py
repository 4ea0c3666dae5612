"""The query model starts loading on a thread when a search begins: still built once per process.

Each test runs in a new process (``python -c``), the only place where no encoder is loaded yet;
the model cache is a copy of the user's (export, fused and pre-optimised copies), so nothing is
exported or optimised here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from copilot.config import Settings
from copilot.search.embedding import packaged_minilm
from copilot.search.onnx_export import ensure_onnx

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """A private model cache linking to the user cache's files (the export is made there first)."""
    export = ensure_onnx(packaged_minilm(), Settings().model_cache_path)
    cache = tmp_path / "cache"
    shutil.copytree(export.parent, cache / export.parent.name, ignore=shutil.ignore_patterns(".*"), copy_function=os.symlink)
    shutil.copytree(export.parent.parent / "digests", cache / "digests")
    return cache


def _run(code: str, cache: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code, str(cache)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.split()


def test_threads_asking_while_it_warms_share_one_encoder(cache: Path) -> None:
    """A batch's threads ask for the query model while a search's warm-up builds it: built once
    (counted by wrapping the real build)."""
    code = (
        "import sys, threading\nfrom pathlib import Path\n"
        "import copilot.search.embedding as embedding\n"
        "builds = []\nreal = embedding.preoptimized_encoder\n"
        "embedding.preoptimized_encoder = lambda *a, **k: builds.append(1) or real(*a, **k)\n"
        "cache = Path(sys.argv[1])\n"
        "embedding.warm_query_embedder('local', cache)\n"
        "vectors = []\n"
        "def ask():\n    vectors.append(embedding.load_query_embedder('local', cache)('label printing fails'))\n"
        "threads = [threading.Thread(target=ask) for _ in range(6)]\n"
        "[t.start() for t in threads]\n[t.join() for t in threads]\n"
        "embedding.warm_query_embedder('local', cache)  # loaded already: no second thread\n"
        "print(len(builds), len(vectors), len({tuple(v) for v in vectors}), threading.active_count())\n"
    )
    assert _run(code, cache) == ["1", "6", "1", "1"]


def test_a_fork_during_the_warm_up_gets_a_usable_model(cache: Path) -> None:
    """Batch workers are forked: a fork while the model builds on a thread must not leave the
    child waiting forever on the build's lock (it was: the timeout below caught it)."""
    code = (
        "import os, sys\nfrom pathlib import Path\n"
        "import copilot.search.embedding as embedding\n"
        "cache = Path(sys.argv[1])\n"
        "embedding.warm_query_embedder('local', cache)\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    vector = embedding.load_query_embedder('local', cache)('label printing fails')\n"
        "    os._exit(0 if len(vector) == 384 else 3)\n"
        "print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))\n"
    )
    assert _run(code, cache) == ["0"]
