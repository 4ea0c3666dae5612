"""Fixtures for batch QBR: a generated 8-account portfolio, ingested once (real SQLite, Chroma and
MiniLM embeddings), and a private copy of that home for every test that writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

PORTFOLIO_ACCOUNTS = 8
PORTFOLIO_SEED = 5  # 125 tickets: small enough to embed quickly on 2 cores
QUARTER = "2026Q3"
AS_OF = "2026-11-16T08:00:00Z"  # the generator's notional "now"


@pytest.fixture(scope="session")
def portfolio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from copilot.synth.generator import generate_portfolio

    out = tmp_path_factory.mktemp("portfolio")
    counts = generate_portfolio(out, PORTFOLIO_ACCOUNTS, PORTFOLIO_SEED)
    assert counts["accounts"] == PORTFOLIO_ACCOUNTS
    return out


@pytest.fixture(scope="session")
def ingested_home(tmp_path_factory: pytest.TempPathFactory, portfolio_dir: Path) -> Path:
    """The portfolio ingested with the real pipeline (read-only: tests copy it)."""
    from copilot.service import Copilot

    home = tmp_path_factory.mktemp("batch-home")
    copilot = Copilot(home)
    report = copilot.ingest([portfolio_dir])
    assert report.accounts == PORTFOLIO_ACCOUNTS and not report.quarantined, report
    copilot.store.close()  # checkpoints the WAL, so a file copy is a complete database
    return home


@pytest.fixture
def home(ingested_home: Path, tmp_path: Path) -> Path:
    """A private copy of the ingested home."""
    target = tmp_path / "home"
    shutil.copytree(ingested_home, target)
    return target


@pytest.fixture
def account_ids(ingested_home: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(ingested_home / "records.sqlite3") as conn:
        return [r[0] for r in conn.execute("SELECT account_id FROM plans ORDER BY account_id")]
