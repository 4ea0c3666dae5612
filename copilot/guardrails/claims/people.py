"""People and their roles: ``Owen Fletcher (requester)``, ``assigned to Sam Okafor``, ``escalated by
Dana Reyes, the customer's SRE lead``.

Two kinds of role are compared: a role *on the record* (requester, assignee, resolver; who opened,
reported, escalated or resolved it) with that ticket's fields and the people who wrote in it, and a
person's *title* (``Head of SRE``, ``champion``, ``our TAM``) with the account plan's stakeholder
entry for that person. A title is only judged when the plan knows the person's own title; a title
that is nobody's and not this person's is wrong, and so is a customer called "our" or an internal
person called "the customer's". Data first, then one recognizer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from copilot.guardrails.claims.claim import Claim, RecordView
from copilot.records.models import AccountPlan

__all__ = ["RECORD_ROLES", "Roster", "role_claims"]

RECORD_ROLES: dict[str, str] = {
    "requester": "requester", "requestor": "requester", "reporter": "requester", "opened by": "requester",
    "requested by": "requester", "filed by": "requester", "submitted by": "requester",
    "reported by": "reporter", "raised by": "reporter", "escalated by": "reporter", "flagged by": "reporter",
    "assignee": "assignee", "assigned to": "assignee", "assigned": "assignee", "handled by": "assignee",
    "resolver": "resolver", "resolved by": "resolver", "fixed by": "resolver", "solved by": "resolver",
}
"""A word for a person's part in a record -> which of the record's people it must be."""

_ROLE_WORD = "|".join(sorted((re.escape(w) for w in RECORD_ROLES if " " not in w), key=len, reverse=True))
_BY_VERB = "|".join(sorted((re.escape(w) for w in RECORD_ROLES if " " in w), key=len, reverse=True))
BEFORE = re.compile(
    rf"(?:\b(?P<by>{_BY_VERB})|(?:^|[\s(:;,])(?:the\s+|our\s+|their\s+)?(?P<word>{_ROLE_WORD}))[:,]?\s+(?:is\s+)?$",
    re.IGNORECASE,
)
"""Right before a name: ``requested by``, ``assignee``, ``the requester,``, ``escalated by``."""
AFTER = re.compile(
    r"^(?:,\s+who|\s+(?:has|had|first|originally|initially))?\s+(?P<verb>opened|filed|submitted|raised|reported|"
    r"escalated|resolved|fixed|solved)\s+(?:the\s+|this\s+)?(?:ticket|issue|case|incident|problem|outage|it\b|"
    r"[A-Z][A-Z0-9]+-\d+)"
    r"|^\s+(?:is|was)\s+(?:the\s+)?(?:ticket's\s+|incident's\s+)?(?P<word>requester|requestor|reporter|assignee|resolver)\b",
    re.IGNORECASE,
)
"""Right after a name: ``Sam Okafor opened the ticket``, ``, who raised the issue``, ``is the assignee``."""
VERB_ROLE = {"opened": "opened by", "filed": "filed by", "submitted": "submitted by", "raised": "raised by",
             "reported": "reported by", "escalated": "escalated by", "resolved": "resolved by", "fixed": "fixed by",
             "solved": "solved by"}
PAREN = re.compile(r"^\s*\((?P<role>[^(),;\n@:/\d]{2,40})[,)]")
"""Right after a name: ``(requester)``, ``(Head of SRE, anika@…)``."""
APPOSITIVE = re.compile(
    r"^,\s+(?P<side>the\s+customer's|their|our|your|(?:the\s+)?[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)*'s|the)\s+"
    r"(?P<role>[\w&/-]+(?:\s+[\w&/-]+){0,4}?)(?=\s*(?:[,.;:()\n]|$)|\s+(?:who|which|that|and|said|says|is|was|"
    r"has|had|will|confirmed|reported|asked|wrote|at|on|in|for|from|to|with)\b)",
)
"""Right after a name: ``, the customer's SRE lead``, ``, our TAM``."""

GENERIC = frozenset({
    "contact", "contacts", "stakeholder", "person", "colleague", "team", "user", "users", "customer", "side",
    "representative", "rep", "account", "member", "people", "admin", "engineer", "engineers", "lead", "head",
    "of", "the", "and", "for", "a", "an", "main", "primary", "key", "point", "poc", "on", "call", "on-call",
})
"""Words that say nothing about which person is meant (a title is judged on its other words)."""
_FILLER = frozenset({"the", "of", "and", "for", "a", "an", "on"})
_SYNONYMS = {"vp": "vice president", "cio": "chief information officer", "cto": "chief technology officer",
             "ceo": "chief executive officer", "cfo": "chief financial officer", "ciso": "chief information security officer",
             "tam": "technical account manager", "sre": "site reliability engineering", "it": "information technology",
             "eng": "engineering", "ops": "operations"}


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    title: str
    buying_role: str
    function: str
    internal: bool


