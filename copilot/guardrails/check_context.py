"""``CheckContext``: one draft, re-parsed, with the account data the checks compare it with.

It adds the draft to an :class:`AccountData`: its Markdown (normalized) re-parsed into sections,
the facts recomputed from the records, the sources it was built from and the grounding universe
those give. Everything derived from the draft is memoised on the context; everything derived
from the records on the account data.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from copilot.drafting.draft import AUDIENCE, Draft
from copilot.guardrails.account_data import AccountData
from copilot.guardrails.atom import Atom
from copilot.guardrails.extraction import extract_atoms
from copilot.guardrails.injections import Injection
from copilot.guardrails.markdown import MdSection, SourceMarker, mask_markdown, parse_sections, source_markers
from copilot.guardrails.others import OtherAccount
from copilot.guardrails.recognizers.instant import parse_datetime_value
from copilot.guardrails.recognizers.record_id import normalize_id
from copilot.guardrails.record_facts import RecomputedFacts, recompute_facts, reference_time
from copilot.guardrails.text import NormalizedText
from copilot.guardrails.universe import Universe
from copilot.records.models import AccountPlan, Incident, Ticket
from copilot.records.source import RecordSource

__all__ = ["CheckContext"]

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
        key = ("recomputed", self.kind, self.draft.subject_id, self.draft.account_id, str(self.as_of or ""),
               "" if self.as_of else str(self.draft.created_at))
        source = self.source
        return self.account.remember(key, lambda: recompute_facts(source, self.draft))

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
        for piece in _facts_tokens(acc, self.facts_key, self.facts):
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
        universe = Universe(self.account.atom_memo)
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
        return _facts_universe(self.account, self.facts_key, self.facts)

    @cached_property
    def universe(self) -> Universe:
        """The atoms the draft's facts and sources hold: what grounds a draft atom."""
        parts = [self.account.record_universe(rid) for rid in self.named_records]
        universe = Universe.union(parts + [self.facts_universe, self.derived_universe])
        universe.people.update(self.account.people)
        for runbook_id in self.account.runbooks:  # shared documents: any runbook may be named
            universe.add_id(runbook_id)
        return universe


def _metric_lines(account: AccountData, quarter: str) -> list[str]:
    """The QBR metric lines recomputed from the account's records (cached per account and quarter)."""

    def build() -> list[str]:
        from copilot.facts.metrics import compute_quarter_metrics

        try:
            metrics = compute_quarter_metrics(
                account.plan, list(account.tickets.values()), list(account.incidents.values()), quarter
            )
        except Exception:
            return []
        return [f"{line.label}: {line.text}" for line in metrics.lines]

    return account.remember(("metric_lines", quarter), build)


def _key_times(value: Any, key: str = "") -> Iterable[datetime]:
    """Datetimes the facts hold under ``*_at``/``as_of`` keys, outside lists (milestones, not timelines)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _key_times(v, str(k))
    elif key == "as_of" or key.endswith("_at"):
        dt = parse_datetime_value(value)
        if dt is not None:
            yield dt


def _facts_universe(account: AccountData, key: str, facts: dict[str, Any]) -> Universe:
    def build() -> Universe:
        universe = Universe(account.atom_memo)
        universe.add_value(facts, infer_durations=False)
        universe.add_pairwise_durations(list(_key_times(facts))[:40])
        return universe

    return account.remember(("facts_universe", key), build)


def _facts_tokens(account: AccountData, key: str, facts: dict[str, Any]) -> list[str]:
    def build() -> list[str]:
        tokens: dict[str, None] = {}
        for text in _strings(facts):
            if len(text) <= 80 and " " not in text:
                tokens[text] = None
            else:
                tokens.update(dict.fromkeys(_ID_IN_TEXT.findall(text)))
        return list(tokens)

    return account.remember(("facts_tokens", key), build)


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
