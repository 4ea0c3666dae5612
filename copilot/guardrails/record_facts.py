"""The facts a draft is checked against, recomputed from the records: never the draft's own.

A draft carries the facts it was built from, but a draft is a submission: anyone can edit its
JSON. Grounding therefore rebuilds the facts for the draft's kind and subject from the records
(``ArtifactSpec.build``, the same builder that drafting uses), as of the draft's reference time.
The facts in a draft are display data only.

The one value taken from the submission is the reference time (``as_of``, else the draft's
``created_at``): it decides time-dependent facts such as the next-update time. Moving it moves
those, never a record's own values.

A brief's runbooks are chosen from retrieved passages; here every runbook in the records is a
candidate (no vector index needed), and every runbook id is groundable anyway (shared documents).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from copilot.drafting.draft import Draft
from copilot.drafting.specs import spec_for
from copilot.errors import CopilotError
from copilot.records.models import AccountPlan, Incident, Runbook, Ticket
from copilot.records.source import RecordSource
from copilot.search.chunking import chunks_for_runbook
from copilot.search.passage import Passage, Search

__all__ = ["RecordSet", "RecomputedFacts", "recompute_facts", "reference_time", "runbook_search"]


class RecordSet:
    """An in-memory ``RecordSource`` over records handed in (tests, tools)."""

    def __init__(
        self,
        plans: list[AccountPlan],
        tickets: list[Ticket] = (),
        incidents: list[Incident] = (),
        runbooks: list[Runbook] = (),
    ) -> None:
        self._plans = {p.account.id: p for p in plans}
        self._tickets = {t.id: t for t in tickets}
        self._incidents = {i.id: i for i in incidents}
        self._runbooks = list(runbooks)

    def plans(self) -> list[AccountPlan]:
        return list(self._plans.values())

    def plan(self, account_id: str) -> AccountPlan | None:
        return self._plans.get(account_id)

    def tickets(self, account_id: str | None = None) -> list[Ticket]:
        return [t for t in self._tickets.values() if account_id is None or t.account_id == account_id]

    def ticket(self, ticket_id: str) -> Ticket | None:
        return self._tickets.get(ticket_id)

    def incidents(self, account_id: str | None = None) -> list[Incident]:
        return [i for i in self._incidents.values() if account_id is None or i.account_id == account_id]

    def incident(self, incident_id: str) -> Incident | None:
        return self._incidents.get(incident_id)

    def runbooks(self) -> list[Runbook]:
        return list(self._runbooks)

    def version(self) -> tuple:
        return ("records", id(self))


def runbook_search(source: RecordSource) -> Search:
    """A ``Search`` that returns every runbook passage in the records (no index): enough for the
    brief's fact builder, which ranks runbooks by error code and component itself."""

    def search(account_id: str, query: str, k: int = 8, **filters: object) -> list[Passage]:
        out: list[Passage] = []
        for runbook in source.runbooks():
            for chunk in chunks_for_runbook(runbook):
                out.append(
                    Passage(
                        chunk_id=chunk.id, source_id=chunk.source_id, record_id=runbook.id,
                        account_id=None, kind="runbook", text=chunk.text, score=0.0,
                    )
                )
        return out

    return search


def reference_time(draft: Draft) -> datetime | None:
    """The instant the draft says it speaks as of: its facts' ``as_of`` (or ``generated_at``)."""
    from copilot.guardrails.atoms import parse_datetime_value

    for key in ("as_of", "generated_at"):
        value = draft.facts.get(key) if isinstance(draft.facts, dict) else None
        if isinstance(value, dict):
            value = value.get("value")
        dt = parse_datetime_value(value)
        if dt is not None:
            return dt
    return None


def _latest_record_time(source: RecordSource, subject_id: str) -> datetime | None:
    """The last instant the subject's own records hold (a hand-written draft states no ``as_of``)."""
    ticket = source.ticket(subject_id)
    if ticket is not None:
        times = [ticket.created_at, ticket.updated_at, ticket.resolved_at, *(c.created_at for c in ticket.comments)]
        return max(t for t in times if t is not None)
    incident = source.incident(subject_id)
    if incident is not None:
        times = [incident.started_at, incident.resolved_at, incident.last_customer_update_at,
                 *(e.at for e in incident.events)]
        return max(t for t in times if t is not None)
    return None


class RecomputedFacts:
    """The facts for a draft's kind and subject, or why they could not be built."""

    def __init__(self, facts: dict[str, Any], error: str = "") -> None:
        self.facts = facts
        self.error = error


def recompute_facts(source: RecordSource, draft: Draft) -> RecomputedFacts:
    """Build the facts of ``draft.kind`` for ``draft.subject_id`` from ``source``'s records."""
    spec = spec_for(draft.kind)
    quarter = draft.subject_id.rsplit(":", 1)[1] if spec.short == "qbr" and ":" in draft.subject_id else None
    subject_id = draft.subject_id.rsplit(":", 1)[0] if quarter else draft.subject_id
    as_of = reference_time(draft) or _latest_record_time(source, subject_id) or _aware(draft.created_at)
    try:
        subject = spec.build(source, runbook_search(source), subject_id, as_of, quarter)
    except (CopilotError, ValueError, KeyError) as exc:
        return RecomputedFacts({}, f"{type(exc).__name__}: {exc}")
    if subject.account_id != draft.account_id:
        return RecomputedFacts({}, f"{draft.subject_id} belongs to account {subject.account_id}, "
                                   f"not {draft.account_id}")
    return RecomputedFacts(subject.facts.model_dump(mode="json"))


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
