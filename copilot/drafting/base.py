"""The drafting interface: a ``DraftRequest`` in, a ``Draft`` out, behind one small protocol."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from copilot.drafting.draft import Draft, DraftKind
from copilot.drafting.specs import spec_for

__all__ = ["Backend", "DraftRequest", "normalize_kind"]



def normalize_kind(kind: str) -> str:
    """``brief``/``update``/``pir``/``qbr`` or a full kind name -> the full kind name."""
    return spec_for(kind).kind


class DraftRequest(BaseModel):  # passages typed loosely: importing retrieval loads llama-index
    """Everything a backend may use. ``facts`` is the facts model dumped to JSON-mode data:
    the only facts a draft may state. ``passages`` are retrieved context, ranked best first;
    ``people`` come with them (filled only when the backend reads passages)."""

    model_config = ConfigDict(extra="forbid")

    kind: DraftKind
    account_id: str
    subject_id: str
    title: str
    facts: dict[str, Any]
    passages: list[Any] = Field(default_factory=list)  # copilot.retrieval.Passage, best first
    as_of: datetime | None = None
    people: list[str] = Field(default_factory=list)  # everyone named in the account's records: a model
    # backend sends them as placeholders (passages quote authors the facts never name)
    sections: list[str] = Field(default_factory=list)  # section names to write (a per-section redraft);
    # empty: all. A backend may write more; the caller keeps only these.


@runtime_checkable
class Backend(Protocol):
    """A drafting backend: turns facts into a ``Draft`` (sections in SECTION_NAMES order)."""

    name: str

    def draft(self, request: DraftRequest) -> Draft:
        """Draft the artifact; the caller fills citations' details, facts and guardrails."""
        ...
