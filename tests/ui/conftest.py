"""Fixtures for the console tests: a home with ``data/sample`` ingested (real ingest, real index).

Ingesting the sample embeds every passage (about a minute on two cores), so the ingested home is
built once per content of the sample data and the ingest code, cached under the system temp
folder, and copied into each test session's own temp folder (tests never write to the cache).
Set ``UI_TEST_DATA`` to ingest another folder instead of ``data/sample``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sample_home import ingested_sample

REPO = Path(__file__).resolve().parents[2]
SAMPLE = Path(os.environ.get("UI_TEST_DATA") or REPO / "data" / "sample")
APP = REPO / "ui" / "app.py"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The console tests' own copy of the ingested sample (they submit and approve reviews)."""
    if os.environ.get("UI_TEST_DATA"):
        from copilot.service import Copilot

        home = tmp_path_factory.mktemp("ui") / "home"
        report = Copilot(home).ingest([SAMPLE])
        assert report.accounts > 0, f"ingesting {SAMPLE} produced no accounts: {report.quarantined[:3]}"
        return home
    home = tmp_path_factory.mktemp("ui") / "home"
    shutil.copytree(ingested_sample(), home)
    return home


@pytest.fixture
def home_env(sample_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """COPILOT_HOME points at the sample home for the app under test."""
    monkeypatch.setenv("COPILOT_HOME", str(sample_home))
    monkeypatch.setenv("COPILOT_BACKEND", "template")
    return sample_home


@pytest.fixture(scope="session")
def copilot(sample_home: Path):
    """The service layer over the same home (to pick subjects and to check what the UI did)."""
    from copilot.service import Copilot

    return Copilot(sample_home)


@pytest.fixture(scope="session")
def p1_ticket(copilot) -> tuple[str, str]:
    """``(account_id, ticket_id)`` of an open P1 ticket: the first one in the first account that has one."""
    for plan in copilot.accounts():
        queue = copilot.escalation_queue(plan.account.id)
        p1 = [e for e in queue if e.priority == "P1"]
        if p1:
            return plan.account.id, p1[0].id
    pytest.fail("the sample data has no open P1 ticket; the escalation tests need one")
