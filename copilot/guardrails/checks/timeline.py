"""Timeline: chronological, time-zone explicit, each entry sourced and matching its source,
milestones present at the recorded times, stated durations equal to the recomputed ones.

Applies to the PIR's ``## Timeline``/``## Durations`` and to the escalation brief's
``## Timeline`` (for a brief a missing source only warns, and milestones are not required).
Durations are measured from impact start to detection, engagement, mitigation and resolution,
recomputed from the store by ``copilot.facts.milestones.incident_milestones`` (the record's
``*_at`` fields, else the channel message that states the milestone), never read from the draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from copilot.drafting.draft import Finding
from copilot.facts.common import format_duration
from copilot.facts.milestones import incident_milestones
from copilot.facts.pir import DURATION_LABELS as PIR_DURATION_LABELS
from copilot.guardrails.atoms import Atom, extract_atoms
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, warn
from copilot.guardrails.markdown import bullets, source_markers
from copilot.guardrails.registry import register
from copilot.records.models import Incident

__all__ = ["DURATION_LABELS", "MILESTONES", "Entry", "check", "parse_entries", "recomputed_durations"]

NAME = "timeline"

MILESTONES: dict[str, tuple[str, str]] = {
    "Impact start": ("impact_start", "started_at"),
    "Detection": ("detected", "detected_at"),
    "Engagement": ("engaged", "engaged_at"),
    "Mitigation": ("mitigated", "mitigated_at"),
    "Resolution": ("resolved", "resolved_at"),
}
"""Milestone label in the draft -> (event milestone name, incident field)."""

DURATION_LABELS: dict[str, str] = {label: f"{milestone}_at" for milestone, label in PIR_DURATION_LABELS.items()}
"""Duration label in the draft -> the incident field it runs to (from ``copilot.facts.pir``)."""
_LABEL = re.compile(r"^\s*[—–:-]*\s*(?P<label>" + "|".join(MILESTONES) + r")\s*:", re.IGNORECASE)
_DUR_LINE = re.compile(r"^\s*(?P<label>" + "|".join(DURATION_LABELS) + r")\s*:\s*", re.IGNORECASE)


@dataclass
class Entry:
    start: int
    end: int
    time: Atom | None
    milestone: str | None
    source_ids: list[str]


def parse_entries(ctx: CheckContext, section_name: str = "timeline") -> list[Entry]:
    sec = ctx.section(section_name)
    if sec is None:
        return []
    md = ctx.markdown
    out = []
    atoms = [a for a in ctx.atoms if sec.body_start <= a.start < sec.end and a.kind in ("datetime", "time", "date")]
    for item in bullets(md, sec.body_start, sec.end):
        first = next((a for a in atoms if item.start <= a.start < item.start + 3), None)
        if first is not None and first.kind == "date":
            first = None
        rest = md[first.end : item.end] if first is not None else md[item.start : item.end]
        label = _LABEL.match(rest)
        milestone = None
        if label:
            milestone = next(m for m in MILESTONES if m.lower() == label.group("label").lower())
        ids = [i for m in source_markers(md, item.start, item.end) for i in m.ids]
        out.append(Entry(item.start, item.end, first, milestone, ids))
    return out


def recomputed_durations(incident: Incident) -> dict[str, int]:
    """Whole minutes from impact start to each later milestone the incident has (recorded, or
    stated by a channel message: ``copilot.facts.milestones``)."""
    times = _milestone_times(incident)
    start = times.get("started_at")
    out = {}
    for label, field in DURATION_LABELS.items():
        end = times.get(field)
        if start is not None and end is not None and end >= start:
            out[label] = int((end - start).total_seconds() // 60)
    return out


def _milestone_times(incident: Incident) -> dict[str, datetime]:
    """``{record field name: time}`` of every milestone the incident has."""
    fields = {m: f for m, f in MILESTONES.values()}
    return {fields[name]: m.at for name, m in incident_milestones(incident).items()}


def _source_times(ctx: CheckContext, source_id: str) -> set[datetime]:
    """The times a source stands for: its own timestamp and the times its text states."""
    acc = ctx.account
    memo = acc.__dict__.setdefault("_timeline_memo", {})
    if source_id in memo:
        return memo[source_id]
    times: set[datetime] = set()
    own = acc.source_times.get(source_id)
    if own is not None:
        times.add(own.astimezone(timezone.utc).replace(second=0, microsecond=0))
    text = acc.source_texts.get(source_id, "")
    for atom in extract_atoms(text):
        if atom.kind == "datetime":
            times.add(atom.value)
    record = acc.record(source_id) or acc.record(source_id.split("#", 1)[0])
    fields = (
        "created_at",
        "updated_at",
        "first_response_at",
        "resolved_at",
        "started_at",
        "detected_at",
        "engaged_at",
        "mitigated_at",
        "last_customer_update_at",
    )
    for field in fields:
        value = getattr(record, field, None) if record is not None else None
        if isinstance(value, datetime):
            times.add(value.astimezone(timezone.utc).replace(second=0, microsecond=0))
    memo[source_id] = times
    return times


def _fmt(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M UTC")



@register(
    NAME,
    kinds={"pir_timeline", "escalation_brief"},
    description="chronological, UTC, sourced entries; milestones present; durations recomputed and equal",
)
def check(ctx: CheckContext) -> list[Finding]:
    pir = ctx.kind == "pir_timeline"
    out: list[Finding] = []
    entries = parse_entries(ctx)
    strict = block if pir else warn
    previous: Entry | None = None
    for entry in entries:
        span = (entry.start, entry.end)
        if entry.time is None:
            out.append(strict(NAME, "This timeline entry has no timestamp; start it with YYYY-MM-DD HH:MM UTC.", span))
            continue
        tspan = (entry.time.start, entry.time.end)
        if entry.time.kind == "time":
            out.append(strict(NAME, f"'{entry.time.text}' has no date; write YYYY-MM-DD HH:MM UTC.", tspan))
            continue
        if not entry.time.tz_explicit:
            out.append(block(NAME, f"'{entry.time.text}' has no time zone; timeline times are written in UTC.", tspan))
        if (
            previous is not None
            and previous.time is not None
            and previous.time.kind == "datetime"
            and entry.time.value < previous.time.value
        ):
            out.append(
                block(
                    NAME,
                    f"This entry ({_fmt(entry.time.value)}) comes after one at "
                    f"{_fmt(previous.time.value)}; the timeline must be in chronological order.",
                    tspan,
                )
            )
        previous = entry
        if not entry.source_ids:
            out.append(strict(NAME, "This timeline entry cites no source; add [source: ID] so it can be traced.", span))
        else:
            known = [sid for sid in entry.source_ids if _source_times(ctx, sid)]
            if known and not any(entry.time.value in _source_times(ctx, sid) for sid in known):
                nearest = sorted(
                    (t for sid in known for t in _source_times(ctx, sid)),
                    key=lambda t: abs((t - entry.time.value).total_seconds()),
                )
                out.append(
                    block(
                        NAME,
                        f"The entry time {_fmt(entry.time.value)} does not match its source "
                        f"({', '.join(known)}" + (f", which says {_fmt(nearest[0])}" if nearest else "") + ").",
                        tspan,
                    )
                )
    incident = ctx.subject_incident
    if not pir or incident is None:
        return out
    by_label = {e.milestone: e for e in entries if e.milestone}
    times = _milestone_times(incident)
    for label, (_m, field) in MILESTONES.items():
        recorded = times.get(field)
        if recorded is None:
            continue
        recorded = recorded.replace(second=0, microsecond=0)
        entry = by_label.get(label)
        if entry is None:
            sec = ctx.section("timeline")
            pos = sec.end if sec else 0
            out.append(
                block(
                    NAME,
                    f"The '{label}' milestone ({_fmt(recorded)} in {incident.id}) is missing from the timeline.",
                    (pos, pos),
                )
            )
        elif entry.time is not None and entry.time.kind == "datetime" and entry.time.value != recorded:
            out.append(
                block(
                    NAME,
                    f"'{label}' is at {_fmt(recorded)} in {incident.id}, not {_fmt(entry.time.value)}.",
                    (entry.time.start, entry.time.end),
                )
            )
    out += _durations(ctx, incident)
    return out


def _durations(ctx: CheckContext, incident: Incident) -> list[Finding]:
    sec = ctx.section("durations")
    if sec is None:
        return []
    md = ctx.markdown
    expected = recomputed_durations(incident)
    times = _milestone_times(incident)
    stated: dict[str, tuple[Atom | None, tuple[int, int]]] = {}
    out: list[Finding] = []
    for item in bullets(md, sec.body_start, sec.end):
        match = _DUR_LINE.match(item.text)
        if not match:
            continue
        label = next(k for k in DURATION_LABELS if k.lower() == match.group("label").lower())
        atom = next(
            (a for a in ctx.atoms if item.start + match.end() <= a.start < item.end and a.kind == "duration"), None
        )
        stated[label] = (atom, (item.start, item.end))
    for label, minutes in expected.items():
        if label not in stated:
            out.append(
                block(
                    NAME,
                    f"'{label}' is missing from '## Durations' ({format_duration(minutes)} from {incident.id}).",
                    (sec.end, sec.end),
                )
            )
            continue
        atom, span = stated[label]
        if atom is None:
            out.append(block(NAME, f"'{label}' gives no duration; it is {format_duration(minutes)}.", span))
        elif abs(atom.value - minutes) > 0.5:
            out.append(
                block(
                    NAME,
                    f"'{label}: {atom.text}' is wrong: the record gives {format_duration(minutes)} "
                    f"(impact start {_fmt(times['started_at'])} to {_fmt(times[DURATION_LABELS[label]])}).",
                    (atom.start, atom.end),
                )
            )
    for label, (atom, span) in stated.items():
        if label not in expected and atom is not None:
            out.append(block(NAME, f"'{label}' is stated, but {incident.id} has no such milestone yet.", span))
    return out
