"""The embedding graph optimised once and saved: later sessions open it as it is, with the same vectors.

Each test copies the cached plain export into ``tmp_path`` (the export itself needs torch: minutes)
and builds real onnxruntime sessions from it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import copilot.search.onnx_preoptimized as preoptimized
from copilot.config import Settings
from copilot.search.embedding import packaged_minilm
from copilot.search.onnx_encoder import OnnxEncoder
from copilot.search.onnx_export import ensure_onnx
from copilot.search.onnx_preoptimized import preoptimized_encoder, preoptimized_folder

REPO = Path(__file__).resolve().parents[2]
TEXTS = ["label requests time out after 30 seconds", "Zürich depot: Etiketten-Drucker meldet Fehler E-3002",
         "東京倉庫でラベル印刷がタイムアウト", "", "timeout " * 300, "webhook HMAC check fails since the rotation"]


@pytest.fixture
def graph(tmp_path: Path) -> Path:
    """A private copy of the plain export (as the cache keeps it: ``<folder>/model.onnx``)."""
    source = ensure_onnx(packaged_minilm(), Settings().model_cache_path)
    target = tmp_path / "export" / "model.onnx"
    target.parent.mkdir()
    shutil.copyfile(source, target)
    return target


def _vectors(encoder: OnnxEncoder) -> np.ndarray:
    return np.array(encoder.embed(TEXTS))


def _plain(graph: Path) -> OnnxEncoder:
    model = packaged_minilm()
    return OnnxEncoder(graph, model.tokenizer_path, max_length=model.max_length)


def test_saved_once_then_opened_as_saved_with_the_same_vectors(graph: Path) -> None:
    model = packaged_minilm()
    first = preoptimized_encoder(model, graph)
    assert first.onnx_path == graph  # this process optimised at start, as before
    folder = preoptimized_folder(graph)
    assert sorted(p.name for p in folder.iterdir()) == ["model.onnx", "model.onnx.data"]
    assert not [p for p in graph.parent.iterdir() if p.name.startswith(".")]  # no temporary left

    second = preoptimized_encoder(model, graph)
    assert second.onnx_path == folder / "model.onnx"
    assert (folder / "model.onnx").stat().st_size < 1_000_000  # the weights are in the mapped file
    cosine = (_vectors(second) * _vectors(_plain(graph))).sum(axis=1)
    assert cosine.min() >= 1 - 1e-6


def test_a_copy_that_disagrees_is_rejected_and_not_tried_again(graph: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No real graph here disagrees with its optimised copy, so the agreement is set to fail."""
    monkeypatch.setattr(preoptimized, "min_cosine", lambda a, b: 0.9)
    model = packaged_minilm()
    assert preoptimized_encoder(model, graph).onnx_path == graph
    folder = preoptimized_folder(graph)
    assert not folder.exists() and folder.with_name(folder.name + ".rejected").exists()
    monkeypatch.setattr(preoptimized, "min_cosine", lambda a, b: pytest.fail("checked again"))
    assert preoptimized_encoder(model, graph).onnx_path == graph


@pytest.mark.slow  # four sessions and two agreement checks: ~5 s idle
def test_a_damaged_copy_is_replaced(graph: Path) -> None:
    model = packaged_minilm()
    preoptimized_encoder(model, graph)
    weights = preoptimized_folder(graph) / "model.onnx.data"
    weights.write_bytes(weights.read_bytes()[:1000])
    encoder = preoptimized_encoder(model, graph)
    assert encoder.onnx_path == graph
    assert (_vectors(encoder) * _vectors(_plain(graph))).sum(axis=1).min() >= 1 - 1e-6
    assert weights.stat().st_size > 1_000_000  # saved again
    assert preoptimized_encoder(model, graph).onnx_path == preoptimized_folder(graph) / "model.onnx"


def test_a_read_only_cache_keeps_the_old_path(graph: Path) -> None:
    """In a child process that file modes bind (as root: CAP_DAC_OVERRIDE dropped by ``setpriv``)."""
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from copilot.search.embedding import packaged_minilm\n"
        "from copilot.search.onnx_preoptimized import preoptimized_encoder\n"
        "encoder = preoptimized_encoder(packaged_minilm(), Path(sys.argv[1]))\n"
        "print(encoder.onnx_path, len(encoder.embed(['label printing fails'])[0]))\n"
    )
    command = [sys.executable, "-c", code, str(graph)]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot make a folder read-only for the child")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    graph.parent.chmod(0o555)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"})
    finally:
        graph.parent.chmod(0o755)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == [str(graph), "384"]
    assert "could not save a pre-optimised embedding graph" in done.stderr
    assert sorted(p.name for p in graph.parent.iterdir()) == ["model.onnx"]
