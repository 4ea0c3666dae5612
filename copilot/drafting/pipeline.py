"""From a subject to a checked Draft: facts -> retrieval -> backend -> citations -> guardrails.

``Copilot.draft`` calls :func:`make_draft`; nothing here is specific to one surface.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from copilot.draft import Citation, Draft
from copilot.drafting.base import Backend, DraftRequest, normalize_kind
from copilot.drafting.registry import get_backend
from copilot.drafting.sections import cited_ids
from copilot.errors import InvalidInput
from copilot.models import SHARED_ACCOUNT

if TYPE_CHECKING:
    from pydantic import BaseModel

    from copilot.service import Copilot

__all__ = ["build_facts", "build_request", "citations_for", "make_draft", "run_guardrails"]

PASSAGES_K = 8


def build_facts(copilot: Copilot, kind: str, subject_id: str, *, as_of: datetime | None = None,
                quarter: str | None = None) -> tuple[BaseModel, str, str, str, str]:
    """``(facts, account_id, subject_id, title, retrieval query)`` for one artifact."""
    if kind == "escalation_brief":
        from copilot.facts.brief import build_brief_facts, runbook_query

        facts = build_brief_facts(copilot, subject_id, as_of)
        ticket = copilot.ticket(subject_id)
        return facts, ticket.account_id, subject_id, f"Escalation brief: {ticket.id} {ticket.subject}", \
            runbook_query(ticket)
    if kind == "incident_update":
        from copilot.facts.update import build_update_facts

        facts = build_update_facts(copilot, subject_id, as_of)
        return facts, facts.account_id, subject_id, f"Incident update: {facts.title}", \
            f"{subject_id} {facts.title} status update workaround"
    if kind == "pir_timeline":
        from copilot.facts.pir import build_pir_facts

        facts = build_pir_facts(copilot, subject_id, as_of)
        return facts, facts.account_id, subject_id, f"Post-incident review: {facts.title} ({subject_id})", \
            f"{subject_id} {facts.title} root cause timeline"
    if not quarter:
        raise InvalidInput("a QBR needs --quarter, e.g. --quarter 2026Q3")
    from copilot.facts.qbr import build_qbr_facts

    facts = build_qbr_facts(copilot, subject_id, quarter, as_of)
    return facts, subject_id, f"{subject_id}:{facts.quarter}", \
        f"Quarterly business review: {facts.account_name}, {facts.quarter}", \
        f"{facts.account_name} {facts.quarter} outcomes value issues risks"


def citations_for(copilot: Copilot, source_ids: list[str]) -> list[Citation]:
    """A ``Citation`` per cited id, with its account (None when shared), kind and a snippet.

    An id the store does not know is still listed (kind ``unknown``) so the citation check
    can report it.
    """
    if not source_ids:
        return []
    marks = ",".join("?" * len(source_ids))
    rows = copilot.store.execute(
        f"SELECT source_id, record_id, kind, account_id, text FROM chunks "
        f"WHERE source_id IN ({marks}) OR record_id IN ({marks}) ORDER BY id", tuple(source_ids) * 2)
    found: dict[str, Any] = {}
    for row in rows:
        for key in (row["source_id"], row["record_id"]):
            if key in source_ids and (key not in found or row["source_id"] == key):
                found[key] = row
    out = []
    for sid in source_ids:
        row = found.get(sid)
        if row is None:
            out.append(Citation(source_id=sid, account_id=None, kind="unknown", snippet=""))
            continue
        account = None if row["account_id"] == SHARED_ACCOUNT else row["account_id"]
        out.append(Citation(source_id=sid, account_id=account, kind=row["kind"], snippet=row["text"][:240]))
    return out


def run_guardrails(copilot: Copilot, draft: Draft) -> Draft:
    """Attach the guardrail report and scores (``copilot.guardrails.engine``), when present.

    Until the guardrails package exists the draft goes out unchecked (``guardrails`` None);
    until its scorers exist, checked but unscored.
    """
    try:
        from copilot.guardrails.engine import evaluate_draft, run_checks
    except ModuleNotFoundError as exc:
        if exc.name not in ("copilot.guardrails", "copilot.guardrails.engine"):
            raise
        return draft
    try:
        _, report, scores = evaluate_draft(copilot, draft, edited=False)
    except ModuleNotFoundError as exc:
        if exc.name != "copilot.guardrails.scorers":
            raise
        report, scores = run_checks(copilot, draft), {}
    draft.guardrails = report
    draft.scores = {**draft.scores, **(scores or {})}
    return draft


def build_request(copilot: Copilot, kind: str, subject_id: str, engine: Backend, *, as_of: datetime | None = None,
                  quarter: str | None = None) -> DraftRequest:
    """The facts, plus retrieved passages when ``engine`` reads them: what a backend drafts from."""
    kind = normalize_kind(kind)
    facts, account_id, subject, title, query = build_facts(copilot, kind, subject_id, as_of=as_of, quarter=quarter)
    request = DraftRequest(kind=kind, account_id=account_id, subject_id=subject, title=title,
                           facts=facts.model_dump(mode="json"), as_of=getattr(facts, "as_of", None))
    if getattr(engine, "uses_passages", True):  # LLMs write prose from passages; the template does not read them
        from copilot.guardrails.context import account_data

        request.passages = copilot.search(account_id, query, k=PASSAGES_K)
        request.people = sorted(account_data(copilot.store, account_id).people)
    return request


def make_draft(copilot: Copilot, kind: str, subject_id: str, *, backend: str | Backend | None = None,
               as_of: datetime | None = None, quarter: str | None = None, base_url: str | None = None,
               guardrails: bool = True) -> Draft:
    """Build the facts, retrieve context, draft with the backend, cite, and check."""
    engine = backend if isinstance(backend, Backend) else get_backend(backend, copilot.settings, base_url=base_url)
    request = build_request(copilot, kind, subject_id, engine, as_of=as_of, quarter=quarter)
    draft = engine.draft(request)
    # a backend cannot move a draft to another kind, account or subject
    draft.kind, draft.account_id, draft.subject_id = request.kind, request.account_id, request.subject_id
    draft.title = draft.title or request.title
    draft.facts = request.facts
    draft.citations = citations_for(copilot, cited_ids(draft.markdown))
    draft.finalize()
    return run_guardrails(copilot, draft) if guardrails else draft
