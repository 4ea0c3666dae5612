"""Grounding: every fact atom in the draft matches the facts and sources it was built from.

IDs, times, dates, durations, numbers, percentages, money, versions, e-mails, URLs, hostnames,
regions and person names are compared after normalisation (``copilot.guardrails.atoms``).
The result (grounded / all atoms) is kept in ``ctx.cache["grounding"]`` for the scorers.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime, timezone

from copilot.drafting.draft import Finding
from copilot.guardrails.atoms import Atom, Universe
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, warn
from copilot.guardrails.registry import register
from copilot.records.models import Incident, Ticket

__all__ = ["CHECKED_KINDS", "LINE_KINDS", "GroundingResult", "analyse", "check"]

NAME = "grounding"

CHECKED_KINDS = frozenset(
    {
        "id",
        "datetime",
        "date",
        "monthday",
        "time",
        "duration",
        "number",
        "percent",
        "money",
        "points",
        "month",
        "version",
        "email",
        "url",
        "hostname",
        "ip",
        "region",
        "person",
        "year",
    }
)

_WHAT = {
    "id": "ID",
    "datetime": "time",
    "date": "date",
    "monthday": "date",
    "time": "time of day",
    "duration": "duration",
    "number": "number",
    "percent": "percentage",
    "money": "amount",
    "points": "change in percentage points",
    "month": "month",
    "version": "version",
    "email": "e-mail address",
    "url": "link",
    "hostname": "hostname",
    "ip": "IP address",
    "region": "region",
    "person": "person",
    "year": "year",
}


LINE_KINDS = frozenset(CHECKED_KINDS - {"person", "year"})
"""Atom kinds that must also be backed by the sources cited on their own line."""


@dataclass
class GroundingResult:
    atoms: list[Atom]
    ungrounded: list[Atom]  # in none of the draft's facts and sources
    uncited: list[tuple[Atom, tuple[str, ...]]]  # grounded, but not in the sources its line cites (nor the facts)
    mislabelled: list[tuple[Atom, str, str, datetime]]  # "opened 09:12" when the record says 09:05

    @property
    def precision(self) -> float:
        bad = len(self.ungrounded) + len(self.uncited) + len(self.mislabelled)
        return 1.0 if not self.atoms else (len(self.atoms) - bad) / len(self.atoms)


def _line_support(ctx: CheckContext, cited: tuple[str, ...], *, with_facts: bool = True) -> Universe | None:
    """Facts plus the sources cited on a line; None when a cited id is unknown (the citations check says so).

    Without ``with_facts``: the cited sources alone (what a record's own id must be backed by)."""
    memo = ctx.cache.setdefault("line_support" if with_facts else "line_sources", {})
    if cited in memo:
        return memo[cited]
    parts = []
    for sid in cited:
        part = ctx.account.source_universe(sid)
        if part is None:
            memo[cited] = None
            return None
        parts.append(part)
    support = Universe.union(([ctx.facts_universe, ctx.derived_universe] if with_facts else []) + parts)
    memo[cited] = support
    return support


def analyse(ctx: CheckContext) -> GroundingResult:
    """Grounded and ungrounded atoms of the draft (computed once per context)."""
    cached = ctx.cache.get("grounding")
    if cached is not None:
        return cached
    universe = ctx.universe
    atoms = [a for a in ctx.atoms if a.kind in CHECKED_KINDS]
    md = ctx.markdown
    line_starts = [0] + [i + 1 for i, ch in enumerate(md) if ch == "\n"]
    cited_by_line: dict[int, list[str]] = {}
    for marker in ctx.markers:
        cited_by_line.setdefault(bisect_right(line_starts, marker.start) - 1, []).extend(marker.ids)
    ungrounded, uncited = [], []
    for atom in atoms:
        if not universe.grounds(atom):
            ungrounded.append(atom)
            continue
        if atom.kind not in LINE_KINDS:
            continue
        cited = tuple(dict.fromkeys(cited_by_line.get(bisect_right(line_starts, atom.start) - 1, ())))
        if not cited:
            continue
        # a ticket or incident named on a cited line is what the line's claim is about: it must be
        # one of the cited records (or named in them); the facts naming it elsewhere do not do
        own_record = atom.kind == "id" and isinstance(ctx.account.record(atom.value), (Ticket, Incident))
        support = _line_support(ctx, cited, with_facts=not own_record)
        if support is not None and not support.grounds(atom):
            uncited.append((atom, cited))
    flagged = {id(a) for a in ungrounded} | {id(a) for a, _ in uncited}
    mislabelled = [m for m in _mislabelled(ctx, atoms, line_starts, cited_by_line) if id(m[0]) not in flagged]
    result = GroundingResult(atoms=atoms, ungrounded=ungrounded, uncited=uncited, mislabelled=mislabelled)
    ctx.cache["grounding"] = result
    return result


TIME_LABELS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"\b(?:opened|created|filed)\s+(?:at\s+|on\s+)?$", re.IGNORECASE), "created_at", "opened"),
    (re.compile(r"\b(?:resolved|solved)\s+(?:at\s+|on\s+)?$", re.IGNORECASE), "resolved_at", "resolved"),
    (re.compile(r"\b(?:impact\s+)?(?:started|began)\s+(?:at\s+|on\s+)?$", re.IGNORECASE), "started_at", "started"),
    (re.compile(r"\bdetected\s+(?:the\s+issue\s+)?(?:at\s+|on\s+)?$", re.IGNORECASE), "detected_at", "detected"),
    (re.compile(r"\bmitigated\s+(?:at\s+|on\s+)?$", re.IGNORECASE), "mitigated_at", "mitigated"),
    (re.compile(r"\bengaged\s+(?:at\s+|on\s+)?$", re.IGNORECASE), "engaged_at", "engaged"),
]
"""A time written right after one of these words is that field of the record the line is about."""


