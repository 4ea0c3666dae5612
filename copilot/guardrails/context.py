"""What the checks read: one draft plus its account's records, loaded once and cached.

``AccountData`` holds everything about an account that does not depend on the draft (its
records, the texts of its sources, the people in them, the other accounts' identifiers (from a
``PortfolioIdentifiers`` shared by every account), the injected instructions in its customer text). It is
built once per account and store version and cached, so checking one draft costs
milliseconds. ``CheckContext`` adds the draft: its Markdown re-parsed into sections, its facts,
the sources it was built from and the grounding universe those give.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from copilot.drafting.draft import AUDIENCE, Draft
from copilot.errors import NotFound
from copilot.facts.people import people_of
from copilot.guardrails.atoms import Atom, Universe, extract_atoms, normalize_id, parse_datetime_value
from copilot.guardrails.injections import Injection, find_injections
from copilot.guardrails.markdown import MdSection, SourceMarker, mask_markdown, parse_sections, source_markers
from copilot.guardrails.others import AccountRecords, OtherAccount, PortfolioIdentifiers
from copilot.guardrails.record_facts import RecomputedFacts, RecordSet, recompute_facts, reference_time
from copilot.guardrails.text import NormalizedText, normalize
from copilot.records.models import AccountPlan, Incident, Runbook, Ticket
from copilot.records.source import RecordSource
from copilot.search.chunking import chunks_for_incident, chunks_for_plan, chunks_for_runbook, chunks_for_ticket

__all__ = [
    "AccountData",
    "CheckContext",
    "OtherAccount",
    "account_data",
    "build_context",
    "clear_cache",
    "context_from_records",
    "portfolio",
]


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
        self._universes: dict[str, Universe] = {}
        self._source_universes: dict[str, Universe] = {}
        self.events = {e.id: e for i in incidents for e in i.events}
        self.comments = {c.id: c for t in tickets for c in t.comments}
        self._lock = threading.Lock()

    # --- lookups ---------------------------------------------------------------------

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
        universe = Universe()
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
            times = _record_times(record)
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
        universe = Universe()
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
                universe.add_pairwise_durations(_record_times(record))
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


def _record_times(record: Any) -> list[datetime]:
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


# --- the per-draft context ---------------------------------------------------------------------

_ID_IN_TEXT = re.compile(r"[A-Za-z0-9:#._@-]+")


@dataclass
class CheckContext:
    """A draft, its re-parsed Markdown, and the account data the checks compare it with."""

    draft: Draft
    account: AccountData
    source: RecordSource | None = None  # the records the facts are recomputed from
    text_map: NormalizedText | None = None  # ``draft.markdown`` is ``text_map.text``: normalized
    original: Draft | None = None  # the draft as submitted (before normalization)
    cache: dict[str, Any] = field(default_factory=dict)

    def to_original(self, span: tuple[int, int]) -> tuple[int, int]:
        """A span in the (normalized) text the checks read, as a span of the submitted Markdown."""
        return span if self.text_map is None else self.text_map.to_original(span)

    # --- the draft -------------------------------------------------------------------

    @property
    def markdown(self) -> str:
        return self.draft.markdown

    @property
    def kind(self) -> str:
        return self.draft.kind

    @property
    def audience(self) -> str:
        return AUDIENCE[self.draft.kind]

    @property
    def customer_facing(self) -> bool:
        return self.audience == "customer"

    @cached_property
    def recomputed(self) -> RecomputedFacts:
        """The facts of the draft's kind and subject rebuilt from the records (memoised per account
        data, i.e. per store version), never the facts the draft carries."""
        if self.source is None:
            return RecomputedFacts({}, "no records to recompute the facts from")
        key = (self.kind, self.draft.subject_id, self.draft.account_id, str(self.as_of or ""),
               "" if self.as_of else str(self.draft.created_at))
        memo = self.account.__dict__.setdefault("_recomputed_facts", {})
        hit = memo.get(key)
        if hit is None:
            hit = recompute_facts(self.source, self.draft)
            with self.account._lock:
                memo[key] = hit
        return hit

    @property
    def facts(self) -> dict[str, Any]:
        """The facts grounding reads: recomputed from the records (the draft's own are display data)."""
        return self.recomputed.facts

    @cached_property
    def sections(self) -> list[MdSection]:
        return parse_sections(self.markdown, self.kind)

    def section(self, name: str) -> MdSection | None:
        return next((s for s in self.sections if s.name == name), None)

    @cached_property
    def masked(self) -> str:
        """The Markdown with headings, markers and list bullets blanked (same offsets)."""
        return mask_markdown(self.markdown)

    @cached_property
    def lower(self) -> str:
        """``masked`` in lower case (for cheap anchor pre-filters)."""
        return self.masked.lower()

    @cached_property
    def markers(self) -> list[SourceMarker]:
        return source_markers(self.markdown)

    @cached_property
    def atoms(self) -> list[Atom]:
        """Every fact atom in the draft's text (section headings and source markers excluded)."""
        # the title line (``# …``) and unknown headings are checked like prose
        return extract_atoms(self.masked, people=self.account.people_matcher, known_ids=self.account.short_ids)

    # --- the account -------------------------------------------------------------------

    @property
    def plan(self) -> AccountPlan:
        return self.account.plan

    @property
    def other_accounts(self) -> list[OtherAccount]:
        return self.account.other_accounts

    @property
    def incidents(self) -> list[Incident]:
        return list(self.account.incidents.values())

    @property
    def codenames(self) -> tuple[str, ...]:
        return self.account.codenames

    @property
    def injections(self) -> list[Injection]:
        return self.account.injections

    @cached_property
    def subject_ticket(self) -> Ticket | None:
        return self.account.tickets.get(self.draft.subject_id)

    @cached_property
    def subject_incident(self) -> Incident | None:
        return self.account.incidents.get(self.draft.subject_id)

    @cached_property
    def related_incidents(self) -> list[Incident]:
        """The incidents this draft is about (its subject, or those naming its ticket)."""
        if self.subject_incident is not None:
            return [self.subject_incident]
        if self.subject_ticket is not None:
            tid = self.subject_ticket.id
            return [i for i in self.account.incidents.values() if tid in i.related_tickets]
        return list(self.account.incidents.values())

    @cached_property
    def as_of(self) -> datetime | None:
        """The reference time the draft states (the one value taken from the submission)."""
        return reference_time(self.draft)

    # --- sources and grounding ------------------------------------------------------------

    @cached_property
    def facts_key(self) -> str:
        """A digest of the facts (drafts re-checked after an edit share their facts)."""
        raw = json.dumps(self.facts, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()

    @cached_property
    def cited_ids(self) -> list[str]:
        """Every source id the draft cites: its markers plus its citation list."""
        out: list[str] = []
        for marker in self.markers:
            out += [i for i in marker.ids if i not in out]
        out += [c.source_id for c in self.draft.citations if c.source_id not in out]
        return out

    @cached_property
    def named_records(self) -> list[str]:
        """Records the draft was built from: its subject, what it cites, what its facts name."""
        acc = self.account
        found: list[str] = []

        def add(source_id: str) -> None:
            rid = acc.record_of(source_id)
            if rid is not None and rid not in found:
                found.append(rid)

        add(self.draft.subject_id)
        add(f"plan:{acc.account_id}")
        for sid in self.cited_ids:
            add(sid)
        for piece in _facts_tokens(self.facts_key, self.facts):
            if piece in acc.source_record or normalize_id(piece) in acc.own_ids:
                add(piece)
        for incident in self.related_incidents if self.kind != "qbr_narrative" else []:
            add(incident.id)
        return found

    @cached_property
    def sources(self) -> dict[str, str]:
        """``{source id: text}`` of every chunk of the records the draft was built from."""
        wanted = set(self.named_records)
        return {
            sid: text
            for sid, text in self.account.source_texts.items()
            if self.account.source_record.get(sid) in wanted
        }

    @cached_property
    def derived_universe(self) -> Universe:
        """Values computed from the records the way the fact builders compute them, so a draft
        written by hand (without ``facts``) is grounded the same way: a QBR's recomputed metric
        lines, an update's next-update time (as of + SLA cadence), a brief's update due times."""
        universe = Universe()
        plan = self.plan
        if self.kind == "qbr_narrative":
            quarter = self.facts.get("quarter") or (
                self.draft.subject_id.rsplit(":", 1)[1] if ":" in self.draft.subject_id else ""
            )
            if quarter:
                for text in _metric_lines(self.account, str(quarter)):
                    universe.add_text(text)
        incident = self.subject_incident
        if incident is not None:
            cadence = timedelta(minutes=plan.sla.for_priority(incident.priority).update_cadence_minutes)
            for base in (self.as_of, incident.last_customer_update_at):
                if base is not None:
                    universe.add_datetime(base)
                    universe.add_datetime(base + cadence)
        ticket = self.subject_ticket
        if ticket is not None:
            target = plan.sla.for_priority(ticket.priority)
            universe.add_datetime(ticket.created_at + timedelta(minutes=target.first_response_minutes))
            for comment in ticket.comments:
                if comment.public and comment.author_role == "agent":
                    universe.add_datetime(comment.created_at + timedelta(minutes=target.update_cadence_minutes))
        return universe

    @cached_property
    def facts_universe(self) -> Universe:
        """The atoms of the draft's facts alone (memoised per facts digest)."""
        return _facts_universe(self.facts_key, self.facts)

    @cached_property
    def universe(self) -> Universe:
        """The atoms the draft's facts and sources hold: what grounds a draft atom."""
        parts = [self.account.record_universe(rid) for rid in self.named_records]
        universe = Universe.union(parts + [self.facts_universe, self.derived_universe])
        universe.people.update(self.account.people)
        for runbook_id in self.account.runbooks:  # shared documents: any runbook may be named
            universe.add_id(runbook_id)
        return universe


_FACTS_MEMO: OrderedDict[tuple[str, str], Any] = OrderedDict()


def _facts_memo(kind: str, key: str, build: Any) -> Any:
    hit = _FACTS_MEMO.get((kind, key))
    if hit is None:
        hit = build()
        with _CACHE_LOCK:
            _FACTS_MEMO[(kind, key)] = hit
            while len(_FACTS_MEMO) > 256:
                _FACTS_MEMO.popitem(last=False)
    return hit


def _metric_lines(account: AccountData, quarter: str) -> list[str]:
    """The QBR metric lines recomputed from the account's records (cached per account and quarter)."""
    memo = account.__dict__.setdefault("_metric_lines", {})
    if quarter not in memo:
        try:
            from copilot.facts.metrics import compute_quarter_metrics

            metrics = compute_quarter_metrics(
                account.plan, list(account.tickets.values()), list(account.incidents.values()), quarter
            )
            memo[quarter] = [f"{line.label}: {line.text}" for line in metrics.lines]
        except Exception:
            memo[quarter] = []
    return memo[quarter]


def _key_times(value: Any, key: str = "") -> Iterable[datetime]:
    """Datetimes the facts hold under ``*_at``/``as_of`` keys, outside lists (milestones, not timelines)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _key_times(v, str(k))
    elif key == "as_of" or key.endswith("_at"):
        dt = parse_datetime_value(value)
        if dt is not None:
            yield dt


def _facts_universe(key: str, facts: dict[str, Any]) -> Universe:
    def build() -> Universe:
        universe = Universe()
        universe.add_value(facts, infer_durations=False)
        universe.add_pairwise_durations(list(_key_times(facts))[:40])
        return universe

    return _facts_memo("universe", key, build)


def _facts_tokens(key: str, facts: dict[str, Any]) -> list[str]:
    def build() -> list[str]:
        tokens: dict[str, None] = {}
        for text in _strings(facts):
            if len(text) <= 80 and " " not in text:
                tokens[text] = None
            else:
                tokens.update(dict.fromkeys(_ID_IN_TEXT.findall(text)))
        return list(tokens)

    return _facts_memo("tokens", key, build)


def _values(value: Any) -> Iterable[Any]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _values(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _values(v)
    else:
        yield value


def _strings(value: Any) -> Iterable[str]:
    return (v for v in _values(value) if isinstance(v, str))


# --- building and caching --------------------------------------------------------------------

_CACHE: OrderedDict[tuple, AccountData] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 64
_PORTFOLIOS: OrderedDict[tuple, PortfolioIdentifiers] = OrderedDict()
_PORTFOLIOS_SIZE = 4  # one per home a process works on


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()
        _PORTFOLIOS.clear()


def portfolio(store: RecordSource) -> PortfolioIdentifiers:
    """The cached ``PortfolioIdentifiers`` of every account in ``store`` (rebuilt after any write)."""
    key = store.version()
    with _CACHE_LOCK:
        hit = _PORTFOLIOS.get(key)
    if hit is not None:
        return hit
    tickets: dict[str, list[Ticket]] = {}
    incidents: dict[str, list[Incident]] = {}
    for t in store.tickets():
        tickets.setdefault(t.account_id, []).append(t)
    for i in store.incidents():
        incidents.setdefault(i.account_id, []).append(i)
    built = PortfolioIdentifiers(
        (p, tickets.get(p.account.id, []), incidents.get(p.account.id, [])) for p in store.plans()
    )
    with _CACHE_LOCK:
        _PORTFOLIOS[key] = built
        while len(_PORTFOLIOS) > _PORTFOLIOS_SIZE:
            _PORTFOLIOS.popitem(last=False)
    return built


def account_data(store: RecordSource, account_id: str) -> AccountData:
    """The cached ``AccountData`` for ``account_id`` in ``store`` (rebuilt after any write)."""
    key = (store.version(), account_id)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    plan = store.plan(account_id)
    if plan is None:
        known = ", ".join(p.account.id for p in store.plans()) or "none: run ingest first"
        raise NotFound(
            f"the draft's account {account_id!r} is not in this home (known: {known}); "
            "check --home or ingest the account's records"
        )
    data = AccountData(
        plan, store.tickets(account_id), store.incidents(account_id), store.runbooks(), portfolio(store)
    )
    with _CACHE_LOCK:
        _CACHE[key] = data
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return data


def _normalized(draft: Draft) -> tuple[Draft, NormalizedText, Draft]:
    """``(the draft the checks read, its text map, the draft as submitted)``: Markdown rendered
    from the sections when empty, then normalized (NFKC, no invisible characters, look-alikes
    mapped) for the checks."""
    if not draft.markdown:
        draft = draft.model_copy()
        draft.finalize()
    text_map = normalize(draft.markdown)
    checked = draft.model_copy(update={"markdown": text_map.text}) if text_map.changed else draft
    return checked, text_map, draft


def build_context(store: RecordSource, draft: Draft) -> CheckContext:
    """A ``CheckContext`` for ``draft`` from the records of its home."""
    checked, text_map, original = _normalized(draft)
    return CheckContext(draft=checked, account=account_data(store, draft.account_id), source=store,
                        text_map=text_map, original=original)


def context_from_records(
    draft: Draft,
    plan: AccountPlan,
    tickets: list[Ticket] = (),
    incidents: list[Incident] = (),
    runbooks: list[Runbook] = (),
    others: list[AccountRecords] = (),
) -> CheckContext:
    """A context built straight from records (tests, tools): no store, no index.

    Args:
        others: the other accounts' records (what the draft must not mention).
    """
    checked, text_map, original = _normalized(draft)
    everyone = [(plan, list(tickets), list(incidents)), *others]
    records = RecordSet(
        [p for p, _, _ in everyone],
        [t for _, ts, _ in everyone for t in ts],
        [i for _, _, is_ in everyone for i in is_],
        list(runbooks),
    )
    return CheckContext(
        draft=checked,
        account=AccountData(plan, list(tickets), list(incidents), list(runbooks), PortfolioIdentifiers(everyone)),
        source=records,
        text_map=text_map,
        original=original,
    )