class Roster:
    """The plan's stakeholders by name, and every title in the plan (to tell "someone else's")."""

    def __init__(self, plan: AccountPlan) -> None:
        self.people = {c.name.lower(): Person(c.name, c.title, c.buying_role.replace("_", " "),
                                            c.function, c.internal)
                       for c in plan.stakeholders}
        self.source = f"plan:{plan.account.id}"

    def get(self, name: str) -> Person | None:
        return self.people.get(name.lower())

    def title_at(self, text: str, pos: int) -> str | None:
        """The longest plan title written at ``text[pos:]``: a title may hold a comma
        (``Engineering Manager, Fulfilment Systems``), where a pattern would stop."""
        ahead = text[pos : pos + 120].lower()
        return max((p.title for p in self.people.values() if p.title and ahead.startswith(p.title.lower())),
                   key=len, default=None)

    def holder_of(self, role: str, not_name: str) -> Person | None:
        """Another stakeholder whose title is exactly ``role``, else one whose title ``role`` describes."""
        key, words = _words(role, keep_generic=True), _words(role)
        others = [p for p in self.people.values() if p.name.lower() != not_name.lower()]
        exact = next((p for p in others if key and _words(p.title, keep_generic=True) == key), None)
        if exact is not None or not words:
            return exact
        return next((p for p in others if _describes(words, p)), None)


@lru_cache(maxsize=4096)
def _words(text: str, *, keep_generic: bool = False) -> frozenset[str]:
    """The words of a title, spelled out (``VP`` -> vice president) and singular; without
    ``keep_generic`` only the distinctive ones."""
    out: set[str] = set()
    for w in re.split(r"[\s/,&-]+", text.lower()):
        w = w.strip("().'’")
        if w.endswith("'s"):
            w = w[:-2]
        for part in _SYNONYMS.get(w, w).split():
            part = part[:-1] if len(part) > 3 and part.endswith("s") else part
            if part and (part not in GENERIC or (keep_generic and part not in _FILLER)):
                out.add(part)
    return frozenset(out)


TITLE_NOUNS = frozenset({
    "manager", "lead", "head", "director", "officer", "engineer", "architect", "vp", "president", "chief", "cto",
    "cio", "ceo", "cfo", "ciso", "admin", "administrator", "analyst", "owner", "sponsor", "buyer", "champion",
    "controller", "specialist", "tam", "sre", "developer", "consultant", "coordinator", "executive", "requester",
    "assignee", "resolver", "reporter", "commander", "procurement", "counsel", "founder"})
"""Words that make a parenthesis a title (``(Head of SRE)``) rather than a label (``(public reply)``)."""

SOFT = frozenset({"technical", "account", "manager", "director", "sponsor", "senior", "principal", "staff",
                  "executive"})
"""Words a paraphrase may add to a title ("executive sponsor" for a CIO whose function is executive)."""


def _own(person: Person) -> frozenset[str]:
    return _words(person.title) | _words(person.buying_role) | _words(person.function)


def _describes(words: frozenset[str], person: Person) -> bool:
    """Every distinctive word of the stated role is one of the person's (title, buying role, function)."""
    own, core = _own(person), words - SOFT
    return core <= own if core else bool(words & own)


def _record_people(view: RecordView, role: str) -> set[str]:
    """The names a record-role word may be true of (empty: the record does not say)."""
    record = view.record
    requester = getattr(record, "requester", "") or ""
    assignee = getattr(record, "assignee", "") or ""
    comments = getattr(record, "comments", [])
    events = getattr(record, "events", [])
    if role == "requester":
        names = {requester}
    elif role == "assignee":
        names = {assignee}
    elif role == "reporter":
        names = {requester} | {c.author for c in comments if c.author_role == "customer"}
        names |= {e.author for e in events} if not requester else set()
    else:  # resolver
        names = {assignee} | {c.author for c in comments if c.author_role == "agent"} | {e.author for e in events}
        names |= {a.owner for a in getattr(record, "corrective_actions", [])}
    return {n for n in names if n}


def _side_wrong(side: str, person: Person) -> bool:
    """"our X" is one of us; "the customer's X" is one of them ("their"/"your"/"Acme's" TAM are both)."""
    side = " ".join(side.lower().split())
    if side == "our":
        return not person.internal
    return person.internal and side == "the customer's"


