"""Records to chunks: the passages retrieval returns and citations name.

Chunk ids are ``<source id>@<content hash[:12]>``: stable while the text is unchanged, so
re-ingesting an unchanged record embeds nothing and a changed ticket re-embeds only the
passages whose text changed.

Credentials pasted into tickets, chats or runbooks are masked (``[redacted secret]``, by the
one recognizer registry) before a chunk is stored or embedded: the index, the citation
snippets and every answer built from it never hold a usable key.
"""

from __future__ import annotations

import hashlib
import re

from copilot.records.models import SHARED_ACCOUNT, AccountPlan, Incident, Runbook, Ticket
from copilot.records.secrets import mask
from copilot.records.store import Chunk

__all__ = ["chunks_for_incident", "chunks_for_plan", "chunks_for_runbook", "chunks_for_ticket", "section_slug"]

MAX_CHARS = 1800  # ~400 tokens; MiniLM reads 256 word pieces, longer text is split


def _chunk(source_id: str, record_id: str, kind: str, account_id: str, text: str,
           **metadata: object) -> Chunk:
    text = mask(text)
    digest = hashlib.sha256(f"{account_id}\n{text}".encode()).hexdigest()[:12]
    return Chunk(id=f"{source_id}@{digest}", record_id=record_id, source_id=source_id, kind=kind,
                 account_id=account_id, text=text, metadata={k: v for k, v in metadata.items() if v is not None})


def _split(text: str) -> list[str]:
    """Split long text on paragraph boundaries into pieces of at most ``MAX_CHARS`` (credentials
    masked first, so a cut never leaves half a key unrecognisable)."""
    text = mask(text)
    if len(text) <= MAX_CHARS:
        return [text]
    pieces, current = [], ""
    for para in re.split(r"\n\s*\n", text):
        while len(para) > MAX_CHARS:
            pieces.append(para[:MAX_CHARS])
            para = para[MAX_CHARS:]
        if current and len(current) + len(para) + 2 > MAX_CHARS:
            pieces.append(current)
            current = ""
        current = f"{current}\n\n{para}" if current else para
    if current:
        pieces.append(current)
    return pieces


def chunks_for_ticket(ticket: Ticket) -> list[Chunk]:
    head = f"[{ticket.id}] {ticket.subject}"
    common = {"priority": ticket.priority, "status": ticket.status}
    body = f"{head}\nPriority {ticket.priority}, status {ticket.status}, opened {ticket.created_at:%Y-%m-%d %H:%M} UTC.\n{ticket.description}"
    out = []
    for i, piece in enumerate(_split(body)):
        sid = ticket.id if i == 0 else f"{ticket.id}#d{i}"
        out.append(_chunk(sid, ticket.id, "ticket", ticket.account_id, piece,
                          created_ts=int(ticket.created_at.timestamp()), **common))
    for comment in ticket.comments:
        visibility = "public reply" if comment.public else "internal note"
        text = f"{head}\n{comment.author} ({visibility}, {comment.created_at:%Y-%m-%d %H:%M} UTC):\n{comment.body}"
        for i, piece in enumerate(_split(text)):
            sid = comment.id if i == 0 else f"{comment.id}#p{i}"
            out.append(_chunk(sid, ticket.id, "comment", ticket.account_id, piece,
                              created_ts=int(comment.created_at.timestamp()), public=comment.public, **common))
    return out


def chunks_for_incident(incident: Incident) -> list[Chunk]:
    head = f"[{incident.id}] {incident.title}"
    summary = "\n".join(x for x in [
        head, f"Priority {incident.priority}, status {incident.status}, started {incident.started_at:%Y-%m-%d %H:%M} UTC.",
        incident.summary, incident.customer_impact and f"Customer impact: {incident.customer_impact}",
        incident.workaround and f"Workaround: {incident.workaround}",
        incident.root_cause.summary and f"Root cause ({incident.root_cause.status}): {incident.root_cause.summary}",
    ] if x)
    out = [_chunk(incident.id, incident.id, "incident", incident.account_id, summary,
                  created_ts=int(incident.started_at.timestamp()), priority=incident.priority)]
    for event in incident.events:
        if event.time_resolved:
            when, created_ts = f"{event.at:%Y-%m-%d %H:%M} UTC", int(event.at.timestamp())
        else:  # ``at`` only keeps the entry's place: show the time as written, date it nowhere
            written = f'time as written "{event.time_written}"' if event.time_written else "no time given"
            when, created_ts = f"({written}; no UTC time: {event.time_basis or 'the source gives none'})", None
        text = f"{head}\n{when} {event.author}: {event.text}"
        out.append(_chunk(event.id, incident.id, "event", incident.account_id, text,
                          created_ts=created_ts, priority=incident.priority))
    return out


def section_slug(heading: str, index: int) -> str:
    """The part after ``#`` in a runbook section's source id (``RB-x#<slug>``; a long section's
    later pieces add ``-1``, ``-2``…)."""
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-") or f"s{index}"


def chunks_for_runbook(runbook: Runbook) -> list[Chunk]:
    out = []
    for i, section in enumerate(runbook.sections):
        slug = section_slug(section.heading, i)
        text = f"Runbook {runbook.id}: {runbook.title} — {section.heading}\n{section.text}"
        for j, piece in enumerate(_split(text)):
            sid = f"{runbook.id}#{slug}" + (f"-{j}" if j else "")
            out.append(_chunk(sid, runbook.id, "runbook", SHARED_ACCOUNT, piece))
    return out


def chunks_for_plan(plan: AccountPlan) -> list[Chunk]:
    acc = plan.account
    rid = f"plan:{acc.id}"
    parts = {
        "contract": f"{acc.name} account plan. Tier {plan.contract.tier}, ARR {plan.contract.arr:,.0f} "
                    f"{plan.contract.currency}, renewal {plan.contract.renewal_date}. Objectives: "
                    + "; ".join(plan.objectives),
        "value": "Value realized: " + "; ".join(f"{v.id} {v.outcome} ({v.metric} {v.baseline} -> {v.current})"
                                                 for v in plan.value_realization),
        "risks": "Risks: " + "; ".join(f"{r.id} {r.title} (likelihood {r.likelihood}, impact {r.impact}; "
                                         f"mitigation: {r.mitigation}; owner {r.owner})" for r in plan.risks),
        "success-plan": "Success plan: " + "; ".join(f"{s.id} {s.item} (owner {s.owner}, due {s.due}, {s.status})"
                                                      for s in plan.success_plan),
        "stakeholders": "Stakeholders: " + "; ".join(
            f"{c.name}, {c.title} ({c.buying_role}, {c.status})" for c in plan.stakeholders if not c.internal),
    }
    return [_chunk(f"{rid}#{name}", rid, "plan", acc.id, f"{acc.name} — {text}")
            for name, text in parts.items()]
