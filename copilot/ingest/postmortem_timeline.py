"""The timeline of a post-incident report: its entries, each resolved to UTC with the basis.

A timeline is a Markdown table (a time column and event column(s)) or a list of entries
that start with a time, under a heading that says "Timeline". Where each part of a time
comes from, first match wins:

- **zone**: written in the entry (``2:54 PM PST``); stated in the timeline section or its
  table header (``All times in UTC.``, ``Date and Time in CET``, ``Time (UTC)``); the
  document's front matter ``timezone``; stated elsewhere in the document.
- **date**: written in the entry (``2019-12-05``, ``Jan 14``, ``03-26``: a missing year is the
  one nearest the document's date); a date line or heading above the entry in the section;
  a date stated in the section ("all events happened on 2019-10-21"); the document's date
  (front matter ``date``, the title, a ``Date:`` line, else the first dated sentence).
- **past midnight**: an entry on the same written date whose clock time is more than 12
  hours before the previous entry's is on the next day (timelines written in order whose
  date was not advanced at midnight).

An entry without a usable clock time (``--:--``, ``14:??``, ``HH:mm``, no time at all),
date or zone stays in the timeline as unresolved: its basis says what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from copilot.ingest.clock_stamps import PartialDate, Stamp, find_date, parse_stamp, split_stamp
from copilot.ingest.clock_zones import Zone, statement_zone

__all__ = ["DocumentContext", "TimelineEntry", "resolve_entries", "timeline_entries"]

_BULLET = re.compile(r"^(?P<indent>\s*)(?:[-*+]|\d+[.)])\s+(?P<text>.*)$")
_SEPARATOR_CELL = re.compile(r"^:?-{2,}:?$")
_TIME_HEADER = re.compile(r"\b(?:time|date|when)\b", re.IGNORECASE)


@dataclass
class DocumentContext:
    """What the document says about times outside the timeline entries."""

    doc_date: date | None = None
    doc_date_basis: str = ""
    doc_zone: tuple[Zone, str] | None = None
    front_matter_zone: Zone | None = None


@dataclass
class TimelineEntry:
    """One entry as written, then as resolved (``at`` is None when unresolved)."""

    written: str
    text: str
    stamp: Stamp | None
    zone: tuple[Zone, str] | None = None  # the section/table statement in force
    section_date: tuple[PartialDate, str] | None = None  # date line or section statement in force
    at: datetime | None = None
    basis: str = ""
    local: datetime | None = field(default=None, repr=False)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _table_entries(rows: list[str], zone: tuple[Zone, str] | None,
                   day: tuple[PartialDate, str] | None) -> list[TimelineEntry]:
    header = _cells(rows[0])
    body = [r for r in rows[1:] if not all(_SEPARATOR_CELL.match(c) for c in _cells(r) if c)]
    column = next((i for i, c in enumerate(header) if _TIME_HEADER.search(c)), 0)
    header_zone = statement_zone(header[column]) if column < len(header) else None
    if header_zone is not None:
        header_zone = (header_zone[0], f"table header '{header[column]}'")
    out = []
    for row in body:
        cells = _cells(row)
        if not any(cells):
            continue
        cell = cells[column] if column < len(cells) else ""
        text = " — ".join(c for i, c in enumerate(cells) if i != column and c)
        text = re.sub(r"\s*<br\s*/?>\s*", " ", text)
        out.append(TimelineEntry(cell, text, parse_stamp(cell), header_zone or zone, day))
    return out


def timeline_entries(section: str) -> list[TimelineEntry]:
    """The entries of one timeline section's text, in published order (nothing resolved yet)."""
    stated = statement_zone(_preamble(section))
    zone = (stated[0], f"the timeline section says '{stated[1]}'") if stated else None
    day: tuple[PartialDate, str] | None = None
    pre = find_date(_preamble(section))
    if pre is not None:
        day = (pre, f"the timeline section says '{_line_with_date(_preamble(section))}'")
    out: list[TimelineEntry] = []
    lines = section.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("|"):
            rows = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(lines[i])
                i += 1
            if len(rows) >= 2:
                out += _table_entries(rows, zone, day)
            continue
        i += 1
        bullet = _BULLET.match(line)
        body = bullet.group("text") if bullet else line.strip()
        stamp, rest = split_stamp(body)
        if stamp is not None and stamp.hour is None and not stamp.placeholder and not rest:
            day = (stamp.date, f"the date line '{stamp.written}' above the entry")  # a date marker line
            continue
        if stamp is None and not bullet:
            if body and not body.startswith("#") and (found := find_date(body)) and len(body) <= 60:
                day = (found, f"the date line '{body.strip('*# ')}' above the entry")
            continue
        while i < len(lines) and lines[i].strip() and not _BULLET.match(lines[i]) \
                and not lines[i].lstrip().startswith(("|", "#")) and lines[i][:1].isspace():
            rest += " " + lines[i].strip()  # wrapped continuation line
            i += 1
        rest = re.sub(r"(?:\*\*|__)\s*$", "", rest.strip()).strip()
        out.append(TimelineEntry(stamp.written if stamp else "", rest if stamp else body, stamp, zone, day))
    return out


