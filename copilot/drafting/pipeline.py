"""From a subject to a Draft: spec -> facts -> retrieval -> backend -> citations.

The guardrails run after this, in ``Copilot.draft`` (they sit in the layer above drafting).
Nothing here is specific to one surface.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from copilot.drafting.base import Backend, DraftRequest
from copilot.drafting.draft import Citation, Draft, Section, render_markdown
from copilot.drafting.markdown import cited_ids, parse_sections
from copilot.drafting.registry import get_backend
from copilot.drafting.specs import Subject, spec_for
from copilot.facts.people import people_of
from copilot.records.models import SHARED_ACCOUNT
from copilot.records.secrets import mask

if TYPE_CHECKING:
    from copilot.config import Settings
    from copilot.records.store import Store
    from copilot.search.passage import Passage

__all__ = ["Workspace", "build_request", "build_subject", "citations_for", "make_draft", "scrub_draft", "snippet_of",
           "redraft_section", "splice_sections", "template_sections"]

PASSAGES_K = 8
SNIPPET_CHARS = 240


class Workspace(Protocol):
    """What drafting needs of a home: its records, its search and its settings (``Copilot`` is one)."""

    store: Store
    settings: Settings

    def search(self, account_id: str, query: str, k: int = 8, **filters: object) -> list[Passage]: ...


def build_subject(ws: Workspace, kind: str, subject_id: str, *, as_of: datetime | None = None,
                  quarter: str | None = None) -> Subject:
    """The facts of one artifact, with its account, subject id, title and retrieval query."""
    return spec_for(kind).build(ws.store, ws.search, subject_id, as_of, quarter)


def citations_for(store: Store, source_ids: list[str]) -> list[Citation]:
    """A ``Citation`` per cited id, with its account (None when shared), kind and a snippet.

    An id the store does not know is still listed (kind ``unknown``) so the citation check
    can report it.
    """
    found = {}
    for chunk in store.chunks_for_sources(source_ids):
        for key in (chunk.source_id, chunk.record_id):
            if key in source_ids and (key not in found or chunk.source_id == key):
                found[key] = chunk
    out = []
    for sid in source_ids:
        chunk = found.get(sid)
        if chunk is None:
            out.append(Citation(source_id=sid, account_id=None, kind="unknown", snippet=""))
            continue
        account = None if chunk.account_id == SHARED_ACCOUNT else chunk.account_id
        out.append(Citation(source_id=sid, account_id=account, kind=chunk.kind, snippet=snippet_of(chunk.text)))
    return out


def snippet_of(text: str, limit: int = SNIPPET_CHARS) -> str:
    """A citation's snippet: credentials masked first (a cut never leaves half a key), then cut."""
    return mask(text)[:limit]


def scrub_draft(draft: Draft) -> Draft:
    """``draft`` with credentials masked in what travels beside its Markdown: citation snippets
    and facts (display data). The Markdown is left as written: it is what the guardrails check,
    and a credential in it blocks the draft."""
    citations = [c.model_copy(update={"snippet": snippet_of(c.snippet, len(c.snippet) + 64)})
                 for c in draft.citations]
    return draft.model_copy(update={"citations": citations, "facts": _mask_value(draft.facts)})


def _mask_value(value: object) -> object:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [_mask_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask_value(v) for k, v in value.items()}
    return value


def build_request(ws: Workspace, kind: str, subject_id: str, engine: Backend, *, as_of: datetime | None = None,
                  quarter: str | None = None) -> DraftRequest:
    """The facts, plus retrieved passages when ``engine`` reads them: what a backend drafts from."""
    spec = spec_for(kind)
    subject = build_subject(ws, spec.kind, subject_id, as_of=as_of, quarter=quarter)
    request = DraftRequest(kind=spec.kind, account_id=subject.account_id, subject_id=subject.subject_id,
                           title=subject.title, facts=subject.facts.model_dump(mode="json"),
                           as_of=getattr(subject.facts, "as_of", None))
    if getattr(engine, "uses_passages", True):  # LLMs write prose from passages; the template does not read them
        account = subject.account_id
        request.passages = ws.search(account, subject.query, k=PASSAGES_K)
        everyone, _ = people_of(ws.store.plan(account), ws.store.tickets(account), ws.store.incidents(account))
        request.people = sorted(everyone)
    return request