def role_claims(
    text: str, names: Iterable[tuple[int, int, str]], view_at: Callable[[int], RecordView | None], roster: Roster,
) -> list[Claim]:
    """Role claims about each ``(start, end, name)`` in ``text``.

    Args:
        view_at: the record a position's sentence speaks of (the record it names, else the subject).
    """
    out: list[Claim] = []
    for start, end, name in names:
        before = BEFORE.search(text, max(0, start - 30), start)
        if before is not None and before.end() == start:
            word = (before.group("by") or before.group("word")).lower()
            out += _record_claim(view_at(start), name, word, (before.start(), end))
        after = text[end : end + 80]
        acted = AFTER.match(after)
        if acted is not None:
            word = VERB_ROLE[acted.group("verb").lower()] if acted.group("verb") else acted.group("word").lower()
            out += _record_claim(view_at(start), name, word, (start, end + acted.end()), text[start : end + acted.end()])
        paren = PAREN.match(after)
        appos = APPOSITIVE.match(after)
        if paren is not None:
            role, span = _whole_title(roster, text, paren.group("role").strip(), end + paren.start("role"))
            if role.lower() in RECORD_ROLES:
                out += _record_claim(view_at(start), name, role.lower(), span)
            elif TITLE_NOUNS & set(re.split(r"[\s/-]+", role.lower())) or roster.holder_of(role, name):
                out += _title_claim(roster, name, role, "", span)
        elif appos is not None:
            role, (_, role_end) = _whole_title(roster, text, appos.group("role").strip(), end + appos.start("role"))
            span = (end + appos.start("side"), role_end)
            if role.lower() in RECORD_ROLES:
                out += _record_claim(view_at(start), name, role.lower(), span)
            else:
                out += _title_claim(roster, name, role, appos.group("side"), span)
    return out


def _record_claim(
    view: RecordView | None, name: str, word: str, span: tuple[int, int], stated: str = "",
) -> list[Claim]:
    if view is None:
        return []
    role = RECORD_ROLES[word]
    allowed = _record_people(view, role)
    if not allowed:
        return []
    ok = name.lower() in {n.lower() for n in allowed}
    recorded = ", ".join(sorted(allowed))
    said = {"requester": f"the requester is {recorded}", "assignee": f"the assignee is {recorded}",
            "reporter": f"it was raised by {recorded}", "resolver": f"the people who worked on it are {recorded}"}
    message = "" if ok else (
        f"'{stated or f'{word} {name}'}' is not true of {view.id}: per the {view.kind} record {said[role]}. "
        f"(Someone named elsewhere in the account is not this record's {role}.)")
    return [Claim(view.id, role, stated or f"{word} {name}", span, ok, recorded, message)]


def _whole_title(roster: Roster, text: str, role: str, at: int) -> tuple[str, tuple[int, int]]:
    """``role`` written at ``at``, extended to a longer plan title written there, and its span."""
    full = roster.title_at(text, at)
    if full is not None and len(full) > len(role):
        role = text[at : at + len(full)]
    return role, (at, at + len(role))


def _title_claim(roster: Roster, name: str, role: str, side: str, span: tuple[int, int]) -> list[Claim]:
    person = roster.get(name)
    if person is None:
        return []
    words = _words(role)
    if side and _side_wrong(side, person):
        where = "our own team (internal)" if person.internal else "the customer"
        return [Claim(roster.source, "role", f"{side} {role}", span, False, where,
                      f"{name} is on {where} per the account plan, not '{side} {role}'.")]
    key = _words(role, keep_generic=True)
    if key and key == _words(person.title, keep_generic=True):
        return [Claim(roster.source, "role", role, span, True, person.title)]  # the person's own title
    holder = roster.holder_of(role, name)
    someone_elses = holder is not None and key == _words(holder.title, keep_generic=True)
    if not someone_elses and (not words or _describes(words, person)):
        return [Claim(roster.source, "role", role, span, True, person.title)]
    own = person.title or person.buying_role
    if holder is None and (not own or (words - SOFT) & _own(person)):
        return []  # a paraphrase that shares the title's distinctive words, or a person the plan gives no title
    whose = f" ('{role}' describes {holder.name}, {holder.title or holder.buying_role})" if holder else ""
    return [Claim(roster.source, "role", role, span, False, own,
                  f"{name} is not the {role}: per the account plan {name} is {own or 'listed without a title'}{whose}.")]