def _preamble(section: str) -> str:
    """The section's prose before its first entry (where a zone or date is stated for all)."""
    out = []
    for line in section.splitlines():
        if line.lstrip().startswith("|") or _BULLET.match(line) or split_stamp(line.strip())[0]:
            break
        out.append(line)
    return "\n".join(out)


def _line_with_date(text: str) -> str:
    joined = " ".join(text.split())
    return next((s.strip() for s in re.split(r"(?<=[.!?])\s+", joined) if find_date(s)), joined)[:120]


def _zone_for(entry: TimelineEntry, ctx: DocumentContext) -> tuple[Zone, str] | None:
    if entry.stamp is not None and entry.stamp.zone is not None:
        return entry.stamp.zone, "the zone written in the entry"
    if entry.zone is not None:
        return entry.zone
    if ctx.front_matter_zone is not None:
        return ctx.front_matter_zone, "front matter 'timezone'"
    if ctx.doc_zone is not None:
        return ctx.doc_zone[0], f"the document says '{ctx.doc_zone[1]}'"
    return None


def _date_for(entry: TimelineEntry, ctx: DocumentContext) -> tuple[date, str] | None:
    written = entry.stamp.date if entry.stamp is not None else None
    if written is not None:
        reference = entry.section_date[0].with_year(ctx.doc_date) if entry.section_date else ctx.doc_date
        full = written.with_year(reference)
        if full is None:
            return None
        how = "date written in the entry"
        if written.year is None:
            how += f"; year {full.year} nearest the document's date"
        return full, how
    if entry.section_date is not None:
        full = entry.section_date[0].with_year(ctx.doc_date)
        return (full, f"date from {entry.section_date[1]}") if full else None
    if ctx.doc_date is not None:
        return ctx.doc_date, f"date from {ctx.doc_date_basis}"
    return None


def resolve_entries(entries: list[TimelineEntry], ctx: DocumentContext) -> list[TimelineEntry]:
    """Resolve each entry to UTC in place (see the module docstring); returns ``entries``."""
    previous: tuple[date, datetime] | None = None  # (date as written or inherited, local time)
    rollover = 0
    for entry in entries:
        stamp = entry.stamp
        if stamp is None or stamp.hour is None:
            shown = f"'{stamp.written}'" if stamp else "no time"
            entry.basis = f"unresolved: no usable clock time ({shown} as written)"
            continue
        day = _date_for(entry, ctx)
        zone = _zone_for(entry, ctx)
        if day is None or zone is None:
            missing = " and ".join(w for w, v in (("date", day), ("time zone", zone)) if v is None)
            entry.basis = f"unresolved: the document states no {missing} for '{stamp.written}'"
            continue
        local = datetime.combine(day[0], datetime.min.time()).replace(hour=stamp.hour, minute=stamp.minute)
        if previous is not None and previous[0] == day[0]:
            if local + timedelta(days=rollover) < previous[1] - timedelta(hours=12):
                rollover += 1
        else:
            rollover = 0
        basis = day[1]
        if rollover:
            basis += f"; after {previous[1]:%H:%M} on the same written date, read as past midnight (+{rollover} day)"
        previous = (day[0], local + timedelta(days=rollover))
        local += timedelta(days=rollover)
        entry.local = local
        entry.at = zone[0].to_utc(local)
        entry.basis = f"{basis}; zone {zone[0].describe(local)} ({zone[1]})"
    return entries
