"""Commitments: promised dates, fixes, credits and guarantees that no source confirms.

The phrases come from the grammar (``copilot.guardrails.grammar``): guarantees and their
paraphrases, ETA expressions (relative and vague), compensation (direct and oblique). Each is
checked in its sentence:

- negated ("we cannot guarantee …", "we do not have an ETA") -> nothing;
- a record's own words (quoted, a verbatim clause of the cited source, a cited timeline event) ->
  nothing (``grammar.attribution``);
- told in the past ("credits were issued in 2023", "the fix was deployed within 2 hours") -> nothing;
- hedged ("may", "we hope", "we believe") -> warn instead of block.

Which drafts: guarantees in every draft (block in customer drafts, warn in internal briefs, where a
TAM quoting a customer's "make sure this never happens again" is common); ETAs, promised dates and
compensation only in customer drafts (an internal brief discusses them by design).

- guarantees are never confirmed;
- a fix/release/resolution promised for a date or time is confirmed only when a source states
  that date in the same breath as the work (a corrective action's due date, "deploy scheduled
  for …" in a ticket);
- a fix promised "within 2 hours", "by end of day", "early next week", "by Friday" is never confirmed;
- compensation is confirmed only when a source (not an injected instruction) mentions one.

Dates and ETAs in the ``## Next update`` section are comms, not commitments; a guarantee or a
credit written there is still blocked.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from copilot.drafting.draft import Finding
from copilot.guardrails.atoms import extract_atoms
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, sentence_span, snippet, warn
from copilot.guardrails.grammar.attribution import attributed
from copilot.guardrails.grammar.compensation import ANCHORS as COMPENSATION_ANCHORS
from copilot.guardrails.grammar.compensation import COMPENSATION, OFFER, find_compensation
from copilot.guardrails.grammar.eta import WORK_WORDS, find_etas
from copilot.guardrails.grammar.guarantee import ANCHORS as GUARANTEE_ANCHORS
from copilot.guardrails.grammar.guarantee import GUARANTEE_FORMS, find_guarantees
from copilot.guardrails.grammar.hedge import modal_hedged
from copilot.guardrails.grammar.negation import denies_commitment, negated
from copilot.guardrails.grammar.tense import past_event
from copilot.guardrails.registry import register

__all__ = [
    "compensation_confirmed",
    "COMPENSATION",
    "COMPENSATION_ANCHORS",
    "GUARANTEES",
    "GUARANTEE_ANCHORS",
    "WORK_WORDS",
    "check",
]

NAME = "commitments"

GUARANTEES = re.compile("|".join(f"(?:{rx.pattern})" for _kind, rx in GUARANTEE_FORMS), re.IGNORECASE)
"""Every guarantee form as one pattern (the injection check looks for an obeyed 'guarantee')."""

_UPDATE_TALK = re.compile(
    r"\b(?:next\s+update|update\s+(?:you|by|at|no\s+later)|send\s+(?:an?\s+)?update|status\s+update)\b", re.IGNORECASE
)
_SOURCE_WORK = re.compile(
    r"\b(?:fix|patch|release|deploy|rollout|roll out|due|eta|target|scheduled|planned|ship|upgrade|maintenance|"
    r"window|complete|restore|remediat)",
    re.IGNORECASE,
)
_DENIED = re.compile(
    r"\b(?:no|not|never|nor|without|cannot|can't|won't|isn't|aren't|doesn't|don't|declin\w*|reject\w*|refus\w*)\b",
    re.IGNORECASE,
)


_STOP = frozenset(
    """the a an and or to of for on in at by with from this that will be is are was were we our your
