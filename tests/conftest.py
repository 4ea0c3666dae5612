"""Fixtures shared by every test folder.

``sample_copilot`` ingests ``data/sample`` once per test session into a temporary home (real
SQLite file, real Chroma folder, real MiniLM embeddings). Tests that only read may share it;
tests that write (ingest again, review) should make their own home.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
SAMPLE_TODAY = "2026-11-16T00:00:00Z"
"""The sample's notional 'now' (data/sample/README.md)."""


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    if not SAMPLE.exists():
        pytest.fail(f"{SAMPLE} is missing: run scripts/build_sample_data.py")
    return SAMPLE


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """A home with the sample ingested (once per session)."""
    from copilot.service import Copilot

    home = tmp_path_factory.mktemp("sample-home")
    report = Copilot(home).ingest([sample_dir])
    assert report.tickets >= 200, report
    return home


@pytest.fixture(scope="session")
def sample_copilot(sample_home: Path):  # noqa: ANN201 - Copilot
    """A read-only ``Copilot`` over the ingested sample (shared; don't write through it)."""
    from copilot.service import Copilot

    return Copilot(sample_home)
