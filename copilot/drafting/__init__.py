"""Drafting backends: facts in, a ``Draft`` out (``template`` by default, or an LLM)."""

from copilot.drafting.base import Backend, DraftRequest, normalize_kind
from copilot.drafting.registry import (
           available_backends,
           get_backend,
           register_backend,
           unregister_backend,
)

__all__ = ["Backend", "DraftRequest", "available_backends", "get_backend", "normalize_kind", "register_backend",
           "unregister_backend"]