def redraft_section(ws: Workspace, draft: Draft, section: str, *, backend: str | Backend | None = None,
                    as_of: datetime | None = None, base_url: str | None = None) -> Draft:
    """``draft`` with one section written again by ``backend`` (unchecked); the other sections untouched.

    The facts are built again for the draft's subject (as of ``as_of``, default the draft's own
    ``as_of``), the backend is asked for that section only, and its section replaces the old one.
    ``scores["section_backends"]`` and ``audit["section_redrafts"]`` say who wrote it.
    """
    from copilot.drafting.markdown import section_name
    from copilot.errors import InvalidInput

    name = section_name(draft.kind, section)
    if name is None:
        raise InvalidInput(f"a {draft.kind} has no section {section!r}; use one of: "
                           + ", ".join(s.name for s in draft.sections))
    engine = backend if isinstance(backend, Backend) else get_backend(backend, ws.settings, base_url=base_url)
    quarter = draft.subject_id.partition(":")[2] or None
    subject = draft.subject_id.partition(":")[0] if quarter else draft.subject_id
    when = as_of or _as_of_of(draft)
    request = build_request(ws, draft.kind, subject, engine, as_of=when, quarter=quarter)
    request.sections = [name]
    new = engine.draft(request)
    written = new.section(name)
    if written is None:
        raise InvalidInput(f"{engine.name} wrote no {name!r} section")
    spliced = splice_sections(ws.store, draft, {name: written}, (new.scores.get("section_backends") or {}).get(
        name, new.backend))
    redrafts = list(spliced.audit.get("section_redrafts", []))
    redrafts.append({"section": name, "backend": new.backend, "prompt_version": new.prompt_version,
                     **{k: v for k, v in new.audit.items() if k != "fact_table"}})
    spliced.audit = {**spliced.audit, "section_redrafts": redrafts}
    return spliced


def _as_of_of(draft: Draft) -> datetime | None:
    value = draft.facts.get("as_of") if draft.facts else None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def make_draft(ws: Workspace, kind: str, subject_id: str, *, backend: str | Backend | None = None,
               as_of: datetime | None = None, quarter: str | None = None, base_url: str | None = None) -> Draft:
    """Build the facts, retrieve context, draft with the backend and cite (unchecked)."""
    engine = backend if isinstance(backend, Backend) else get_backend(backend, ws.settings, base_url=base_url)
    request = build_request(ws, kind, subject_id, engine, as_of=as_of, quarter=quarter)
    draft = engine.draft(request)
    # a backend cannot move a draft to another kind, account or subject
    draft.kind, draft.account_id, draft.subject_id = request.kind, request.account_id, request.subject_id
    draft.title = draft.title or request.title
    draft.facts = request.facts
    draft.citations = citations_for(ws.store, cited_ids(draft.markdown))
    draft.finalize()
    return draft


def template_sections(kind: str, facts: dict) -> list[Section]:
    """The template backend's sections for ``facts`` (what a section falls back to)."""
    from copilot.drafting.template import render_template_markdown

    _, sections = parse_sections(render_template_markdown(kind, facts)[0], kind)
    return sections


def splice_sections(store: Store, draft: Draft, replacements: dict[str, Section], backend: str) -> Draft:
    """A copy of ``draft`` whose named sections are ``replacements`` (made by ``backend``), the others untouched.

    The Markdown, citations, hash and id are made again; the guardrail report is cleared (check it
    again), and ``scores["section_backends"]`` says which backend wrote each section.
    """
    backends = dict(draft.scores.get("section_backends") or {s.name: draft.backend for s in draft.sections})
    sections = []
    for section in draft.sections:
        new = replacements.get(section.name)
        sections.append(section if new is None else new.model_copy(update={"title": section.title}))
        if new is not None:
            backends[section.name] = backend
    markdown = render_markdown(draft.title, sections)
    _, sections = parse_sections(markdown, draft.kind)
    spliced = draft.model_copy(deep=True, update={"markdown": markdown, "sections": sections, "id": "",
                                                  "guardrails": None, "content_hash": ""})
    spliced.scores["section_backends"] = backends
    spliced.citations = citations_for(store, cited_ids(markdown))
    return spliced.finalize()