you it its as due owner status done open planned progress until after before than then into per""".split()
)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z0-9-]{2,}", text.lower()) if w not in _STOP}


def _confirmed_dates(ctx: CheckContext) -> dict[date | datetime, list[set[str]]]:
    """Dates (and exact times) a source states together with planned work — corrective-action and
    success-plan due dates, deploy windows in tickets — each with the words of what is due then."""
    acc = ctx.account
    out: dict[date | datetime, list[set[str]]] = {}
    for incident in acc.incidents.values():
        for action in incident.corrective_actions:
            if action.due:
                out.setdefault(action.due, []).append(_words(action.action))
    for item in ctx.plan.success_plan:
        if item.due:
            out.setdefault(item.due, []).append(_words(item.item))
    memo = acc.__dict__.setdefault("_commitment_memo", {})
    for sid, text in ctx.sources.items():
        if sid in acc.injected_sources:
            continue
        found = memo.get(sid)
        if found is None:
            found = []
            for line in re.split(r"(?<=[.!?])\s+|\n", text):
                if not _SOURCE_WORK.search(line):
                    continue
                for atom in extract_atoms(line):
                    if atom.kind == "date":
                        found.append((atom.value, _words(line)))
                    elif atom.kind == "datetime":
                        found.append((atom.value.date(), _words(line)))
                        found.append((atom.value, _words(line)))
            memo[sid] = found
        for key, words in found:
            out.setdefault(key, []).append(words)
    return out


def _date_confirmed(confirmed: dict[date | datetime, list[set[str]]], atom: Any, sentence: str) -> bool:
    """A source states this date for the same work (they share a content word)."""
    if atom.kind == "datetime":
        keys: list[Any] = [atom.value]
    elif atom.kind == "date":
        keys = [atom.value]
    else:
        keys = [
            d
            for d in confirmed
            if isinstance(d, date) and not isinstance(d, datetime) and (d.month, d.day) == atom.value
        ]
    words = _words(sentence)
    return any(words & context for key in keys for context in confirmed.get(key, []))


_CONFIRMING = re.compile(r"\b(?:issued|applied|approved|processed|agreed|granted|offered)\b", re.IGNORECASE)


def compensation_confirmed(ctx: CheckContext) -> bool:
    """Whether a source (not an injected instruction, not a runbook) states a credit or refund
    without negating it ("approved a 10% service credit", not "no refund offered")."""
    acc = ctx.account
    for sid, text in ctx.sources.items():
        if sid in acc.injected_sources or sid in acc.shared_sources:
            continue
        for phrase in find_compensation(text):
            start = max(text.rfind(". ", 0, phrase.start), text.rfind("\n", 0, phrase.start)) + 1
            end = text.find(". ", phrase.end)
            sentence = text[start : phrase.start] + " " + text[phrase.end : len(text) if end < 0 else end]
            if sentence.rstrip().endswith("?"):
                continue  # a question ("when are voided labels refunded?") confirms nothing
            if not _DENIED.search(sentence) and (OFFER.search(sentence) or _CONFIRMING.search(sentence)):
                return True
    return False


@register(NAME, description="no guarantees (any draft); no promised dates, ETAs or credits no source confirms (customer)")
def check(ctx: CheckContext) -> list[Finding]:
    found = _Found(ctx)
    for phrase in find_guarantees(ctx.masked, ctx.lower):
        found.add(phrase.start, phrase.end, f"'{phrase.text}' is a guarantee no record can back; say what is being "
                  "done to prevent a recurrence instead.", internal_warns=True)
    if not ctx.customer_facing:
        return found.out
    for phrase in find_etas(ctx.masked, ctx.lower):
        if found.comms(phrase.start) or not WORK_WORDS.search(found.sentence(phrase.start)[2]):
            continue
        found.add(phrase.start, phrase.end, f"'{phrase.text}' promises when the work lands, and no source confirms "
                  "that timing; say what is being done and when the next update comes instead.", past_exempt=True)
    confirmed_dates = _confirmed_dates(ctx)
    for atom in ctx.atoms:
        if atom.kind not in ("date", "datetime", "monthday") or found.comms(atom.start):
            continue
        a, _b, sent = found.sentence(atom.start)
        if not WORK_WORDS.search(sent) or not _promises(sent, ctx.masked[max(a, atom.start - 24) : atom.start]):
            continue
        if _date_confirmed(confirmed_dates, atom, sent):
            continue
        found.add(atom.start, atom.end, f"This promises work for {atom.text.strip()}, and no source states that date "
                  "for it; remove the date or cite the record that commits to it.")
    confirmed: bool | None = None
    for phrase in find_compensation(ctx.masked, ctx.lower):
        sent = found.sentence(phrase.start)[2]
        if phrase.kind == "direct" and not OFFER.search(sent):
            continue
        if confirmed is None:
            confirmed = compensation_confirmed(ctx)
        if confirmed:
            break
        found.add(phrase.start, phrase.end, f"'{phrase.text}' offers compensation that no record confirms; credits "
                  "and refunds go through the account team, not a draft.", past_exempt=True)
    return found.out


class _Found:
    """The findings of one draft: one per sentence, with the shared exemptions applied."""

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.out: list[Finding] = []
        self.seen: set[tuple[int, int]] = set()
        self.skip = ctx.section("next_update")

    def sentence(self, pos: int) -> tuple[int, int, str]:
        a, b = sentence_span(self.ctx.masked, pos)
        return a, b, self.ctx.masked[a:b]

    def comms(self, pos: int) -> bool:
        """Dates and ETAs in ``## Next update`` are comms; guarantees and credits there are not."""
        return self.skip is not None and self.skip.heading_start <= pos < self.skip.end

    def add(self, start: int, end: int, message: str, *, internal_warns: bool = False, past_exempt: bool = False) -> None:
        a, b, sent = self.sentence(start)
        rest = self.ctx.masked[a:start] + " " + self.ctx.masked[end:b]  # the phrase itself denies nothing
        if (a, b) in self.seen or negated(self.ctx.masked, a, start) or denies_commitment(rest):
            return
        if _UPDATE_TALK.search(sent) and not internal_warns:
            return
        if (past_exempt and past_event(sent)) or attributed(self.ctx, start, end):
            return
        soft = modal_hedged(self.ctx.masked, a, b) or (internal_warns and not self.ctx.customer_facing)
        self.seen.add((a, b))
        self.out.append((warn if soft else block)(NAME, message, (start, end), snippet(sent)))


_PAST = re.compile(r"\b(?:was|were|had|has\s+been|have\s+been|completed|done|went)\b", re.IGNORECASE)
_WILL = re.compile(
    r"\b(?:will|we'll|it'll|shall|going\s+to|expect\w*|ETA|estimated\s+(?:time|date|fix|resolution|completion)"
    r"|scheduled|planned|plan\s+to"
    r"|target\w*|aim\w*\s+to|no\s+later\s+than)\b",
    re.IGNORECASE,
)
_BY_DATE = re.compile(r"\b(?:by|before|no\s+later\s+than|on\s+or\s+before|until)\s+(?:the\s+)?$", re.IGNORECASE)


def _promises(sentence: str, before_date: str) -> bool:
    """Whether a sentence with a date promises work for it (not a record of work done)."""
    if _WILL.search(sentence):
        return True
    return bool(_BY_DATE.search(before_date)) and not _PAST.search(sentence)
