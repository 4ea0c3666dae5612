"""The packaged MiniLM on onnxruntime: same vectors as sentence-transformers, no torch at query time.

The ONNX file is exported once into the user's model cache (``Settings().model_cache_path``), as
the product does; tests that need a fresh cache make one in ``tmp_path`` and are marked slow.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from copilot.config import Settings
from copilot.search.embedding import load_query_embedder, packaged_minilm
from copilot.search.onnx_encoder import OnnxEncoder
from copilot.search.onnx_export import ensure_onnx
from copilot.search.onnx_fusion import fused_onnx, fusion_available

REPO = Path(__file__).resolve().parents[2]
REFERENCE = Path(__file__).with_name("minilm_reference.json")
"""sentence-transformers' vectors for a few passages (``python tests/search/test_onnx_embedding.py``
rewrites it; the slow test below checks it still matches the live torch model)."""

HEAVY = ("torch", "transformers", "sentence_transformers", "llama_index.core")


def varied_passages() -> list[str]:
    """About 50 passages: the sample's runbook paragraphs, texts past the 256-token limit,
    non-ASCII scripts, code, and degenerate input."""
    paragraphs: list[str] = []
    for path in sorted((REPO / "data" / "sample" / "runbooks").glob("*.md"))[:6]:
        paragraphs += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()][:5]
    long_text = " ".join(paragraphs)
    crafted = [
        long_text,  # thousands of tokens: truncated at 256
        long_text[len(long_text) // 2:],
        "timeout " * 300,
        "Zürich depot: Etiketten-Drucker meldet Fehler E-3002 seit Montag, Rückfragen an Jürgen.",
        "東京倉庫でラベル印刷が30秒後にタイムアウトします。",
        "Ошибка 504 при создании этикетки для Northline Parcel.",
        "خطأ في إنشاء الملصق بعد ثلاثين ثانية",
        "café naïve résumé — e\u0301 vs é, ﬁ ligature, ＦＵＬＬＷＩＤＴＨ",
        "🚚📦 shipment stuck 🔥🔥 please escalate ✅",
        "Ελληνικά: σφάλμα πύλης 502",
        "def retry(req_id: str) -> None:\n    gwlog req $REQ_ID | grep -E 'E-10(03|07)'",
        "https://status.example.com/incidents/INC-2026-0917?utm=x&y=%20z",
        "a",
        "",
        "   \n\t  ",
        "P1 P1 P1 !!! ??? ... ---",
    ]
    return paragraphs[:34] + crafted


@pytest.fixture(scope="module")
def encoder() -> OnnxEncoder:
    """The fp32 encoder from the user cache (exported there on first use)."""
    source = packaged_minilm()
    onnx_file = ensure_onnx(source, Settings().model_cache_path)
    return OnnxEncoder(onnx_file, source.tokenizer_path, max_length=source.max_length)


def _min_cosine(a: np.ndarray, b: np.ndarray) -> float:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return float((a * b).sum(axis=1).min())


def test_onnx_vectors_match_the_stored_sentence_transformers_vectors(encoder: OnnxEncoder) -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    vectors = np.array(encoder.embed(reference["texts"]))
    assert vectors.shape == (len(reference["texts"]), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)  # normalised
    assert _min_cosine(vectors, np.array(reference["vectors"])) >= 1 - 1e-5


def test_batching_and_padding_do_not_change_a_vector(encoder: OnnxEncoder) -> None:
    texts = varied_passages()[::2]  # short and long ones: padded batches of mixed lengths
    together = np.array(encoder.embed(texts))
    alone = np.array([encoder.embed([t])[0] for t in texts[::4]])
    assert _min_cosine(together[::4], alone) >= 1 - 1e-6


def test_length_bucketing_keeps_every_vector_and_the_order(encoder: OnnxEncoder) -> None:
    """Batches ordered by token count give the vectors of batches in the given order, each back
    in its own place: empty, one-letter, whitespace-only and past-the-limit texts included."""
    import random

    texts = varied_passages()
    random.Random(7).shuffle(texts)  # long and short interleaved, as files deliver them
    assert {"", "a", "timeout " * 300} <= set(texts)
    plain = OnnxEncoder(encoder.onnx_path, packaged_minilm().tokenizer_path, max_length=encoder.max_length,
                        batch_size=5, bucketed=False)
    bucketed = OnnxEncoder(encoder.onnx_path, packaged_minilm().tokenizer_path, max_length=encoder.max_length,
                           batch_size=5)
    got, expected = np.array(bucketed.embed(texts)), np.array(plain.embed(texts))
    assert got.shape == (len(texts), 384)
    assert _min_cosine(got, expected) >= 1 - 1e-5
    for i in (texts.index(""), texts.index("timeout " * 300)):  # each in its own place
        assert _min_cosine(got[i:i + 1], np.array(encoder.embed([texts[i]]))) >= 1 - 1e-6


def test_no_texts_no_vectors(encoder: OnnxEncoder) -> None:
    assert encoder.embed([]) == []


def test_without_the_onnx_package_the_plain_export_runs(tmp_path: Path, encoder: OnnxEncoder,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Fusion is optional: with ``onnx`` absent (``find_spec`` says so) nothing is written."""
    import copilot.search.onnx_fusion as fusion

    plain = tmp_path / "model.onnx"
    plain.write_bytes(encoder.onnx_path.read_bytes())
    monkeypatch.setattr(fusion.importlib.util, "find_spec", lambda name: None)
    assert fusion.fused_onnx(packaged_minilm(), plain) == plain
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.onnx"]


