"""The sample data ingested once and cached: what every test that needs an ingested home copies.

Ingesting ``data/sample`` embeds about 1,500 passages (a minute or more on two cores), so the home
is built once per content of the sample and of the code that ingests it, kept under the system
temp folder, and copied (a file copy, not a re-embed) by the fixtures in ``tests/conftest.py``.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"

__all__ = ["SAMPLE", "ingested_sample"]


def _digest() -> str:
    """Changes when the sample data or the code that turns it into a home changes."""
    h = hashlib.sha256()
    h.update(str(REPO).encode())  # stored source paths are absolute: a home belongs to its checkout
    code = [p for layer in ("ingest", "records", "search") for p in sorted((REPO / "copilot" / layer).rglob("*.py"))]
    for path in sorted(p for p in SAMPLE.rglob("*") if p.is_file()) + code + [REPO / "copilot" / "config.py"]:
        h.update(str(path.relative_to(REPO)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _build(cache: Path) -> None:
    """Ingest the sample into ``cache`` (built aside, then renamed: a half-built cache is never seen)."""
    from copilot.service import Copilot

    building = Path(tempfile.mkdtemp(prefix=cache.name + ".building-", dir=cache.parent))
    try:
        copilot = Copilot(building)
        report = copilot.ingest([SAMPLE])
        copilot.store.close()  # checkpoints the WAL, so a file copy is a complete database
        assert report.tickets >= 200 and not report.quarantined, report
        try:
            building.rename(cache)
        except OSError:  # another test session built it first
            shutil.rmtree(building, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def ingested_sample() -> Path:
    """The sample ingested once per content of the data and the ingest code (real SQLite, Chroma and
    MiniLM embeddings), cached under the system temp folder. Never write to it: copy it."""
    if not SAMPLE.is_dir():
        pytest.fail(f"{SAMPLE} is missing: run scripts/build_sample_data.py")
    cache = Path(tempfile.gettempdir()) / f"tam-copilot-sample-home-{_digest()}"
    if not cache.is_dir():
        _build(cache)
    return cache