def _mislabelled(
    ctx: CheckContext, atoms: list[Atom], line_starts: list[int], cited_by_line: dict[int, list[str]]
) -> list[tuple[Atom, str, str, datetime]]:
    """``(atom, record id, label, recorded time)`` for 'opened 09:12' where the record says otherwise."""
    out = []
    md = ctx.masked
    acc = ctx.account
    for atom in atoms:
        if atom.kind not in ("datetime", "time"):
            continue
        line = bisect_right(line_starts, atom.start) - 1
        before = md[max(line_starts[line], atom.start - 30) : atom.start]
        label = next(((field, word) for rx, field, word in TIME_LABELS if rx.search(before)), None)
        if label is None:
            continue
        field, word = label
        candidates = [a.text for a in atoms if a.kind == "id" and line_starts[line] <= a.start < atom.start]
        candidates = candidates[::-1] + cited_by_line.get(line, []) + [ctx.draft.subject_id]
        record = next(
            (
                acc.record(c)
                for c in candidates
                if acc.record(c) is not None and getattr(acc.record(c), field, None) is not None
            ),
            None,
        )
        if record is None:
            continue
        recorded = getattr(record, field).astimezone(timezone.utc).replace(second=0, microsecond=0)
        stated_ok = (
            atom.value == recorded
            if atom.kind == "datetime"
            else (not atom.tz_explicit or atom.value == (recorded.hour, recorded.minute))
        )
        if not stated_ok:
            out.append((atom, getattr(record, "id", ""), word, recorded))
    return out


def _hint(ctx: CheckContext, atom: Atom) -> str:
    universe = ctx.universe
    if atom.kind == "id":
        close = difflib.get_close_matches(atom.value, sorted(universe.ids), n=2, cutoff=0.75)
        return f"did you mean {' or '.join(close)}?" if close else ""
    if atom.kind == "datetime":
        near = sorted(universe.minutes, key=lambda m: abs((m - atom.value).total_seconds()))[:1]
        return f"nearest time in the sources: {near[0]:%Y-%m-%d %H:%M} UTC" if near else ""
    if atom.kind == "person":
        close = difflib.get_close_matches(atom.value, sorted(universe.people), n=1, cutoff=0.6)
        return f"did you mean {close[0]}?" if close else ""
    if atom.kind == "money" and not universe.currency_fits(atom):
        codes = ", ".join(sorted(universe.currencies - {"$"})) or "another currency"
        return f"the records state amounts in {codes}, not {atom.unit}"
    if atom.kind == "duration" and atom.hedge is not None:
        low, high = atom.hedge
        return f"'{atom.text.strip()}' allows {low * atom.value:g}–{high * atom.value:g} minutes (docs/guardrails.md)"
    if atom.kind == "version":
        return f"versions in the sources: {', '.join(sorted(universe.versions)[:4])}" if universe.versions else ""
    return ""


@register(NAME, description="IDs, times, numbers, names… match the facts and sources the draft was built from")
def check(ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for atom in analyse(ctx).ungrounded:
        what = _WHAT.get(atom.kind, atom.kind)
        hint = _hint(ctx, atom)
        message = (
            f"The {what} '{atom.text.strip()}' does not appear in the facts or sources this draft was "
            f"built from; correct it or cite the record that states it."
        )
        if atom.kind == "year":
            out.append(warn(NAME, message, (atom.start, atom.end), hint))
        else:
            out.append(block(NAME, message, (atom.start, atom.end), hint))
    for atom, record_id, word, recorded in analyse(ctx).mislabelled:
        out.append(
            block(
                NAME,
                f"'{word} {atom.text.strip()}' does not match the record: {record_id} was {word} at "
                f"{recorded:%Y-%m-%d %H:%M} UTC.",
                (atom.start, atom.end),
                record_id,
            )
        )
    for atom, cited in analyse(ctx).uncited:
        what = _WHAT.get(atom.kind, atom.kind)
        out.append(
            block(
                NAME,
                f"The {what} '{atom.text.strip()}' is not in the source{'s' if len(cited) > 1 else ''} "
                f"this line cites ({', '.join(cited)}); correct it or cite the record that states it.",
                (atom.start, atom.end),
                ", ".join(cited),
            )
        )
    return out
