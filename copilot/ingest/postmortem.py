"""Post-incident reports: Markdown documents (or Confluence exports converted to Markdown).

A report is recognised by a heading that says "Timeline" together with one that names a
post-incident part (summary, impact, root cause, contributing factors, action items,
resolution, lessons learned) or front matter ``kind: postmortem``. It becomes one
:class:`Incident`: title, summary, customer impact, root cause (confirmed: the published
report states it), contributing factors and corrective actions from their sections, and one
event per timeline entry (resolved to UTC with its basis, see
:mod:`copilot.ingest.postmortem_timeline`). Milestone times come from what the entries say
(:mod:`copilot.ingest.milestone_phrases`); impact start falls back to the earliest entry.

The account is front matter ``account:`` (a plan id, name or alias), else the nearest
folder named after a known account; otherwise the file is quarantined, never guessed.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import ValidationError

from copilot.ingest.base import AccountResolver, ParseResult
from copilot.ingest.clock_stamps import find_date
from copilot.ingest.clock_zones import find_zone, statement_zone
from copilot.ingest.files import FileProblem, read_text
from copilot.ingest.milestone_phrases import assign_milestones
from copilot.ingest.postmortem_timeline import DocumentContext, TimelineEntry, resolve_entries, timeline_entries
from copilot.ingest.rows import RowError, describe_validation_error, entry, optional_str, unexpected
from copilot.ingest.runbooks import split_front_matter
from copilot.ingest.severity import normalize_incident_status, normalize_priority
from copilot.records.models import CorrectiveAction, Incident, IncidentEvent, RootCause

__all__ = ["PostmortemIngestor", "is_postmortem", "parse_postmortem"]

DEFAULT_PRIORITY = "P2"
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_PIR_HEADING = re.compile(r"summary|impact|root ?cause|contributing|action items?|corrective|resolution|"
                          r"lessons|follow[- ]?ups?|remediation|detection|what happened", re.IGNORECASE)
_SECTIONS = {
    "summary": re.compile(r"^(?:executive |incident )?summary|^overview|^what happened", re.IGNORECASE),
    "impact": re.compile(r"^(?:customer |user )?impact", re.IGNORECASE),
    "root_cause": re.compile(r"root ?cause", re.IGNORECASE),
    "factors": re.compile(r"contributing|why it (?:wasn't|was not) caught|what went (?:poorly|wrong)", re.IGNORECASE),
    "actions": re.compile(r"action items?|corrective|follow[- ]?ups?|remediation|next steps", re.IGNORECASE),
}
_LABEL_LINE = re.compile(r"^\s*(?:\*\*|__)?(?P<key>date|severity|priority|status)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*:?\s*(?P<value>.+)$",
                         re.IGNORECASE | re.MULTILINE)
_LIST_ITEM = re.compile(r"^(?P<indent>\s*)(?:[-*+]|\d+[.)])\s+(?P<text>.+)$")
_CAUSE = re.compile(r"\broot[- ]?cause (?:was|is|of (?:the|this) (?:incident|outage) (?:was|is))\b|\bwas caused by\b"
                    r"|\b(?:outage|incident|issue|failure) (?:was )?caused by\b", re.IGNORECASE)
_CAUSAL = re.compile(r"\b(?:inadvertently |unintentionally |accidentally |which |that )?caused (?!by\b)\w"
                     r"|\bdue (?:to )?(?:a|an|the|its|our|their|this|that)\b|\b(?:was|were|is|as) (?:a |the )?(?:direct )?"
                     r"result of\b|\bbecause (?:of )?(?:a|an|the|its|our|their|this|that)\b", re.IGNORECASE)
"""A summary's causal sentence: "X caused Y", "Y due to X", "Y was a result of X", "because of X"."""
_HEDGE = re.compile(r"\b(?:might|maybe|possibly|probably|suspect\w*|likely|unclear|not (?:yet )?(?:known|confirmed))\b|\?",
                    re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])?")  # inline and reference links -> their text
_NOT_PROSE = re.compile(r"appendix|chat|log|attendees|stats", re.IGNORECASE)
_OWNER = re.compile(r"\bOwners?:\s*(?P<owner>@?[\w.-]+(?: [A-Z][\w-]+)?)")


