"""The index records which model made its vectors; another model means a re-embed, not a mix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from copilot.config import Settings
from copilot.errors import InvalidInput
from copilot.search.embedding import MINILM, embedding_identity, packaged_minilm
from copilot.search.onnx_export import SourceModel, source_digest
from copilot.service import Copilot

REPO = Path(__file__).resolve().parents[2]
RUNBOOKS = ["api-gateway-5xx.md", "auth-token-errors.md"]


@pytest.fixture
def small_home(tmp_path: Path) -> tuple[Copilot, Path]:
    """Two sample runbooks (a dozen chunks) ingested into a fresh home."""
    source = tmp_path / "runbooks"
    source.mkdir()
    for name in RUNBOOKS:
        shutil.copy(REPO / "data" / "sample" / "runbooks" / name, source / name)
    copilot = Copilot(tmp_path / "home")
    report = copilot.ingest([source])
    assert report.chunks_embedded > 5
    return copilot, source


def _relabel(copilot: Copilot, metadata: dict[str, str]) -> Copilot:
    """Rewrite the collection's recorded metadata as another writer would have left it, then
    reopen the home the way a new process does."""
    copilot.index._collection.modify(metadata=metadata)
    return Copilot(copilot.settings.home)


def test_ingest_records_the_model_id_and_the_weights_sha256(small_home: tuple[Copilot, Path]) -> None:
    copilot, _ = small_home
    recorded = Copilot(copilot.settings.home).index.recorded_identity
    assert recorded is not None and recorded.model == MINILM
    assert recorded.digest == embedding_identity("local", copilot.settings.model_cache_path).digest
    assert len(recorded.digest) == 64


def test_the_digest_follows_the_weights_content(tmp_path: Path) -> None:
    original = packaged_minilm()
    copy = tmp_path / "model"
    shutil.copytree(original.path, copy)
    cache = tmp_path / "cache"
    same = source_digest(SourceModel.read(copy, name=original.name), cache)
    assert same == source_digest(original, cache)  # content, not the folder it sits in
    with (copy / "model.safetensors").open("r+b") as fh:  # one byte of the weights
        fh.seek(-1, 2)
        last = fh.read(1)
        fh.seek(-1, 2)
        fh.write(bytes([last[0] ^ 1]))
    assert source_digest(SourceModel.read(copy, name=original.name), cache) != same


def test_a_changed_model_id_re_embeds_every_chunk_on_the_next_ingest(small_home: tuple[Copilot, Path]) -> None:
    copilot, source = small_home
    total = copilot.store.counts()["chunks"]
    assert copilot.ingest([source]).chunks_embedded == 0  # unchanged: nothing to do

    stale = _relabel(copilot, {"embedding_model": "some/other-model", "embedding_digest": "0" * 64})
    with pytest.raises(InvalidInput, match="some/other-model.*copilot ingest"):
        stale.index.query("gateway 504 errors", "acme")  # vectors of another model must not be compared

    report = stale.ingest([source])
    assert report.chunks_embedded == total
    fresh = Copilot(copilot.settings.home)
    assert fresh.index.recorded_identity == fresh.index.identity
    assert fresh.index.count() == total
    assert fresh.index.query("gateway 504 errors", "acme", k=3)


def test_a_changed_weights_digest_re_embeds_too(small_home: tuple[Copilot, Path]) -> None:
    copilot, source = small_home
    stale = _relabel(copilot, {"embedding_model": MINILM, "embedding_digest": "f" * 64})
    assert stale.ingest([source]).chunks_embedded == copilot.store.counts()["chunks"]


def test_an_index_from_before_identities_is_kept_and_labelled(small_home: tuple[Copilot, Path]) -> None:
    """Older homes were embedded by the same MiniLM through torch: same vectors, no re-embed."""
    copilot, source = small_home
    legacy = _relabel(copilot, {"built_by": "an older tam-copilot"})
    assert legacy.index.query("gateway 504 errors", "acme", k=3)
    assert legacy.ingest([source]).chunks_embedded == 0
    assert Copilot(copilot.settings.home).index._collection.metadata["embedding_model"] == MINILM


def test_an_older_index_counts_as_minilm_for_another_model(small_home: tuple[Copilot, Path]) -> None:
    """Unlabelled vectors are MiniLM's: an OpenAI query must not be compared with them."""
    copilot, _ = small_home
    _relabel(copilot, {"built_by": "an older tam-copilot"})
    other = Copilot(settings=Settings.load(copilot.settings.home, embeddings="openai:text-embedding-3-small"))
    with pytest.raises(InvalidInput, match="all-MiniLM-L6-v2.*openai:text-embedding-3-small"):
        other.index.query("gateway 504 errors", "acme")


def test_model_cache_setting_and_its_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPILOT_MODEL_CACHE", str(tmp_path / "models"))
    assert Settings().model_cache_path == tmp_path / "models"
    monkeypatch.delenv("COPILOT_MODEL_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert Settings().model_cache_path == tmp_path / "xdg" / "tam-copilot"


def test_an_unknown_embeddings_spec_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'locale'.*local:torch"):
        embedding_identity("locale", tmp_path)
