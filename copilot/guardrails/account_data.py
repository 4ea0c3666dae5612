"""One account's records and the lookups derived from them, independent of any draft.

Built once per account and store version (see ``context_cache``), so checking one draft costs
milliseconds: the texts of the account's sources, the people in them, the other accounts'
identifiers, the injected instructions in its customer text, and the grounding universe of each
record and each source (built on first use and kept here, not in module globals).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from copilot.facts.people import people_of
from copilot.guardrails.injections import Injection, find_injections
from copilot.guardrails.others import PortfolioIdentifiers
from copilot.guardrails.recognizers.record_id import normalize_id
from copilot.guardrails.universe import AtomMemo, Universe
from copilot.records.models import AccountPlan, Incident, Runbook, Ticket
from copilot.search.chunking import chunks_for_incident, chunks_for_plan, chunks_for_runbook, chunks_for_ticket

__all__ = ["PLAN_SECTION_FIELDS", "AccountData", "record_times"]

T = TypeVar("T")
_MEMO_SIZE = 1024


PLAN_SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "contract": ("account", "contract", "objectives", "sla", "severity_policy"),
    "value": ("value_realization",),
    "risks": ("risks",),
    "success-plan": ("success_plan", "roadmap"),
    "stakeholders": ("stakeholders",),
}
"""Plan chunk (``plan:<account>#<section>``) -> the plan fields that section is written from."""


class AccountData:
    """One account's records and derived lookups; independent of any draft (cached)."""

    def __init__(
        self,
        plan: AccountPlan,
        tickets: list[Ticket],
        incidents: list[Incident],
        runbooks: list[Runbook],
        portfolio: PortfolioIdentifiers,
    ) -> None:
        """``portfolio`` holds every account's identifiers (this one's included)."""
        self.plan = plan
        self.account_id = plan.account.id
        self.tickets = {t.id: t for t in tickets}
        self.incidents = {i.id: i for i in incidents}
        self.runbooks = {r.id: r for r in runbooks}
        self.codenames = tuple(c for c in plan.internal_codenames if c.strip())

        # sources: every chunk of this account and of the shared runbooks
        self.source_record: dict[str, str] = {}
        self.source_texts: dict[str, str] = {}
        self.source_times: dict[str, datetime] = {}
        chunk_sets = (
            [chunks_for_plan(plan)]
            + [chunks_for_ticket(t) for t in tickets]
            + [chunks_for_incident(i) for i in incidents]
        )
        for chunks in chunk_sets:
            for chunk in chunks:
                self.source_record[chunk.source_id] = chunk.record_id
                self.source_texts[chunk.source_id] = chunk.text
        self.shared_sources: set[str] = set()
        for runbook in runbooks:
            for chunk in chunks_for_runbook(runbook):
                self.source_record[chunk.source_id] = chunk.record_id
                self.source_texts[chunk.source_id] = chunk.text
                self.shared_sources.add(chunk.source_id)
            self.source_record.setdefault(runbook.id, runbook.id)
            self.shared_sources.add(runbook.id)
        for t in tickets:
            self.source_times[t.id] = t.created_at
            for c in t.comments:
                self.source_times[c.id] = c.created_at
                self.source_record.setdefault(c.id, t.id)
        for i in incidents:
            self.source_times[i.id] = i.started_at
            self.source_record.setdefault(i.id, i.id)
            for e in i.events:
                self.source_record.setdefault(e.id, i.id)
                if e.source_id:
                    self.source_record.setdefault(e.source_id, i.id)
                if not e.time_resolved:
                    continue  # ``at`` only keeps an unresolved entry's place: not a time the source gives
                self.source_times[e.id] = e.at
                if e.source_id:
                    self.source_times.setdefault(e.source_id, e.at)
        self.source_record.setdefault(f"plan:{self.account_id}", f"plan:{self.account_id}")
        self.own_ids = {normalize_id(s) for s in self.source_record} | {
            normalize_id(r) for r in self.source_record.values()
        }
        self.record_ids = set(self.tickets) | set(self.incidents) | set(self.runbooks) | {f"plan:{self.account_id}"}

        # people
        self.people, self.customer_people = people_of(plan, tickets, incidents)
        self.short_ids = frozenset(
            [v.id for v in plan.value_realization]
            + [r.id for r in plan.risks]
            + [s.id for s in plan.success_plan]
            + [a.id for i in incidents for a in i.corrective_actions]
        )

        # other accounts
        self.portfolio = portfolio
        self.other_accounts = portfolio.others_for(self.account_id)
        self.people_matcher = portfolio.people_matcher

        # injected instructions in this account's customer text
        self.injections: list[Injection] = []
        for source_id, text in self.source_texts.items():
            if source_id in self.shared_sources:
                continue
            self.injections += find_injections(text, source_id)
        self.injected_sources = {inj.source_id for inj in self.injections}
        self.atom_memo = AtomMemo()  # the atoms of this account's record and fact texts
        self.memo: dict[tuple, Any] = {}  # per-draft-kind values derived from these records (bounded)
        self._universes: dict[str, Universe] = {}
        self._source_universes: dict[str, Universe] = {}
        self.events = {e.id: e for i in incidents for e in i.events}
        self.comments = {c.id: c for t in tickets for c in t.comments}
        self._lock = threading.Lock()

    # --- lookups ---------------------------------------------------------------------

    def remember(self, key: tuple, build: Callable[[], T]) -> T:
        """``build()`` memoised on this account data under ``key`` (the last 1,024 kept)."""
        hit = self.memo.get(key)
        if hit is None:
            hit = build()
            with self._lock:
                self.memo[key] = hit
                while len(self.memo) > _MEMO_SIZE:
                    self.memo.pop(next(iter(self.memo)))
        return hit

    def record_of(self, source_id: str) -> str | None:
        """The record a source id belongs to (``ZD-4123-c9001`` -> ``ZD-4123``)."""
        if source_id in self.source_record:
            return self.source_record[source_id]
        base = source_id.split("#", 1)[0].split("@", 1)[0]
        if base in self.source_record:
            return self.source_record[base]
        up = normalize_id(base)
        for rid in self.record_ids:
            if normalize_id(rid) == up:
                return rid
        return None

    def foreign_owner(self, record_id: str) -> str | None:
        """The other account a record or passage id (any case) belongs to, if any."""
        return self.portfolio.foreign_owner(self.account_id, record_id)

    def record(self, record_id: str) -> Any:
        if record_id in self.tickets:
            return self.tickets[record_id]
        if record_id in self.incidents:
            return self.incidents[record_id]
        if record_id in self.runbooks:
            return self.runbooks[record_id]
        if record_id == f"plan:{self.account_id}":
            return self.plan
        return None

    def record_universe(self, record_id: str) -> Universe:
        """The atoms of one record (every field, every comment/event), cached."""
        cached = self._universes.get(record_id)
        if cached is not None:
            return cached
        universe = Universe(self.atom_memo)
        record = self.record(record_id)
        if record is not None:
            universe.add_value(record.model_dump())
            universe.add_id(record_id)
            for sid, rid in self.source_record.items():
                if rid == record_id:
                    universe.add_id(sid)
                    if sid in self.source_texts:
                        universe.add_text(self.source_texts[sid])
                        self._add_short_ids(universe, self.source_texts[sid])
            times = record_times(record)
            universe.add_pairwise_durations(times)
        with self._lock:
            self._universes[record_id] = universe
        return universe

    def _add_short_ids(self, universe: Universe, text: str) -> None:
        """Plan item ids (``S1``, ``R2``) are only ids when known: add those a text mentions."""
        for short in self.short_ids:
            if short in text and re.search(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text):
                universe.add_id(short)

    def source_universe(self, source_id: str) -> Universe | None:
        """The atoms one cited source stands for (cached): its passage text, plus the record's own
        fields when it names a whole record (a ticket without its comments, an incident without
        its events). None for a source this account does not have."""
        cached = self._source_universes.get(source_id)
        if cached is not None:
            return cached
        universe = Universe(self.atom_memo)
        candidates = [source_id, source_id.split("@", 1)[0]]
        candidates.append(candidates[-1].split("#", 1)[0])
        found = False
        for n, sid in enumerate(dict.fromkeys(candidates)):
            if found and not (n and sid.startswith("plan:")):
                break  # a plan section also stands for the plan's fields; other passages only for themselves
            if sid in self.source_texts:
                universe.add_text(self.source_texts[sid])
                self._add_short_ids(universe, self.source_texts[sid])
                universe.add_id(sid)
                found = True
            record = self.record(sid)
            if record is not None and n and isinstance(record, AccountPlan) and "#" in source_id:
                # a plan section stands for the plan fields it is written from, not the whole plan
                fields = PLAN_SECTION_FIELDS.get(source_id.split("#", 1)[1].split("@", 1)[0])
                if fields:
                    universe.add_value(record.model_dump(include=set(fields)))
                    found = True
                    continue
            if record is not None:
                universe.add_value(record.model_dump(exclude={"comments", "events"} & set(type(record).model_fields)))
                universe.add_pairwise_durations(record_times(record))
                for event in getattr(record, "events", []):
                    if event.kind in ("status", "milestone"):  # the incident record's own status history
                        if event.time_resolved:
                            universe.add_datetime(event.at)
                        universe.add_text(event.text)
                universe.add_id(sid)
                for sub, rid in self.source_record.items():
                    if rid == sid:
                        universe.add_id(sub)
                found = True
            event = self.events.get(sid)
            if event is not None:
                if event.time_resolved:
                    universe.add_datetime(event.at)
                universe.add_text(event.text)
                parent = self.incidents.get(event.incident_id)
                if event.kind in ("status", "milestone") and parent is not None and parent.id != sid:
                    # a milestone/status event is part of the incident record itself
                    parent_universe = self.source_universe(parent.id)
                    if parent_universe is not None:
                        universe = Universe.union([universe, parent_universe])
                found = True
            comment = self.comments.get(sid)
            if comment is not None:
                universe.add_datetime(comment.created_at)
                found = True
        if not found:
            return None
        with self._lock:
            self._source_universes[source_id] = universe
        return universe


def record_times(record: Any) -> list[datetime]:
    if isinstance(record, Ticket):
        return [t for t in (record.created_at, record.first_response_at, record.resolved_at, record.updated_at) if t]
    if isinstance(record, Incident):
        return [
            t
            for t in (
                record.started_at,
                record.detected_at,
                record.engaged_at,
                record.mitigated_at,
                record.resolved_at,
                record.last_customer_update_at,
            )
            if t
        ]
    return []
