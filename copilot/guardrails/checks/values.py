"""Values in the forms people write them, checked against the records they describe.

- a weekday or quarter label next to a date must be that date's (``Tuesday 2026-11-13`` when it
  was a Friday; ``Q3`` for a November date);
- a month-day and time written without a year (``Nov 13, 14:05 UTC``) must be one instant of
  the sources, not a day from one record and a time from another;
- a relative duration (``two hours after detection``) must be the gap between the record's own
  milestones, within the precision written or the hedge's documented range.

Numbers in words, magnitude suffixes, units, currencies and month-year phrases are atoms
(``copilot.guardrails.recognizers``) and grounded by the ``grounding`` check.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from copilot.drafting.draft import Finding
from copilot.guardrails.atom import Atom
from copilot.guardrails.calendar_labels import Label, date_of, labels_of
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block
from copilot.guardrails.registry import register
from copilot.guardrails.relative_durations import EVENTS, Relative, relatives_of
from copilot.records.models import Incident, Ticket

__all__ = ["check"]

NAME = "values"
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _reference(ctx: CheckContext) -> datetime:
    return ctx.as_of or ctx.draft.created_at


def _year_for(ctx: CheckContext, month: int, day: int) -> int:
    """The year a month-day written without one is read in: the year of that day in the sources
    (the nearest to the draft's reference time when several), else the nearest to that time."""
    ref = _reference(ctx).date()
    years = {d.year for d in ctx.universe.dates if (d.month, d.day) == (month, day)}
    if not years:
        years = {ref.year - 1, ref.year, ref.year + 1}
    options = []
    for year in years:
        try:
            options.append((abs((date(year, month, day) - ref).days), year))
        except ValueError:
            continue
    return min(options)[1] if options else ref.year


def _label_finding(ctx: CheckContext, label: Label) -> Finding | None:
    atom = label.dated
    year = _year_for(ctx, *atom.value) if atom.kind == "monthday" else 0
    day = date_of(atom, year)
    written = atom.text.strip()
    if label.kind == "weekday":
        if day.weekday() == label.value:
            return None
        if atom.kind == "datetime" and "UTC" not in atom.text and "Z" not in atom.text:
            if label.value in ((day - timedelta(days=1)).weekday(), (day + timedelta(days=1)).weekday()):
                return None  # a local date on the other side of midnight UTC
        return block(NAME, f"'{label.text}' does not match {written}: {day:%Y-%m-%d} is a {_DAYS[day.weekday()]}.",
                     (label.start, label.end), f"{day:%Y-%m-%d} is a {_DAYS[day.weekday()]}")
    quarter, q_year = label.value  # type: ignore[misc]
    actual = (day.month - 1) // 3 + 1
    if actual == quarter and (q_year is None or q_year == day.year):
        return None
    return block(NAME, f"'{label.text}' does not match {written}: {day:%Y-%m-%d} is in Q{actual} {day.year}.",
                 (label.start, label.end), f"Q{actual} {day.year}")


def _instant_findings(ctx: CheckContext, atoms: list[Atom]) -> list[Finding]:
    """A month-day directly followed by a time with a zone is one instant of the sources."""
    out = []
    universe = ctx.universe
    for first, second in zip(atoms, atoms[1:]):
        if first.kind != "monthday" or second.kind != "time" or not second.tz_explicit:
            continue
        if second.start - first.end > 5 or not (universe.grounds(first) and universe.grounds(second)):
            continue  # the grounding check reports a day or time found nowhere
        month, day = first.value
        if any((m.month, m.day, m.hour, m.minute) == (month, day, *second.value) for m in universe.minutes):
            continue
        same_day = sorted(f"{m:%H:%M}" for m in universe.minutes if (m.month, m.day) == (month, day))
        hint = f"times on that day in the sources: {', '.join(same_day[:4])} UTC" if same_day else ""
        out.append(block(NAME, f"'{ctx.markdown[first.start:second.end]}' is not an instant the sources state: "
                               f"that day and that time of day come from different events.",
                         (first.start, second.end), hint))
    return out


def _records_for(ctx: CheckContext, rel: Relative, atoms: list[Atom]) -> list[Any]:
    """The records a relative duration is about: those named on its line, else the draft's subject."""
    md = ctx.markdown
    line_start, line_end = md.rfind("\n", 0, rel.start) + 1, md.find("\n", rel.end)
    line_end = len(md) if line_end < 0 else line_end
    named = [ctx.account.record(a.value) or ctx.account.record(a.text) for a in atoms
             if a.kind == "id" and line_start <= a.start < line_end]
    ids = [m for marker in ctx.markers if line_start <= marker.start < line_end for m in marker.ids]
    named += [ctx.account.record(ctx.account.record_of(i) or "") for i in ids]
    records = [r for r in named if isinstance(r, (Incident, Ticket))]
    if records:
        return _unique(records)
    return _unique([r for r in (ctx.subject_incident, ctx.subject_ticket) if r is not None] or ctx.related_incidents)


def _unique(records: list[Any]) -> list[Any]:
    seen, out = set(), []
    for r in records:
        if r.id not in seen:
            seen.add(r.id)
            out.append(r)
    return out


def _fits(minutes: float, atom: Atom, within: bool) -> bool:
    stated = atom.value
    if within:
        return minutes <= stated + atom.tolerance
    if atom.hedge is not None:
        low, high = atom.hedge
        return low * stated - atom.tolerance <= minutes <= high * stated + atom.tolerance
    return abs(minutes - stated) <= max(atom.tolerance, 0.5)


def _fmt(minutes: float) -> str:
    minutes = round(minutes)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h {mins:02d}m"
    return f"{hours}h {mins:02d}m" if hours else f"{mins}m"


def _moments(record: Any, rel: Relative, labels: dict[str, str]) -> list[tuple[str, datetime]]:
    """``(label, time)`` the duration may lead to: the milestone its verb names, else every
    milestone and every timestamped event or comment of the record."""
    if rel.event_field:
        moment = getattr(record, rel.event_field, None)
        return [(labels[rel.event_field], moment)] if moment is not None else []
    out = [(label, getattr(record, f)) for f, label in labels.items()
           if f != rel.anchor_field and getattr(record, f, None) is not None]
    out += [("an event", e.at) for e in getattr(record, "events", [])]
    out += [("a comment", c.created_at) for c in getattr(record, "comments", [])]
    last_update = getattr(record, "last_customer_update_at", None)
    return out + ([("the last customer update", last_update)] if last_update else [])


def _relative_finding(ctx: CheckContext, rel: Relative, atoms: list[Atom]) -> Finding | None:
    labels = {field: label for _, field, label in EVENTS}
    gaps: list[tuple[str, str, float, datetime, datetime]] = []
    for record in _records_for(ctx, rel, atoms):
        anchor = getattr(record, rel.anchor_field, None)
        if anchor is None or (rel.event_field and rel.event_field == rel.anchor_field):
            continue
        for label, moment in _moments(record, rel, labels):
            minutes = (anchor - moment if rel.direction == "before" else moment - anchor).total_seconds() / 60
            if minutes < 0:
                continue
            if _fits(minutes, rel.duration, rel.direction == "within"):
                return None
            if label in labels.values():
                gaps.append((record.id, label, minutes, moment, anchor))
    if not gaps:
        return None  # the records do not have the milestones: nothing to recompute it from
    shown = "; ".join(f"{rid}: {label} at {moment.astimezone(timezone.utc):%H:%M} UTC, {_fmt(m)} "
                      f"{'before' if rel.direction == 'before' else 'after'} {rel.anchor_label} "
                      f"({anchor.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC)"
                      for rid, label, m, moment, anchor in gaps[:3])
    written = ctx.markdown[rel.start : rel.end]
    return block(NAME, f"'{written}' does not match the record: {shown}.", (rel.start, rel.end), gaps[0][0])


@register(NAME, description="weekday/quarter labels, instants without a year and relative durations match the records")
def check(ctx: CheckContext) -> list[Finding]:
    atoms = ctx.atoms
    text = ctx.masked
    out = [f for label in labels_of(text, atoms) if (f := _label_finding(ctx, label)) is not None]
    out += _instant_findings(ctx, atoms)
    out += [f for rel in relatives_of(text, atoms) if (f := _relative_finding(ctx, rel, atoms)) is not None]
    return out
