"""Which record a sentence speaks of, and what that record states (for the claim recognizers).

A sentence speaks of the record it names (the nearest id before the words, else the first after
them); a sentence that names no record speaks of the draft's subject. The per-record lookups
(environment values, listed counts, the plan's roster) are cached on the account data, which is
rebuilt when the store changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from copilot.guardrails.atoms import Universe
from copilot.guardrails.claims.claim import RecordView
from copilot.guardrails.claims.environment import Known
from copilot.guardrails.claims.people import Roster
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import line_at, sentence_span

__all__ = ["CLAUSE_CHARS", "SUBJECT_SECTIONS", "SubjectIndex"]

CLAUSE_CHARS = 80
"""How far after a record id its own attributes may be stated (and never past the next id)."""
SUBJECT_SECTIONS = frozenset({"summary", "impact", "environment", "reproduction", "known"})
"""Sections whose lines describe the draft's subject (a line naming or citing another record excepted)."""


def _memo(ctx: CheckContext, name: str) -> dict[str, Any]:
    return ctx.account.__dict__.setdefault(name, {})


class SubjectIndex:
    """The records a draft's sentences name, and what each of them states."""

    def __init__(self, ctx: CheckContext, views: dict[str, RecordView], ids: list[Any]) -> None:
        self.ctx = ctx
        self.text = ctx.masked
        self.views = views
        self.ids = ids
        self.subject = views.get(ctx.draft.subject_id.upper())
        cache = _memo(ctx, "_claim_subject_cache")
        if "roster" not in cache:
            acc = ctx.account
            cache["roster"] = Roster(acc.plan)
            cache["components"] = frozenset(
                c.lower() for c in [*(t.component for t in acc.tickets.values()),
                                    *(r.component for r in acc.runbooks.values())] if c and len(c) > 2)
        self.roster: Roster = cache["roster"]
        self.components: frozenset[str] = cache["components"]

    def view_at(self, pos: int) -> RecordView | None:
        """The record the sentence holding ``pos`` speaks of."""
        lo, hi = sentence_span(self.text, pos)
        named = [a for a in self.ids if lo <= a.start < hi]
        before = [a for a in named if a.start < pos]
        atom = before[-1] if before else (named[0] if named else None)
        return self.views[atom.value] if atom is not None else self.subject

    def environment_scopes(self, env_line: re.Pattern[str]) -> Iterator[tuple[tuple[int, int], RecordView]]:
        """Stretches of text that state a record's environment: the words right after its id, and
        Environment-section or ``Version:``-style lines up to the first id on them (the subject's)."""
        text = self.text
        for n, atom in enumerate(self.ids):
            _, s_end = sentence_span(text, atom.start)
            stop = min(s_end, atom.end + CLAUSE_CHARS, self.ids[n + 1].start if n + 1 < len(self.ids) else len(text))
            semicolon = text.find(";", atom.end, stop)  # "…, ZD-1; component label-api: ZD-2" is ZD-2's
            yield (atom.end, stop if semicolon < 0 else semicolon), self.views[atom.value]
        if self.subject is None:
            return
        lines = {line_at(text, m.start()) for m in env_line.finditer(text)} | set(self._prose_lines())
        for start, end in sorted(lines):
            first_id = next((a.start for a in self.ids if start <= a.start < end), end)
            if first_id > start:
                yield (start, first_id), self.subject

    def _prose_lines(self) -> Iterator[tuple[int, int]]:
        """Lines of the sections that describe the subject (and the title line) that name no record and
        cite none but the subject: what they say of a version or region is said of the subject."""
        ctx, text = self.ctx, self.text
        spans = [(s.body_start, s.end) for s in ctx.sections if s.name in SUBJECT_SECTIONS]
        if text.startswith("# "):
            spans.append(line_at(text, 0))
        named = [a.start for a in ctx.atoms if a.kind == "id"]
        subject = ctx.draft.subject_id.upper()
        for lo, hi in spans:
            pos = lo
            while pos < hi:
                start, end = line_at(text, pos)
                end = min(end, hi)
                pos = end + 1
                cited = {i.upper() for m in ctx.markers if start <= m.start < end for i in m.ids}
                if any(start <= p < end for p in named) or any(not c.startswith(subject) for c in cited):
                    continue
                yield start, end

    def known(self, view: RecordView) -> Known:
        """What ``view``'s record (and, for an incident, its related tickets) states about its environment."""
        cache = _memo(self.ctx, "_claim_known")
        hit = cache.get(view.id)
        if hit is not None:
            return hit
        acc = self.ctx.account
        related = [acc.tickets[t] for t in getattr(view.record, "related_tickets", []) if t in acc.tickets]
        universe = Universe.union([acc.record_universe(view.id), *(acc.record_universe(t.id) for t in related)])
        components = {c.lower() for c in [getattr(view.record, "component", ""), *(t.component for t in related)] if c}
        hit = Known(universe.grounds, {"version": set(universe.versions), "region": set(universe.regions),
                                       "component": components}, self._owner_of)
        cache[view.id] = hit
        return hit

    def _owner_of(self, kind: str, value: str) -> str | None:
        field = {"version": "product_version", "region": "region", "component": "component"}[kind]
        want = value.lower().lstrip("v")
        return next((t.id for t in self.ctx.account.tickets.values()
                     if str(getattr(t, field) or "").lower().lstrip("v") == want), None)

    def listed(self, view: RecordView, what: str) -> int | None:
        """How many ``what`` the record lists (None: it does not say)."""
        record = view.record
        if what == "regions":
            return len(self.known(view).values["region"]) or None
        if what == "comments":
            return len(record.comments) if view.kind == "ticket" else None
        if what == "reports":
            if view.kind == "ticket":
                return 1 + sum(1 for c in record.comments if c.author_role == "customer")
            return len(record.related_tickets) or None
        if view.kind != "incident":
            return None
        return len(getattr(record, {"tickets": "related_tickets"}.get(what, what), [])) or None
