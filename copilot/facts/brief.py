"""Facts for an escalation brief (internal, for Engineering/SRE) about one ticket.

``brief_facts`` is pure (records in, facts out); ``build_brief_facts`` loads the records
and retrieves the runbooks that apply through the service.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import Field

from copilot.facts.common import (
    Fact,
    FactModel,
    first_sentence,
    format_duration,
    format_time,
    sentences,
    strip_salutation,
    utc_now,
)
from copilot.facts.evidence import EvidenceItem, extract_evidence
from copilot.facts.relevance import (
    PROCEDURE_HEADING,
    RUNBOOK_DEPTH,
    RUNBOOK_FLOOR,
    RUNBOOK_RETRIEVED,
    propose_runbooks,
)
from copilot.facts.text import (
    DEPLOYMENT,
    IMPACT,
    INTEGRATIONS,
    REGION,
    VERSION,
    find_all,
    find_sentences,
    find_steps,
    keyword_pattern,
    problem_statement,
    prose,
)
from copilot.facts.thread import ThreadState, now_line, thread_state, tried_line
from copilot.facts.versions import VersionFacts, version_facts
from copilot.records.models import AccountPlan, Comment, Incident, Runbook, Ticket
from copilot.records.redaction import mask_secrets
from copilot.records.source import RecordSource, require

if TYPE_CHECKING:
    from copilot.search.passage import Passage, Search

__all__ = [
    "BriefFacts",
    "CommsPlan",
    "EnvironmentFacts",
    "ImpactFacts",
    "RelatedRecord",
    "RunbookRef",
    "SeverityFacts",
    "TimelineEntry",
    "brief_facts",
    "build_brief_facts",
    "runbook_query",
]

_HEDGE = re.compile(r"\b(suspect\w*|might|may be|maybe|possibly|possible|likely|looks like|seems|hypothes\w*|"
                    r"could be|theory|we think|i think|appears to|my guess|probably)\b", re.IGNORECASE)
_NEXT = re.compile(r"\b(next step\w*|we will|we'll|going to|plan to|please (?:send|share|provide|attach|confirm|run)|"
                   r"can you (?:send|share|provide|attach|confirm|run)|need(?:s)? to (?:check|verify|confirm|collect)|"
                   r"todo|to do:)\b", re.IGNORECASE)
_SINCE = re.compile(
    r"\bsince\s+(?:about\s+|around\s+|approximately\s+|roughly\s+|approx\.?\s+)?(?P<v>(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(?:\s?UTC|Z)?|\d{1,2}:\d{2}(?:\s?(?:UTC|am|pm))?|"
    r"yesterday(?: \w+)?|this morning|last night|(?:last )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"the (?:upgrade|deploy\w*|release|migration|maintenance|update|change)(?: to [\w.]+)?|(?:v|version )\d[\w.]*))",
    re.IGNORECASE)
_STOP = {"the", "a", "an", "and", "or", "of", "in", "on", "for", "to", "is", "are", "with", "from", "after", "not",
         "when", "our", "we", "it", "at", "by", "be", "has", "have", "no", "api"}


class TimelineEntry(FactModel):
    at: datetime
    at_text: str
    kind: str  # opened | public_reply | customer_reply | internal_note | status
    text: str
    source_ids: list[str]


class ImpactFacts(FactModel):
    who: Fact
    how_many: list[Fact] = Field(default_factory=list)
    function: Fact | None = None
    since: Fact
    statements: list[Fact] = Field(default_factory=list)


class SeverityFacts(FactModel):
    current: str
    recommended: str
    definition: str
    matched_keywords: list[str] = Field(default_factory=list)
    change: str  # keep | raise | lower
    reason: str
    source_ids: list[str]


class EnvironmentFacts(FactModel):
    version: Fact | None = None  # the affected version (``versions.affected``)
    versions: VersionFacts = Field(default_factory=VersionFacts)
    region: Fact | None = None
    component: Fact | None = None
    deployment: list[Fact] = Field(default_factory=list)
    integrations: list[Fact] = Field(default_factory=list)


class RelatedRecord(FactModel):
    id: str
    kind: str  # ticket | incident
    title: str
    priority: str
    status: str
    opened_text: str
    reason: str


class RunbookRef(FactModel):
    id: str
    title: str
    source_ids: list[str]
    steps: list[Fact] = Field(default_factory=list)
    relevance: float | None = None  # see copilot.facts.relevance; None when matched by component
    reason: str = ""


class Recipient(FactModel):
    name: str
    role: str
    email: str = ""
    side: str  # customer | internal
    source_ids: list[str] = Field(default_factory=list)


class CommsPlan(FactModel):
    priority: str
    cadence_minutes: int
    cadence_text: str
    last_public_update: Fact | None = None
    next_update_due: datetime
    next_update_due_text: str
    basis: str  # "last public update" | "first response target"
    overdue: bool
    informed: list[Recipient] = Field(default_factory=list)
    source_ids: list[str]


class BriefFacts(FactModel):
    kind: str = "escalation_brief"
    ticket_id: str
    account_id: str
    account_name: str
    subject: str
    priority: str
    status: str
    opened_text: str
    as_of: datetime
    as_of_text: str
    summary: Fact
    state: ThreadState = Field(default_factory=ThreadState)
    tried: Fact | None = None
    now: Fact | None = None
    runbook_floor: float = RUNBOOK_FLOOR
    runbooks_considered: int = 0
    impact: ImpactFacts
    severity: SeverityFacts
    environment: EnvironmentFacts
    reproduction: list[Fact] = Field(default_factory=list)
    evidence: list[EvidenceItem] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    hypotheses: list[Fact] = Field(default_factory=list)
    next_steps: list[Fact] = Field(default_factory=list)
    related: list[RelatedRecord] = Field(default_factory=list)
    runbooks: list[RunbookRef] = Field(default_factory=list)
    comms: CommsPlan


# --- pieces --------------------------------------------------------------------------------


def _comments(ticket: Ticket, as_of: datetime) -> list[Comment]:
    """The comments up to ``as_of``; a first comment that repeats the description (Zendesk's
    API returns the description as comment one) is the description, not a reply."""
    out = [c for c in sorted(ticket.comments, key=lambda c: (c.created_at, c.id)) if c.created_at <= as_of]
    if out and ticket.description and out[0].body.strip() == ticket.description.strip():
        out = out[1:]
    return out


def _customer_texts(ticket: Ticket, comments: list[Comment]) -> list[tuple[str, str]]:
    texts = [(ticket.id, f"{ticket.subject}. {ticket.description}")]
    texts += [(c.id, c.body) for c in comments if c.author_role != "agent" and c.public]
    return texts


def _summary(ticket: Ticket) -> Fact:
    """The reporter's first two sentences of prose: an issue template's headings, prompts,
    checklists, fields, code blocks and logs are skipped."""
    parts = [s for s in sentences(strip_salutation(problem_statement(ticket.description))) if re.search(r"[a-z]{3}", s)]
    body = " ".join(parts[:2])
    if len(body) > 400:
        body = parts[0] if len(parts[0]) <= 400 else parts[0][:399].rsplit(" ", 1)[0] + "…"
    return Fact(value=body or ticket.subject, source_ids=[ticket.id])


def _impact(plan: AccountPlan, ticket: Ticket, texts: list[tuple[str, str]]) -> ImpactFacts:
    who = f"{plan.account.name}" + (f", reported by {ticket.requester}" if ticket.requester else "")
    statements = find_sentences(texts, IMPACT, limit=4)
    counts = re.compile(r"(?P<v>\d[\d,.]*\s*(?:%|percent)(?:\s+of\s+[a-z ]+?)?|\d[\d,]*\s+(?:of\s+(?:our|the)\s+)?"
                        r"[a-z-]*\s?(?:users|customers|stores|sites|warehouses|drivers|orders|shipments|requests|"
                        r"agents|employees|tenants|accounts|devices|locations|transactions|calls|labels|payments|"
                        r"clinics|branches|teams|carriers|depots|merchants|invoices|jobs|reports))\b", re.IGNORECASE)
    how_many = find_all(texts, counts, limit=4)
    since_match = find_all(texts, _SINCE, limit=1)
    since = (Fact(value=f"since {since_match[0].value}", source_ids=since_match[0].source_ids) if since_match
             else Fact(value=f"reported {format_time(ticket.created_at)}", source_ids=[ticket.id]))
    function = (Fact(value=ticket.component, source_ids=[ticket.id]) if ticket.component else None)
    return ImpactFacts(who=Fact(value=who, source_ids=[ticket.id]), how_many=how_many, function=function,
                       since=since, statements=statements)


def _severity(plan: AccountPlan, ticket: Ticket, texts: list[tuple[str, str]]) -> SeverityFacts:
    plan_source = f"plan:{plan.account.id}"
    policy = sorted(plan.severity_policy, key=lambda d: d.priority)
    for level in policy:
        pattern = keyword_pattern(level.keywords)
        if pattern is None:
            continue
        hits, sources = [], []
        for source_id, text in texts:
            for m in pattern.finditer(prose(text or "")):  # a word in a pasted config or log is not a statement
                word = m.group(0).lower()
                if word not in hits:
                    hits.append(word)
                if source_id not in sources:
                    sources.append(source_id)
        if hits:
            change = "keep" if level.priority == ticket.priority else (
                "raise" if level.priority < ticket.priority else "lower")
            quoted = ", ".join(f'"{h}"' for h in hits)
            verb = {"keep": "Keep", "raise": "Raise to", "lower": "Lower to"}[change]
            reason = (f"{verb} {level.priority}: the thread mentions {quoted}, which the account's severity policy "
                      f"ties to {level.priority} (\"{level.definition}\").")
            return SeverityFacts(current=ticket.priority, recommended=level.priority, definition=level.definition,
                                 matched_keywords=hits, change=change, reason=reason,
                                 source_ids=[*sources, plan_source])
    current = next((d for d in policy if d.priority == ticket.priority), None)
    definition = current.definition if current else ""
    reason = (f"Keep {ticket.priority}: no severity-policy keyword appears in the thread"
              + (f"; the policy defines {ticket.priority} as \"{definition}\"." if definition else "."))
    return SeverityFacts(current=ticket.priority, recommended=ticket.priority, definition=definition,
                         change="keep", reason=reason, source_ids=[ticket.id, plan_source])


def _environment(ticket: Ticket, texts: list[tuple[str, str]], comments: list[Comment]) -> EnvironmentFacts:
    def field_or_text(value: str, pattern: re.Pattern[str]) -> Fact | None:
        if value:
            return Fact(value=value, source_ids=[ticket.id])
        found = find_all(texts, pattern, limit=1)
        return found[0] if found else None

    staff = {c.id for c in comments if c.author_role == "agent"}
    sided = [(sid, text, "staff" if sid in staff else "customer") for sid, text in texts]
    deployment = find_all(texts, DEPLOYMENT, limit=3)
    versions = version_facts(sided, ticket.product_version, ticket.id, platform_names=deployment)
    return EnvironmentFacts(
        version=versions.affected,
        versions=versions,
        region=field_or_text(ticket.region, REGION),
        component=Fact(value=ticket.component, source_ids=[ticket.id]) if ticket.component else None,
        deployment=deployment,
        integrations=find_all(texts, INTEGRATIONS, limit=6),
    )


def _timeline(ticket: Ticket, comments: list[Comment]) -> list[TimelineEntry]:
    out = [TimelineEntry(at=ticket.created_at, at_text=format_time(ticket.created_at), kind="opened",
                         text=f"Ticket opened as {ticket.priority}" + (f" by {ticket.requester}" if ticket.requester else "")
                         + f": {ticket.subject}", source_ids=[ticket.id])]
    for c in comments:
        kind = "internal_note" if not c.public else ("public_reply" if c.author_role == "agent" else "customer_reply")
        label = {"internal_note": "internal note", "public_reply": "public reply", "customer_reply": "customer"}[kind]
        out.append(TimelineEntry(at=c.created_at, at_text=format_time(c.created_at), kind=kind,
                                 text=f"{c.author or 'unknown'} ({label}): {first_sentence(prose(c.body) or c.body, 220)}",
                                 source_ids=[c.id]))
    if ticket.resolved_at is not None and ticket.resolved_at >= ticket.created_at:
        out.append(TimelineEntry(at=ticket.resolved_at, at_text=format_time(ticket.resolved_at), kind="status",
                                 text=f"Ticket {ticket.status}", source_ids=[ticket.id]))
    return sorted(out, key=lambda e: e.at)


def _hypotheses(comments: list[Comment], runbooks: list[RunbookRef], state: ThreadState) -> list[Fact]:
    agent = [(c.id, c.body) for c in comments if c.author_role == "agent"]
    out = [Fact(value=h.value, source_ids=h.source_ids) for h in find_sentences(agent, _HEDGE, limit=4)]
    if state.finding is not None and all(state.finding.text != h.value for h in out):
        out.insert(0, Fact(value=f"{state.finding.text} ({state.finding.who}, staff, {state.finding.at_text}; "
                                 f"not yet confirmed as the root cause)", source_ids=state.finding.source_ids))
    for rb in runbooks[:1]:
        basis = (f"relevance {rb.relevance} is above the floor {RUNBOOK_FLOOR}" if rb.relevance is not None
                 else rb.reason)
        out.append(Fact(value=f"the symptoms may match runbook {rb.id} ({rb.title}): {basis}",
                        source_ids=rb.source_ids[:1]))
    return out


_LIST_ITEM = re.compile(r"^(?P<indent>\s*)(?:\d{1,2}[.)]|[-*•+])\s+(?P<step>\S.*)$")
_STEP_MAX = 500


def _whole_steps(text: str) -> list[str]:
    """List items of ``text`` with their wrapped continuation lines joined, so a step is
    never cut at a line break; without a list, its prose paragraphs (code blocks left out)."""
    steps: list[str] = []
    current: list[str] | None = None
    fenced = False
    for line in text.splitlines():
        if re.match(r"^\s*(?:```|~~~)", line):
            fenced = not fenced
            current = None
            continue
        if fenced:
            continue
        m = _LIST_ITEM.match(line)
        if m:
            current = [m.group("step").strip()]
            steps.append("")
        elif line.strip() and current is not None:
            current.append(line.strip())
        else:
            current = None
        if current is not None:
            steps[-1] = " ".join(current)
    if steps:
        return [s for s in steps if s]
    paragraphs = re.split(r"\n\s*\n", prose(text))
    return [" ".join(p.split()) for p in paragraphs if re.search(r"[a-z]{3}", p)]


def _runbook_steps(runbook: Runbook, limit: int = 4) -> list[Fact]:
    """The first steps of the runbook's diagnosis/mitigation sections, each quoted whole: a
    step longer than fits is cut at its last full sentence, never mid-sentence, else left out."""
    out: list[Fact] = []
    for section in runbook.sections:
        if not PROCEDURE_HEADING.search(section.heading):
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", section.heading.lower()).strip("-")
        for step in _whole_steps(section.text):
            if len(step) > _STEP_MAX:
                whole = ""
                for sentence in sentences(step):
                    if len(whole) + len(sentence) + 1 > _STEP_MAX:
                        break
                    whole = f"{whole} {sentence}".strip()
                step = whole
            if step:
                out.append(Fact(value=step, source_ids=[f"{runbook.id}#{slug}"]))
            if len(out) >= limit:
                return out
    return out


def _next_steps(comments: list[Comment], evidence: list[EvidenceItem], env: EnvironmentFacts,
                runbooks: list[RunbookRef]) -> list[Fact]:
    agent = [(c.id, c.body) for c in comments if c.author_role == "agent"]
    out = find_sentences(agent, _NEXT, limit=3)
    for item in [e for e in evidence if e.kind == "request_id"][:2]:
        out.append(Fact(value=f"Trace request {item.value} end to end in the service logs", source_ids=[item.source_id]))
    for item in [e for e in evidence if e.kind == "error_code"][:1]:
        out.append(Fact(value=f"Find where error {item.value} is raised and what triggers it",
                        source_ids=[item.source_id]))
    if env.version is not None:
        out.append(Fact(value=f"Check whether the issue reproduces on version {env.version.value}",
                        source_ids=env.version.source_ids))
    for rb in runbooks[:2]:
        out.extend(rb.steps[:3])
    return out


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z0-9-]{2,}", text.lower()) if w not in _STOP}


def _related(ticket: Ticket, tickets: list[Ticket], incidents: list[Incident], limit: int = 6) -> list[RelatedRecord]:
    out: list[tuple[int, datetime, RelatedRecord]] = []
    for inc in incidents:
        if inc.account_id != ticket.account_id or ticket.id not in inc.related_tickets:
            continue
        out.append((0, inc.started_at, RelatedRecord(
            id=inc.id, kind="incident", title=inc.title, priority=inc.priority, status=inc.status,
            opened_text=format_time(inc.started_at), reason=f"incident {inc.id} lists this ticket")))
    linked = {tid for inc in incidents if ticket.id in inc.related_tickets for tid in inc.related_tickets}
    subject_words = _words(ticket.subject)
    own_tags = {t.lower() for t in ticket.tags if not VERSION.fullmatch(t) and not re.match(r"^v?\d", t)}
    for other in tickets:
        if other.id == ticket.id or other.account_id != ticket.account_id:
            continue
        reasons, rank = [], 9
        if other.id in linked:
            reasons.append("linked to the same incident")
            rank = 1
        if ticket.component and other.component.lower() == ticket.component.lower():
            reasons.append(f"same component {ticket.component}")
            rank = min(rank, 2)
        shared_tags = sorted(own_tags & {t.lower() for t in other.tags})
        if shared_tags and not ticket.component:
            reasons.append("shared tags " + ", ".join(shared_tags[:3]))
            rank = min(rank, 3)
        overlap = subject_words & _words(other.subject)
        if len(overlap) >= 2:
            reasons.append("similar subject")
            rank = min(rank, 4)
        if reasons:
            out.append((rank, other.created_at, RelatedRecord(
                id=other.id, kind="ticket", title=other.subject, priority=other.priority, status=other.status,
                opened_text=format_time(other.created_at), reason="; ".join(reasons))))
    out.sort(key=lambda r: (r[0], -r[1].timestamp()))
    return [r for _, _, r in out[:limit]]


def _runbooks(ticket: Ticket, runbooks: list[Runbook], passages: list[Passage], codes: set[str],
              query: str, limit: int = 2) -> list[RunbookRef]:
    """The runbooks that apply. A retrieved runbook must be proposable
    (``copilot.facts.relevance.propose_runbooks``: above the relevance floor and about the
    symptom) or name one of the ticket's error codes; a runbook whose component is the ticket's
    applies without retrieval. Ranked by error-code hit, component match, relevance. A second
    runbook is kept only when it names one of the error codes too."""
    by_id = {rb.id: rb for rb in runbooks}
    relevance = dict(propose_runbooks(query, passages, runbooks))
    sources: dict[str, list[str]] = {}
    for p in _retrieved(passages):
        if p.record_id in by_id and p.source_id not in sources.setdefault(p.record_id, []):
            sources[p.record_id].append(p.source_id)
    component = ticket.component.lower()

    def comp_match(rb: Runbook) -> bool:
        return bool(component) and (rb.component.lower() == component or component in {t.lower() for t in rb.tags})

    def code_hit(rb: Runbook) -> bool:
        text = rb.title + " " + " ".join(s.text for s in rb.sections)
        return any(re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text) for code in codes)

    candidates = [rb for rb in runbooks if comp_match(rb) or rb.id in relevance
                  or (rb.id in sources and code_hit(rb))]
    candidates.sort(key=lambda rb: (not code_hit(rb), not comp_match(rb), -relevance.get(rb.id, 0.0), rb.id))
    chosen = candidates[:1] + [rb for rb in candidates[1:limit] if code_hit(rb)]
    out = []
    for rb in chosen:
        steps = _runbook_steps(rb)
        ids = sources.get(rb.id) or [s for step in steps for s in step.source_ids][:1] or [rb.id]
        reason = ("it names the ticket's error code" if code_hit(rb) else
                  f"its component is the ticket's ({ticket.component})" if comp_match(rb) else "")
        out.append(RunbookRef(id=rb.id, title=rb.title, source_ids=list(dict.fromkeys(ids)), steps=steps,
                              relevance=relevance.get(rb.id) if not reason else None, reason=reason))
    return out


def _comms(plan: AccountPlan, ticket: Ticket, comments: list[Comment], as_of: datetime) -> CommsPlan:
    target = plan.sla.for_priority(ticket.priority)
    public_agent = [c for c in comments if c.public and c.author_role == "agent"]
    last = public_agent[-1] if public_agent else None
    if last is not None:
        due, basis = last.created_at + timedelta(minutes=target.update_cadence_minutes), "last public update"
        last_fact = Fact(value=format_time(last.created_at), source_ids=[last.id])
    else:
        due, basis = ticket.created_at + timedelta(minutes=target.first_response_minutes), "first response target"
        last_fact = None
    informed: list[Recipient] = []
    if ticket.requester:
        informed.append(Recipient(name=ticket.requester, role="requester", side="customer", source_ids=[ticket.id]))
    people = [f"plan:{plan.account.id}#stakeholders"]
    for c in plan.stakeholders:
        if c.status != "active" or c.name == ticket.requester:
            continue
        if c.internal:
            informed.append(Recipient(name=c.name, role=c.title or "account team", email=c.email, side="internal",
                                      source_ids=[f"plan:{plan.account.id}"]))
        elif c.buying_role in ("champion", "technical_buyer") or (
                ticket.priority == "P1" and c.buying_role == "economic_buyer"):
            informed.append(Recipient(name=c.name, role=c.title or c.buying_role, email=c.email, side="customer",
                                      source_ids=people))
    if ticket.assignee and all(r.name != ticket.assignee for r in informed):
        informed.append(Recipient(name=ticket.assignee, role="assignee", side="internal", source_ids=[ticket.id]))
    return CommsPlan(
        priority=ticket.priority, cadence_minutes=target.update_cadence_minutes,
        cadence_text=format_duration(target.update_cadence_minutes), last_public_update=last_fact,
        next_update_due=due, next_update_due_text=format_time(due), basis=basis,
        overdue=ticket.is_open and as_of > due, informed=informed,
        source_ids=[f"plan:{plan.account.id}"] + ([last.id] if last else [ticket.id]))


def _retrieved(passages: list[Passage]) -> list[Passage]:
    """The runbook passages that count as retrieved (the rest only score runbooks' opening sections)."""
    return [p for p in passages if p.kind == "runbook"][:RUNBOOK_RETRIEVED]


def runbook_query(ticket: Ticket) -> str:
    """The retrieval query used to find the runbooks for a ticket: its subject, component and
    the first sentence of the reporter's prose (not an issue template's first heading)."""
    return " ".join(x for x in [ticket.subject, ticket.component,
                                first_sentence(mask_secrets(problem_statement(ticket.description)), 200)] if x)


# --- the brief -----------------------------------------------------------------------------


def brief_facts(plan: AccountPlan, ticket: Ticket, tickets: list[Ticket], incidents: list[Incident],
                runbooks: list[Runbook], passages: list[Passage], as_of: datetime) -> BriefFacts:
    """All facts of an escalation brief, from records only (pure).

    Args:
        tickets, incidents: the same account's records (others are ignored).
        runbooks: all runbooks (shared); ``passages``: retrieved passages, of which the
            runbook ones pick the runbooks that apply (plus any whose component matches).
        as_of: the moment the brief is written; later comments are ignored.
    """
    # secrets never enter a draft, not even an internal one (contacts may: the brief is internal)
    ticket = ticket.model_copy(update={"description": mask_secrets(ticket.description)})
    comments = [c.model_copy(update={"body": mask_secrets(c.body)}) for c in _comments(ticket, as_of)]
    customer = _customer_texts(ticket, comments)
    everything = [(ticket.id, f"{ticket.subject}\n{ticket.description}")] + [(c.id, c.body) for c in comments]
    env = _environment(ticket, everything, comments)
    evidence = extract_evidence(everything)
    codes = {e.value for e in evidence if e.kind == "error_code" and re.match(r"^E-?\d", e.value)}
    rbs = _runbooks(ticket, runbooks, passages, codes, runbook_query(ticket))
    opening = Comment(id=ticket.id, ticket_id=ticket.id, author=ticket.requester or "the requester",
                      author_role="customer", created_at=ticket.created_at, body=ticket.description)
    state = thread_state([opening, *comments] if ticket.description.strip() else comments)
    summary = _summary(ticket)
    return BriefFacts(
        ticket_id=ticket.id, account_id=plan.account.id, account_name=plan.account.name, subject=ticket.subject,
        priority=ticket.priority, status=ticket.status, opened_text=format_time(ticket.created_at),
        as_of=as_of, as_of_text=format_time(as_of),
        summary=summary,
        state=state,
        tried=tried_line(state, skip=summary.value),
        now=now_line(state, ticket.status, ticket.id),
        runbooks_considered=len({p.record_id for p in _retrieved(passages)}),
        impact=_impact(plan, ticket, customer),
        severity=_severity(plan, ticket, customer),
        environment=env,
        reproduction=find_steps(everything),
        evidence=evidence,
        timeline=_timeline(ticket, comments),
        hypotheses=_hypotheses(comments, rbs, state),
        next_steps=_next_steps(comments, evidence, env, rbs),
        related=_related(ticket, tickets, incidents),
        runbooks=rbs,
        comms=_comms(plan, ticket, comments, as_of),
    )


def build_brief_facts(source: RecordSource, search: Search, ticket_id: str,
                      as_of: datetime | None = None) -> BriefFacts:
    """Load the ticket and its account's records, retrieve runbooks with ``search``, and build the facts."""
    ticket = require(source.ticket(ticket_id), "ticket", ticket_id, "`list tickets --account ID` shows the ids")
    plan = require(source.plan(ticket.account_id), "account", ticket.account_id)
    passages = search(ticket.account_id, runbook_query(ticket), k=RUNBOOK_DEPTH, kinds=["runbook"])
    return brief_facts(plan, ticket, source.tickets(ticket.account_id), source.incidents(ticket.account_id),
                       source.runbooks(), passages, as_of or utc_now())