@pytest.mark.slow
@pytest.mark.skipif(not fusion_available(), reason="the optional `onnx` package is not installed")
def test_the_fused_graph_gives_the_plain_export_vectors(tmp_path: Path, encoder: OnnxEncoder) -> None:
    """Attention/LayerNorm/GELU fused offline: same vectors on varied passages, cached beside the export."""
    plain = tmp_path / "model.onnx"
    plain.write_bytes(encoder.onnx_path.read_bytes())
    fused = fused_onnx(packaged_minilm(), plain)
    assert fused == tmp_path / "model.fused.onnx"
    assert fused_onnx(packaged_minilm(), plain) == fused  # built once
    texts = varied_passages()
    got = OnnxEncoder(fused, packaged_minilm().tokenizer_path, max_length=encoder.max_length).embed(texts)
    assert _min_cosine(np.array(got), np.array(encoder.embed(texts))) >= 1 - 1e-5


def test_a_query_runs_without_torch_transformers_or_llama_index(sample_home: Path,
                                                               encoder: OnnxEncoder) -> None:
    """A fresh process (ONNX file cached) answers a search without importing the heavy stacks."""
    code = (
        "import sys\n"
        "from copilot.service import Copilot\n"
        f"hits = Copilot({str(sample_home)!r}).search('harbor-line', 'why did label requests time out?', k=5)\n"
        "assert hits, 'no passages'\n"
        f"loaded = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "print(hits[0].source_id)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "COPILOT_MODEL_CACHE": str(Settings().model_cache_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()


def test_query_embedder_is_the_encoder(encoder: OnnxEncoder) -> None:
    embed = load_query_embedder("local", Settings().model_cache_path)
    query = "webhook HMAC check fails since we rotated the signing secret"
    assert _min_cosine(np.array([embed(query)]), np.array(encoder.embed([query]))) >= 1 - 1e-6


@pytest.mark.slow
def test_onnx_vectors_equal_sentence_transformers_on_varied_passages(encoder: OnnxEncoder) -> None:
    """Live comparison with torch (imports sentence-transformers: slow). Within 1e-5 cosine, so
    an index embedded with torch stays valid for ONNX queries and the other way round."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(packaged_minilm().path), device="cpu")
    texts = varied_passages()
    assert len(texts) >= 45
    expected = model.encode(texts, normalize_embeddings=True, batch_size=16)
    got = np.array(encoder.embed(texts))
    assert _min_cosine(got, expected) >= 1 - 1e-5
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    stored = model.encode(reference["texts"], normalize_embeddings=True)
    assert _min_cosine(np.array(reference["vectors"]), stored) >= 1 - 1e-6  # the stored file is current


def test_the_query_encoder_embeds_as_ingest_does() -> None:
    """Queries get their own session without weight prepacking (faster to start): an index built by
    ingest's session must still be searched with the same vectors."""
    from copilot.search.embedding import load_embedding

    cache = Settings().model_cache_path
    texts = ["label printing fails", "Zürich depot: Etiketten-Drucker meldet Fehler E-3002 seit Montag. " * 6, "a"]
    queries = np.array([load_query_embedder("local", cache)(t) for t in texts])
    ingest = np.array(load_embedding("local", cache).get_text_embedding_batch(texts))
    assert _min_cosine(queries, ingest) >= 1 - 1e-6


@pytest.mark.slow
def test_two_processes_exporting_at_once_both_get_a_whole_file(tmp_path: Path, encoder: OnnxEncoder) -> None:
    """First use in an empty cache: each process exports, renames atomically, and both load it."""
    code = (
        "import sys\n"
        "from copilot.search.embedding import load_query_embedder\n"
        "from pathlib import Path\n"
        "vec = load_query_embedder('local', Path(sys.argv[1]))('label printing fails')\n"
        "print(len(vec))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "cache")], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, stderr
        assert stdout.strip() == "384"
    files = sorted(p.name for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert not [f for f in files if f.endswith(".tmp")]
    (export,) = (tmp_path / "cache").glob("*/model.onnx")  # beside it: the fused and pre-optimised copies
    fresh = OnnxEncoder(export, packaged_minilm().tokenizer_path, max_length=packaged_minilm().max_length)
    texts = varied_passages()[:8]
    assert _min_cosine(np.array(fresh.embed(texts)), np.array(encoder.embed(texts))) >= 1 - 1e-6


def _write_reference() -> None:
    """Store sentence-transformers' vectors for a handful of passages (run by hand, needs torch)."""
    from sentence_transformers import SentenceTransformer

    passages = varied_passages()
    texts = [passages[0], passages[5], passages[-16], passages[-13], passages[-12], passages[-11],
             passages[-8], passages[-3]]
    model = SentenceTransformer(str(packaged_minilm().path), device="cpu")
    vectors = model.encode(texts, normalize_embeddings=True)
    REFERENCE.write_text(json.dumps({"model": "sentence-transformers/all-MiniLM-L6-v2 via sentence-transformers",
                                     "texts": texts, "vectors": [[round(float(x), 7) for x in v] for v in vectors]},
                                    ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    _write_reference()
