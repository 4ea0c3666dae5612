"""``OnnxEncoder`` as a llama-index ``BaseEmbedding``, for code that speaks llama-index (ingest).

Kept apart from the encoder because importing ``llama_index.core`` costs over a second: a
command that only embeds a query uses the encoder directly.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from copilot.search.onnx_encoder import OnnxEncoder

__all__ = ["HANDOFF", "OnnxEmbedding"]

HANDOFF = 2048
"""Texts llama-index hands the encoder per call (its ``embed_batch_size``; 2048 is its maximum).

Large on purpose: the encoder orders a whole call by token length before cutting its own
batches, which only pays when it sees many texts at once."""


class OnnxEmbedding(BaseEmbedding):
    """A llama-index embedding backed by an :class:`OnnxEncoder` (queries and texts alike: this
    model has no query instruction)."""

    onnx_path: str
    _encoder: Any = PrivateAttr()

    def __init__(self, encoder: OnnxEncoder, *, model_name: str, handoff: int = HANDOFF) -> None:
        super().__init__(model_name=model_name, embed_batch_size=handoff, onnx_path=str(encoder.onnx_path))
        self._encoder = encoder

    @classmethod
    def class_name(cls) -> str:
        return "OnnxEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encoder.embed([query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encoder.embed([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encoder.embed(texts)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)
