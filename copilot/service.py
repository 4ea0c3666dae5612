"""The service layer: one Python API that the CLI, the console, evals and batch QBR all call."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from copilot.config import Settings
from copilot.errors import NotFound
from copilot.records.models import AccountPlan, Incident, Ticket

if TYPE_CHECKING:  # the heavy modules load on first use, not with the service
    from copilot.console.charts import ChartData
    from copilot.console.overview import AccountOverview, IndexStatus
    from copilot.console.pir_edit import TimelineRow
    from copilot.console.portfolio_home import PortfolioHome
    from copilot.console.risk_register import RegisterEntry
    from copilot.console.sla_queue import QueueEntry, SlaClock
    from copilot.drafting.answer import Answer
    from copilot.drafting.base import Backend
    from copilot.drafting.draft import Draft, GuardrailReport
    from copilot.facts.clock import Clock
    from copilot.facts.kpis import KpiReport
    from copilot.ingest.limits import IngestLimits
    from copilot.ingest.pipeline import IngestReport, Progress
    from copilot.records.models import QuarantineEntry
    from copilot.review import ReviewQueue
    from copilot.review.models import ReviewItem
    from copilot.search.index import VectorIndex
    from copilot.search.passage import Passage
    from copilot.search.retrieval import Retriever

__all__ = ["Copilot"]


class Copilot:
    """A home folder's records, index and retriever.

    Heavy parts (Chroma, the embedding model) load on first use, so listing records is fast.
    """

    def __init__(self, home: str | Path | None = None, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.load(home)
        from copilot.records.store import Store

        self.store = Store(self.settings.db_path)
        self._newest: tuple[tuple, datetime | None] | None = None

    @cached_property
    def index(self) -> VectorIndex:  # imported lazily: chromadb is slow to import
        from copilot.search.index import VectorIndex

        return VectorIndex(self.settings)

    @cached_property
    def retriever(self) -> Retriever:
        from copilot.search.retrieval import Retriever

        return Retriever(self.store, self.index, cache_root=self.settings.search_cache_path)

    # --- ingest ---------------------------------------------------------------------

    def ingest(self, paths: list[str | Path], *, prune: bool = False, confirm_prune: bool = False,
               progress: Progress | None = None, now: datetime | None = None,
               limits: IngestLimits | None = None) -> IngestReport:
        """Ingest files/folders; returns an ``IngestReport`` (see ``copilot.ingest.pipeline.ingest_paths``)."""
        from copilot.ingest.pipeline import ingest_paths

        self.index.ensure_embedding(self.store)  # another embedding model: this ingest re-embeds all
        return ingest_paths([Path(p) for p in paths], self.store, self.index, prune=prune,
                            confirm_prune=confirm_prune, progress=progress, now=now, limits=limits)

    # --- records --------------------------------------------------------------------

    def clock(self, as_of: datetime | None = None) -> Clock:
        """What "now" is: ``as_of``, else ``COPILOT_AS_OF``, else the wall clock — or, for a home whose
        newest record is days old (a snapshot such as the sample), that record's time."""
        from copilot.facts.clock import data_clock, newest_activity

        given = as_of or self.settings.as_of
        if given is not None:  # the given time wins: no need to read every record for the newest one
            return data_clock(None, datetime.now(timezone.utc), given)
        version = self.store.version()
        if self._newest is None or self._newest[0] != version:
            self._newest = (version, newest_activity(self.store.tickets(), self.store.incidents()))
        return data_clock(self._newest[1], datetime.now(timezone.utc), None)

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

    def search(self, account_id: str, query: str, k: int = 8, **filters: object) -> list[Passage]:
        self.plan(account_id)
        if filters.get("dense", True):  # before the retriever's imports: the query model loads meanwhile
            from copilot.search.embedding import warm_query_embedder

            warm_query_embedder(self.settings.embeddings, self.settings.model_cache_path)
        return self.retriever.search(account_id, query, k, **filters)

    def ask(self, account_id: str, question: str, *, backend: str | None = None) -> Answer:
        """Answer a question from one account's history (plus shared runbooks), with citations."""
        from copilot.drafting.answer import answer_question

        passages = self.search(account_id, question, k=5)
        return answer_question(passages, question, backend=backend or self.settings.backend, settings=self.settings)

    # --- console (ui/) read helpers ---------------------------------------------------

    def accounts(self) -> list[AccountPlan]:
        """Every account's plan, ordered by account id."""
        return self.store.plans()

    def account_overview(self, account_id: str, as_of: datetime | None = None) -> AccountOverview:
        """Tier, ARR, renewal (days counted from ``clock(as_of)``) and open P1/P2 counts for one account."""
        from copilot.console.overview import account_overview

        self.plan(account_id)
        return account_overview(self.store, account_id, today=self.clock(as_of).now.date())

    def index_status(self) -> IndexStatus:
        """Record and chunk counts, and when the last ingest finished."""
        from copilot.console.overview import index_status

        return index_status(self.store)

    def last_quarantine(self) -> list[QuarantineEntry]:
        """The rows the last ingest run quarantined, with what to do about each."""
        return self.store.quarantine()

    def escalation_queue(self, account_id: str, as_of: datetime | None = None) -> list[QueueEntry]:
        """The account's open tickets, ordered by severity, then SLA risk (see copilot.queue)."""
        from copilot.console.sla_queue import rank_open_tickets

        return rank_open_tickets(self.plan(account_id), self.store.tickets(account_id), self.clock(as_of).now)

    def chart_data(self, account_id: str, quarter: str, *, quarters: int = 4) -> ChartData:
        """Monthly severity mix, SLA response compliance and MTTR leading up to ``quarter``."""
        from copilot.console.charts import account_chart_data

        return account_chart_data(self.plan(account_id), self.store.tickets(account_id), quarter, quarters=quarters,
                                  incidents=self.store.incidents(account_id))

    def quarters(self, account_id: str) -> list[str]:
        """Quarters with ticket activity for the account, newest first."""
        from copilot.console.charts import available_quarters

        self.plan(account_id)
        return available_quarters(self.store.tickets(account_id))

    def source_passages(self, account_id: str, source_ids: list[str]) -> dict[str, str]:
        """The full indexed text behind each cited source id, for this account or shared docs only."""
        from copilot.records.models import SHARED_ACCOUNT

        wanted = set(source_ids)
        found: dict[str, list[str]] = {}
        for chunk in self.store.chunks(account_id):
            if chunk.source_id in wanted and chunk.account_id in (account_id, SHARED_ACCOUNT):
                found.setdefault(chunk.source_id, []).append(chunk.text)
        return {sid: "\n\n".join(texts) for sid, texts in found.items()}

    # --- portfolio (the console's home) ------------------------------------------------

    def portfolio(self, as_of: datetime | None = None) -> PortfolioHome:
        """Every account ranked by its explainable risk score, and what needs the TAM today, at ``clock(as_of)``.

        QBR and PIR items already settled by a draft in review or approved are left out.
        """
        from copilot.console.portfolio_home import portfolio_home

        return portfolio_home(self.store.plans(), self.store.tickets(), self.store.incidents(), self.clock(as_of),
                              self._written())

    def risk_register(self, account_id: str | None = None, as_of: datetime | None = None) -> list[RegisterEntry]:
        """The risk register of one account (or, without ``account_id``, of the portfolio) at ``clock(as_of)``."""
        from copilot.console.risk_register import risk_register

        plans = [self.plan(account_id)] if account_id else self.store.plans()
        return risk_register(plans, self.store.tickets(account_id), self.store.incidents(account_id),
                             self.clock(as_of).now)

    def _written(self) -> set[tuple[str, str]]:
        """``(kind, subject id)`` of the drafts in review or approved (none before the review queue's first use:
        reading the portfolio never creates the review tables or the audit key)."""
        if "review" not in self.__dict__ and not self.settings.audit_head_path.exists():
            return set()
        return {(i.kind, i.subject_id) for i in self.review.list() if i.status in ("in_review", "approved")}

    # --- KPIs (issue 17) ---------------------------------------------------------------

    def kpis(self, account_id: str | None, quarter: str | None = None, as_of: datetime | None = None) -> KpiReport:
        """The TAM's KPIs for one account (``account_id``) or every account (None) in ``quarter``
        (default: the quarter holding ``clock(as_of)``), each with the previous quarter's value and
        the trend, from the records as seen at ``clock(as_of)`` (definitions: docs/metrics.md)."""
        from copilot.facts.common import parse_quarter, quarter_of
        from copilot.facts.kpis import AccountRecords, build_kpi_report
        from copilot.review.approved import approved_subjects

        year, q = parse_quarter(quarter or quarter_of(self.clock(as_of).now))
        plans = [self.plan(account_id)] if account_id is not None else self.accounts()
        pirs = approved_subjects(self.store, "pir_timeline")
        records = [AccountRecords(plan=p, tickets=self.store.tickets(p.account.id),
                                  incidents=(incs := self.store.incidents(p.account.id)),
                                  pir_reviews={i.id: pirs[i.id] for i in incs if i.id in pirs}) for p in plans]
        clock = self.clock(as_of)
        return build_kpi_report(records, f"{year}Q{q}", clock.now, account_id, clock.note)

    # --- review (issue 4) -----------------------------------------------------------

    @cached_property
    def review(self) -> ReviewQueue:
        """The approval workflow over this home's database; every submit and edit is re-checked."""
        from copilot.review import ReviewQueue

        return ReviewQueue(self.store, self._check_for_review)

    def _check_for_review(self, draft: Draft) -> GuardrailReport:
        from copilot.guardrails.engine import check_draft

        return check_draft(self.store, draft)

    # --- console (ui/) helpers, continued -----------------------------------------------

    def incidents(self, account_id: str) -> list[Incident]:
        """The account's incidents, newest first."""
        self.plan(account_id)
        return sorted(self.store.incidents(account_id), key=lambda i: (i.started_at, i.id), reverse=True)

    def incident_clock(self, incident_id: str, as_of: datetime | None = None) -> SlaClock | None:
        """When the next customer update on an open incident is due (None once resolved)."""
        from copilot.console.sla_queue import incident_update_clock

        incident = self.incident(incident_id)
        return incident_update_clock(self.plan(incident.account_id), incident, self.clock(as_of).now)

    def pir_rows(self, incident_id: str) -> list[TimelineRow]:
        """The PIR timeline of an incident as editable table rows."""
        from copilot.console.pir_edit import rows_from_facts
        from copilot.facts.pir import build_pir_facts

        return rows_from_facts(build_pir_facts(self.store, incident_id))

    def recheck(self, draft: Draft, markdown: str | None = None) -> Draft:
        """A copy of ``draft`` with ``markdown`` (default: its own) as the text, re-checked by the guardrails."""
        from copilot.guardrails.engine import evaluate_draft
        from copilot.review.markdown import redraft

        checked = redraft(draft, draft.markdown if markdown is None else markdown)
        _, checked.guardrails, checked.scores = evaluate_draft(self.store, checked)
        return checked

    def pir_with_timeline(self, draft: Draft, rows: list[TimelineRow | dict]) -> Draft:
        """A PIR draft whose Timeline and Durations come from an edited table, re-checked."""
        from copilot.console.pir_edit import apply_timeline

        return self.recheck(draft, apply_timeline(draft.markdown, rows))

    # --- drafts ---------------------------------------------------------------------

    def draft(self, kind: str, subject_id: str, *, backend: str | Backend | None = None,
              as_of: datetime | None = None, quarter: str | None = None, base_url: str | None = None,
              guardrails: bool = True) -> Draft:
        """Draft one artifact, with citations and (when available) the guardrail report.

        Args:
            kind: ``escalation_brief`` | ``incident_update`` | ``pir_timeline`` | ``qbr_narrative``
                (or ``brief``/``update``/``pir``/``qbr``).
            subject_id: ticket id, incident id, or account id for a QBR.
            backend: a spec (``template``, ``openai:MODEL``, ``openai:MODEL@URL``) or a Backend;
                default ``settings.backend``.
            as_of: the moment the draft is written (default: ``clock()``, the wall clock or the data's
                snapshot time); tests pass it explicitly.
            quarter: ``YYYYQn``, for a QBR.
            base_url: an OpenAI-compatible server for ``openai:MODEL`` specs.
            guardrails: attach the guardrail report and scores (benchmarks turn it off).
        """
        from copilot.drafting.pipeline import make_draft

        draft = make_draft(self, kind, subject_id, backend=backend, as_of=self.clock(as_of).now, quarter=quarter,
                           base_url=base_url)
        return self.checked(draft) if guardrails else draft

    def redraft_section(self, draft: Draft, section: str, *, backend: str | Backend | None = None,
                        as_of: datetime | None = None, base_url: str | None = None) -> Draft:
        """``draft`` with one section (a name or title, e.g. ``workaround``) written again by ``backend``
        (a model or ``template``), the other sections untouched, checked again.

        ``scores["section_backends"]`` says which backend wrote each section; ``audit["section_redrafts"]``
        keeps the model's record for the redrafted section.
        """
        from copilot.drafting.pipeline import redraft_section

        return self.checked(redraft_section(self, draft, section, backend=backend, as_of=as_of, base_url=base_url))

    def redraft_review_section(self, review_id: str, section: str, reviewer: str, *,
                               backend: str | Backend | None = None, base_url: str | None = None) -> ReviewItem:
        """Write one section of a draft under review again (model or template) as a new revision;
        ``review.diff`` then shows that section as written by ``backend`` and the others unchanged."""
        from copilot.drafting.markdown import section_name

        draft = self.review.current_draft(review_id)
        new = self.redraft_section(draft, section, backend=backend, base_url=base_url)
        name = section_name(draft.kind, section) or section
        return self.review.edit(review_id, new.markdown, reviewer,
                                written_by={name: new.scores["section_backends"][name]},
                                audit={"section_redrafts": new.audit.get("section_redrafts", [])})

    def checked(self, draft: Draft) -> Draft:
        """``draft`` as the backend produced it, with the guardrail report and scores attached.

        A section a model wrote that a guardrail blocks is replaced by the template's section and the
        draft checked again (``scores["guardrail_fallback"]``); the audit record keeps the findings."""
        from copilot.guardrails.engine import evaluate_draft
        from copilot.guardrails.fallback import fall_back_blocked_sections

        _, draft.guardrails, scores = evaluate_draft(self.store, draft, edited=False)
        draft.scores = {**draft.scores, **scores}
        draft = fall_back_blocked_sections(self.store, draft)
        if draft.audit and draft.guardrails is not None:
            draft.audit["findings"] = [f.model_dump(mode="json") for f in draft.guardrails.findings]
        return draft