class _Section:
    def __init__(self, level: int, heading: str) -> None:
        self.level, self.heading, self.lines = level, heading, []

    def text(self) -> str:
        return "\n".join(self.lines).strip()


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    """YAML (``---``) or TOML (``+++``) front matter after any HTML comment header."""
    text = _COMMENT.sub("", text).lstrip("\n ")
    if text.startswith("+++"):
        end = text.find("\n+++", 3)
        if end == -1:
            raise RowError("TOML front matter opened with '+++' is never closed", "close it with a '+++' line")
        try:
            return tomllib.loads(text[3:end]), text[end + 4:]
        except tomllib.TOMLDecodeError as exc:
            raise RowError(f"malformed TOML front matter: {exc}", "fix the front matter, then re-ingest") from None
    return split_front_matter(text)


def _sections(body: str) -> tuple[str, list[_Section]]:
    """``(prose before the first heading, sections)``; headings inside code fences are text."""
    sections: list[_Section] = []
    lead: list[str] = []
    fenced = False
    for line in body.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        if match:
            sections.append(_Section(len(match.group(1)), match.group(2).strip()))
        elif sections:
            sections[-1].lines.append(line)
        else:
            lead.append(line)
    return "\n".join(lead), sections


def _subtree(sections: list[_Section], index: int) -> str:
    """A section's text with its sub-sections (until the next heading of its level or higher)."""
    level = sections[index].level
    parts = [sections[index].text()]
    for sub in sections[index + 1:]:
        if sub.level <= level:
            break
        parts.append(f"{'#' * sub.level} {sub.heading}\n\n{sub.text()}")
    return "\n\n".join(parts)


def is_postmortem(text: str) -> bool:
    """Whether Markdown ``text`` reads as a post-incident report (see the module docstring)."""
    try:
        meta, body = _front_matter(text)
    except RowError:
        return False
    kind = optional_str(meta.get("kind") or meta.get("type")).lower().replace("-", "")
    if kind in ("postmortem", "postincidentreport", "pir", "incidentreport"):
        return True
    _lead, sections = _sections(body)
    headings = [s.heading for s in sections]
    return any("timeline" in h.lower() for h in headings) and any(_PIR_HEADING.search(h) for h in headings)


def _paragraph(text: str, limit: int = 600) -> str:
    """The first paragraph of prose (list markers and emphasis kept as plain text)."""
    for block in re.split(r"\n\s*\n", text):
        lines = [re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", ln.strip()) for ln in block.splitlines()
                 if ln.strip() and not ln.lstrip().startswith(("|", "```", "#"))]
        joined = " ".join(lines)
        joined = _LINK.sub(r"\1", joined).replace("**", "")
        if joined:
            return joined if len(joined) <= limit else joined[: limit - 1].rsplit(" ", 1)[0] + "…"
    return ""


def _items(text: str) -> list[str]:
    """Top-level list items (wrapped lines joined, nested items folded into their parent)."""
    items: list[str] = []
    base: int | None = None
    for line in text.splitlines():
        match = _LIST_ITEM.match(line)
        if match and (base is None or len(match.group("indent")) <= base):
            base = len(match.group("indent"))
            items.append(match.group("text").strip())
        elif items and line.strip() and not line.lstrip().startswith("#"):
            items[-1] += ("; " if match else " ") + (match.group("text") if match else line).strip()
    clean = [_LINK.sub(r"\1", i).replace("**", "").replace("✅", "").strip() for i in items]
    return [c for c in clean if c]


