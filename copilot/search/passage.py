"""What retrieval returns (a ``Passage``) and what a draft or answer cites (a ``Citation``).

Kept apart from ``retrieval`` so that reading these types never imports Chroma or BM25.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict

__all__ = ["Citation", "Passage", "Search"]

class Passage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chunk_id: str
    source_id: str
    record_id: str
    account_id: str | None  # None for shared documents
    kind: str
    text: str
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None
    dense_score: float | None = None  # cosine similarity of the query and this chunk (None: not in the dense results)


class Citation(BaseModel):
    """A source a draft used: a record id or chunk id, with the account it belongs to."""

    model_config = ConfigDict(extra="forbid")

    source_id: str
    account_id: str | None = None  # None for shared documents (runbooks)
    kind: str = ""  # ticket, comment, incident, event, runbook, plan
    snippet: str = ""


class Search(Protocol):
    """``search(account_id, query, k, **filters)``: one account's passages plus shared runbooks, best first."""

    def __call__(self, account_id: str, query: str, k: int = 8, **filters: object) -> list[Passage]: ...
