"""A PIR timeline a person edits as a table: rows in, durations and Markdown out.

The console shows ``copilot.facts.pir`` timeline entries as an editable table. This module turns
the (possibly edited) rows back into what a PIR says: the durations from impact start to each
milestone (the same definitions and formats as ``copilot.facts.pir``), and the ``## Timeline``
and ``## Durations`` sections in the draft format (docs/draft-format.md), so an edited timeline
replaces the drafted one and the guardrails check it like any other edit.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, ConfigDict

from copilot.drafting.markdown import section_spans
from copilot.facts.common import format_duration, format_time, minutes_between
from copilot.facts.pir import DURATION_LABELS, MILESTONE_LABELS, PirFacts

__all__ = [
    "DurationRow",
    "TimelineRow",
    "apply_timeline",
    "durations_from_rows",
    "rows_from_facts",
    "timeline_problems",
    "timeline_sections",
]

_LABEL_TO_MILESTONE = {label: key for key, label in MILESTONE_LABELS.items()}


class TimelineRow(BaseModel):
    """One timeline entry as the table shows it. ``milestone`` is a label (``Detection``) or ""."""

    model_config = ConfigDict(extra="forbid")

    time_utc: datetime | None = None
    milestone: str = ""
    entry: str = ""
    sources: str = ""  # comma-separated source ids


class DurationRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    minutes: int | None = None
    text: str
    problem: str = ""


def rows_from_facts(facts: PirFacts) -> list[TimelineRow]:
    return [TimelineRow(time_utc=e.at, milestone=e.milestone_label, entry=e.text, sources=", ".join(e.source_ids))
            for e in facts.timeline]


def _coerce(rows: list[TimelineRow | dict[str, Any]]) -> list[TimelineRow]:
    out = []
    for row in rows:
        if isinstance(row, TimelineRow):
            out.append(row)
            continue
        clean = {k: (None if _missing(v) else v) for k, v in row.items() if k in TimelineRow.model_fields}
        for text_field in ("milestone", "entry", "sources"):
            clean[text_field] = str(clean.get(text_field) or "").strip()
        if clean.get("time_utc") is not None and not isinstance(clean["time_utc"], datetime):
            clean["time_utc"] = datetime.fromisoformat(str(clean["time_utc"]))
        if hasattr(clean.get("time_utc"), "to_pydatetime"):
            clean["time_utc"] = clean["time_utc"].to_pydatetime()
        out.append(TimelineRow(**clean))
    for row in out:
        if row.time_utc is not None:  # the table's times are UTC; naive ones are read as UTC
            row.time_utc = (row.time_utc.replace(tzinfo=timezone.utc) if row.time_utc.tzinfo is None
                            else row.time_utc.astimezone(timezone.utc))
    return out


def _missing(value: Any) -> bool:
    """None, NaN or NaT (what an emptied data-editor cell holds)."""
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError, ImportError):
        return value is None


def _kept(rows: list[TimelineRow]) -> list[TimelineRow]:
    """Rows with a time and some text, in time order (a person may add rows at the bottom)."""
    usable = [r for r in rows if r.time_utc is not None and (r.entry or r.milestone)]
    return sorted(usable, key=lambda r: r.time_utc)


def timeline_problems(rows: list[TimelineRow | dict[str, Any]]) -> list[str]:
    """What a person should fix before the timeline can stand: one message per problem."""
    problems = []
    table = _coerce(rows)
    for n, row in enumerate(table, 1):
        if row.time_utc is None and (row.entry or row.milestone):
            problems.append(f"row {n} has no time: give it a UTC time or delete the row")
        if row.milestone and row.milestone not in _LABEL_TO_MILESTONE:
            problems.append(f"row {n}: milestone {row.milestone!r} is not one of {', '.join(_LABEL_TO_MILESTONE)}")
        if (row.entry or row.milestone) and not row.sources:
            problems.append(f"row {n} has no source: every entry must name the record it comes from")
    times = [r.time_utc for r in table if r.time_utc is not None]
    if times != sorted(times):
        problems.append("rows are not in time order; they will be sorted by time in the PIR")
    present = {r.milestone for r in table if r.time_utc is not None}
    missing = [label for label in MILESTONE_LABELS.values() if label not in present]
    if missing:
        problems.append(f"no {', '.join(missing)} milestone in the table: "
                        "if it has happened, mark the row where it did")
    return problems


def durations_from_rows(rows: list[TimelineRow | dict[str, Any]]) -> list[DurationRow]:
    """Time from impact start to each milestone, from the first row carrying each milestone."""
    first: dict[str, datetime] = {}
    for row in _kept(_coerce(rows)):
        key = _LABEL_TO_MILESTONE.get(row.milestone)
        if key and key not in first:
            first[key] = row.time_utc
    start = first.get("impact_start")
    out = []
    for key, label in DURATION_LABELS.items():
        at = first.get(key)
        if start is None or at is None:
            missing = "Impact start" if start is None else MILESTONE_LABELS[key]
            out.append(DurationRow(label=label, text="not recorded", problem=f"no {missing} row"))
        elif at < start:
            out.append(DurationRow(label=label, text="not recorded",
                                   problem=f"{MILESTONE_LABELS[key]} is before Impact start"))
        else:
            minutes = minutes_between(start, at)
            out.append(DurationRow(label=label, minutes=minutes, text=format_duration(minutes)))
    return out


def timeline_sections(rows: list[TimelineRow | dict[str, Any]]) -> tuple[str, str]:
    """The bodies of ``## Timeline`` and ``## Durations`` for these rows (draft format)."""
    lines = []
    for row in _kept(_coerce(rows)):
        head = f"{row.milestone}: " if row.milestone in _LABEL_TO_MILESTONE else ""
        text = " ".join((row.entry or "").split()) or row.milestone
        ids = [s.strip() for s in row.sources.split(",") if s.strip()]
        marker = f" [source: {', '.join(ids)}]" if ids else ""
        lines.append(f"- {format_time(row.time_utc)} — {head}{text}{marker}")
    durations = [f"- {d.label}: {d.text}" for d in durations_from_rows(rows)]
    sources = _milestone_sources(rows)
    if sources:
        note = ("Each duration runs from impact start to the milestone, from the timeline above. "
                f"[source: {', '.join(sources)}]")
        durations += ["", note]
    return "\n".join(lines), "\n".join(durations)


def _milestone_sources(rows: list[TimelineRow | dict[str, Any]]) -> list[str]:
    """The sources of the first row carrying each milestone (what the durations are computed from)."""
    seen: set[str] = set()
    out: list[str] = []
    for row in _kept(_coerce(rows)):
        if row.milestone in _LABEL_TO_MILESTONE and row.milestone not in seen:
            seen.add(row.milestone)
            out += [s.strip() for s in row.sources.split(",") if s.strip() and s.strip() not in out]
    return out


def apply_timeline(markdown: str, rows: list[TimelineRow | dict[str, Any]]) -> str:
    """``markdown`` with its ``## Timeline`` and ``## Durations`` bodies replaced by these rows'."""
    timeline, durations = timeline_sections(rows)
    bodies = {"timeline": timeline, "durations": durations}
    out, cursor = [], 0
    for span in section_spans(markdown):
        key = span.title.casefold()
        if key not in bodies:
            continue
        out.append(markdown[cursor:span.body_start])
        out.append(f"\n\n{bodies.pop(key)}\n\n")
        cursor = span.end
    out.append(markdown[cursor:])
    text = "".join(out)
    for key, body in bodies.items():  # a section the draft lacked: append it
        text = text.rstrip("\n") + f"\n\n## {key.capitalize()}\n\n{body}\n"
    return text