class _Document:
    """One report being read: front matter, sections, labelled lines."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.meta, body = _front_matter(text)
        self.lead, self.sections = _sections(body)
        self.body = body
        self.labels = {m.group("key").lower(): m.group("value").strip().strip("*_ ")
                       for m in reversed(list(_LABEL_LINE.finditer(body)))}

    def title(self) -> str:
        heading = next((s.heading for s in self.sections if s.level == 1), "")
        return optional_str(self.meta.get("title")) or heading or self.path.stem

    def section(self, kind: str) -> str:
        pattern = _SECTIONS[kind]
        for i, sec in enumerate(self.sections):
            if pattern.search(sec.heading) and "timeline" not in sec.heading.lower():
                return _subtree(self.sections, i)
        return ""

    def stated_cause(self) -> str:
        """A sentence of the report's prose that states the cause, for reports without a
        root-cause section; ``""`` when none does. Two patterns, in order: an explicit cause
        anywhere in the prose ("The root cause was …", "… was caused by …"), else a causal
        sentence of the introduction or the summary (:data:`_CAUSAL`: "a change … caused …",
        "… due to a node …", "… was a result of …"). Hedged sentences never count."""
        prose = [self.lead] + [s.text() for s in self.sections
                               if "timeline" not in s.heading.lower() and not _NOT_PROSE.search(s.heading)]
        summary = [self.lead, self.section("summary")]
        for pattern, texts in ((_CAUSE, prose), (_CAUSAL, summary)):
            for text in texts:
                for sentence in re.split(r"(?<=[.!?])\s+", " ".join(_paragraph(b, 10_000)
                                                                   for b in re.split(r"\n\s*\n", text))):
                    if pattern.search(sentence) and not _HEDGE.search(sentence):
                        return sentence.strip()[:600]
        return ""

    def timelines(self) -> list[str]:
        return [_subtree(self.sections, i) for i, s in enumerate(self.sections) if "timeline" in s.heading.lower()]

    def context(self) -> DocumentContext:
        ctx = DocumentContext()
        for source, text in (("front matter 'date'", optional_str(self.meta.get("date"))),
                             (f"the title '{self.title()}'", self.title()),
                             ("the document's 'Date:' line", self.labels.get("date", "")),
                             ("the first dated sentence of the document", self.body)):
            found = find_date(text)
            if found is not None and found.year is not None:
                ctx.doc_date, ctx.doc_date_basis = found.with_year(None), source
                break
        if self.meta.get("timezone"):
            ctx.front_matter_zone = find_zone(optional_str(self.meta.get("timezone")))
        ctx.doc_zone = statement_zone(self.body)
        return ctx


def _account(doc: _Document, resolver: AccountResolver) -> str:
    named = optional_str(doc.meta.get("account"))
    if named:
        if resolver.known(named):
            return named
        found = resolver.by_customer_name(named)
        if found:
            return found
        raise RowError(f"front matter account {named!r} is not a known account plan id, name or alias",
                       f"set 'account:' to one of: {', '.join(resolver.account_ids) or 'none'}, then re-ingest")
    for folder in doc.path.resolve().parents:
        if resolver.known(folder.name):
            return folder.name
        found = resolver.by_customer_name(folder.name)
        if found:
            return found
    raise RowError("the post-mortem names no account",
                   "add front matter 'account: <plan id>' or put the file in a folder named after the "
                   f"account id (known: {', '.join(resolver.account_ids) or 'none'}), then re-ingest")


def _priority(doc: _Document) -> str:
    raw = optional_str(doc.meta.get("priority") or doc.meta.get("severity")) or doc.labels.get("severity", "") \
        or doc.labels.get("priority", "")
    for candidate in (raw, raw.split(" ")[0] if raw else ""):
        try:
            return normalize_priority(candidate)
        except ValueError:
            continue
    return DEFAULT_PRIORITY


def _status(doc: _Document) -> str:
    raw = optional_str(doc.meta.get("status")) or doc.labels.get("status", "")
    try:
        return normalize_incident_status(raw.split(" ")[0]) if raw else "resolved"
    except ValueError:
        return "resolved"


def _events(incident_id: str, entries: list[TimelineEntry]) -> list[IncidentEvent]:
    resolved = [(i, e) for i, e in enumerate(entries) if e.at is not None]
    items = [(e.at, e.text) for _, e in resolved]
    marks = assign_milestones(items)  # type: ignore[arg-type]
    if "impact_start" not in marks and resolved:
        first = min(range(len(items)), key=lambda j: items[j][0])  # type: ignore[arg-type, return-value]
        items[first] = (items[first][0], "")  # the earliest entry carries impact start and nothing else
        marks = {**assign_milestones(items, {"impact_start": items[first][0]}), "impact_start": first}  # type: ignore[arg-type, dict-item]
        entries[resolved[first][0]].basis += "; taken as impact start: the report states none, this is its earliest entry"
    milestone_at = {resolved[j][0]: name for name, j in marks.items()}
    events: list[IncidentEvent] = []
    anchor = min((e.at for _, e in resolved), default=None)  # type: ignore[type-var]
    for i, item in enumerate(entries):
        anchor = item.at or anchor
        if anchor is None:
            continue
        milestone = milestone_at.get(i, "")
        events.append(IncidentEvent(
            id=f"{incident_id}:t{i + 1:03d}", incident_id=incident_id, at=anchor,
            kind="milestone" if milestone else "message", text=item.text or item.written or "(no text)",
            milestone=milestone, source_id=f"{incident_id}:t{i + 1:03d}",  # type: ignore[arg-type]
            author=_author(item.text), time_written=item.written, time_basis=item.basis,
            time_resolved=item.at is not None,
        ))
    return events


def _author(text: str) -> str:
    """The person an entry opens with (``@name …`` or ``[name] …``), else ``""``."""
    match = re.match(r"^\s*(?:@([A-Za-z][\w-]*)|\[@?([A-Za-z][\w-]*)\](?!\())\s", text or "")
    return (match.group(1) or match.group(2)) if match else ""


def _actions(doc: _Document) -> list[CorrectiveAction]:
    out = []
    for n, item in enumerate(_items(doc.section("actions")), start=1):
        owner = _OWNER.search(item)
        out.append(CorrectiveAction(id=f"AI-{n}", action=item[:400], owner=owner.group("owner") if owner else "",
                                    status="done" if item.lower().startswith(("done", "[x]")) else "open"))
    return out


def _incident(path: Path, text: str, resolver: AccountResolver) -> Incident:
    doc = _Document(path, text)
    account_id = _account(doc, resolver)
    incident_id = optional_str(doc.meta.get("id")) or f"PM-{re.sub(r'[^A-Za-z0-9]+', '-', path.stem).strip('-')}"
    ctx = doc.context()
    entries = [e for section in doc.timelines() for e in timeline_entries(section)]
    if not entries:
        raise RowError("the timeline section has no entries",
                       "write the timeline as a table (time | event) or a list ('- 14:05 UTC: …')")
    resolve_entries(entries, ctx)
    events = _events(incident_id, entries)
    if not events:
        raise RowError(f"none of the {len(entries)} timeline entries has a time that resolves to UTC "
                       f"({entries[0].basis})",
                       "state the time zone ('All times in UTC.') and a date (in the entries, a date line, "
                       "the title or front matter 'date'), then re-ingest")
    times = {e.milestone: e.at for e in events if e.kind == "milestone"}
    root_text = _paragraph(doc.section("root_cause")) or doc.stated_cause()
    return Incident(
        id=incident_id, account_id=account_id, title=doc.title(), priority=_priority(doc),  # type: ignore[arg-type]
        status=_status(doc), source_file=str(path),  # type: ignore[arg-type]
        summary=_paragraph(doc.section("summary") or doc.lead), customer_impact=_paragraph(doc.section("impact")),
        started_at=times["impact_start"], detected_at=times.get("detected"), engaged_at=times.get("engaged"),
        mitigated_at=times.get("mitigated"), resolved_at=times.get("resolved"),
        root_cause=RootCause(status="confirmed", summary=root_text, source=incident_id) if root_text else RootCause(),
        contributing_factors=[f[:400] for f in _items(doc.section("factors"))],
        corrective_actions=_actions(doc), events=events,
    )


def parse_postmortem(path: Path, resolver: AccountResolver) -> ParseResult:
    """Read one post-incident report into an :class:`Incident` (or one quarantine entry)."""
    try:
        text = read_text(path)
    except FileProblem as problem:
        return ParseResult(quarantine=[problem.entry(path)])
    try:
        incident = _incident(path, text, resolver)
    except ValidationError as exc:
        return ParseResult(quarantine=[entry(path, "", f"invalid post-mortem: {describe_validation_error(exc)}")])
    except RowError as err:
        return ParseResult(quarantine=[entry(path, "", err.reason, err.action)])
    except Exception as exc:
        return ParseResult(quarantine=[unexpected(path, "", exc)])
    return ParseResult(incidents=[incident])


class PostmortemIngestor:
    """``*.md`` / ``*.markdown`` post-incident reports (checked before runbooks)."""

    name = "postmortems"

    def matches(self, path: Path, data: object | None) -> bool:
        if path.suffix.lower() not in (".md", ".markdown") or path.name.lower().startswith("readme"):
            return False
        try:
            return is_postmortem(read_text(path))
        except FileProblem:
            return False

    def parse(self, path: Path, data: object | None, resolver: AccountResolver) -> ParseResult:
        return parse_postmortem(path, resolver)

