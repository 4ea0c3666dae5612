"""The service layer: one Python API that the CLI, the console, evals and batch QBR all call."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from copilot.config import Settings
from copilot.errors import NotFound
from copilot.models import AccountPlan, Incident, Ticket

__all__ = ["Copilot"]


class Copilot:
    """A home folder's records, index and retriever.

    Heavy parts (Chroma, the embedding model) load on first use, so listing records is fast.
    """

    def __init__(self, home: str | Path | None = None, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.load(home)
        from copilot.store import Store

        self.store = Store(self.settings.db_path)

    @cached_property
    def index(self):  # noqa: ANN201 - VectorIndex, imported lazily (chromadb is slow to import)
        from copilot.index import VectorIndex

        return VectorIndex(self.settings)

    @cached_property
    def retriever(self):  # noqa: ANN201 - Retriever
        from copilot.retrieval import Retriever

        return Retriever(self.store, self.index)

    # --- ingest ---------------------------------------------------------------------

    def ingest(self, paths: list[str | Path], *, prune: bool = False, progress=None):  # noqa: ANN001,ANN201
        """Ingest files/folders; returns an ``IngestReport``."""
        from copilot.ingest.pipeline import ingest_paths

        return ingest_paths([Path(p) for p in paths], self.store, self.index, prune=prune, progress=progress)

    # --- records --------------------------------------------------------------------

    def plan(self, account_id: str) -> AccountPlan:
        plan = self.store.plan(account_id)
        if plan is None:
            known = ", ".join(a.id for a in self.store.accounts()) or "none yet: run ingest first"
            raise NotFound(f"no account {account_id!r} in {self.settings.home} (known: {known})")
        return plan

    def ticket(self, ticket_id: str) -> Ticket:
        ticket = self.store.ticket(ticket_id)
        if ticket is None:
            raise NotFound(f"no ticket {ticket_id!r} in {self.settings.home}; "
                           "`list tickets --account ID` shows the ids")
        return ticket

    def incident(self, incident_id: str) -> Incident:
        incident = self.store.incident(incident_id)
        if incident is None:
            raise NotFound(f"no incident {incident_id!r} in {self.settings.home}; "
                           "`list incidents` shows the ids")
        return incident

    # --- retrieval and answers ------------------------------------------------------

    def search(self, account_id: str, query: str, k: int = 8, **filters):  # noqa: ANN003,ANN201
        self.plan(account_id)
        return self.retriever.search(account_id, query, k, **filters)

    def ask(self, account_id: str, question: str, *, backend: str | None = None):  # noqa: ANN201
        """Answer a question from one account's history (plus shared runbooks), with citations."""
        from copilot.answer import answer_question

        self.plan(account_id)
        return answer_question(self, account_id, question, backend=backend or self.settings.backend)
