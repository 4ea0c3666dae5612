"""Commitments in customer-facing drafts: promised dates, fixes, credits and guarantees that
no source confirms.

- guarantees ("will never happen again", "we guarantee", "100% uptime") are never confirmed;
- a fix/release/resolution promised for a date or time is confirmed only when a source states
  that date in the same breath as the work (a corrective action's due date, "deploy scheduled
  for …" in a ticket);
- a fix promised "within 2 hours", "by end of day", "in the next release" is never confirmed;
- a credit or refund is confirmed only when a source (not an injected instruction) mentions one.

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
from copilot.guardrails.findings import block, scan, sentence_span, snippet
from copilot.guardrails.registry import register

__all__ = [
    "compensation_confirmed",
    "COMPENSATION",
    "COMPENSATION_ANCHORS",
    "GUARANTEES",
    "GUARANTEE_ANCHORS",
    "RELATIVE_ETA",
    "WORK_WORDS",
    "check",
]

NAME = "commitments"

GUARANTEES = re.compile(
    r"\b(?:(?:will|would|should|shall)\s+never\s+(?:happen|occur|recur)(?:\s+again)?|never\s+happen\s+again"
    r"|(?:will|won't|will\s+not)\s+(?:happen|occur|recur)\s+again|we\s+(?:can\s+)?guarantee|guaranteed?\b"
    r"|(?:100\s?%|one hundred percent)\s+(?:uptime|availability|reliab\w+)|we\s+promise|i\s+promise"
    r"|(?:permanently|completely)\s+(?:fixed|resolved|eliminated)|(?:cannot|can't|won't|will\s+not)\s+(?:ever\s+)?(?:recur|happen\s+again|occur\s+again)|(?:ensure|make sure)\s+(?:that\s+)?(?:this|it)\s+"
    r"(?:never|won't|will not|cannot|can't)\s+(?:happen|occur|recur))",
    re.IGNORECASE,
)
"""Promises no record can confirm."""
GUARANTEE_ANCHORS = (
    "never",
    "again",
    "guarantee",
    "uptime",
    "availab",
    "reliab",
    "promise",
    "permanently",
    "completely",
)

WORK_WORDS = re.compile(
    r"\b(?:fix(?:es|ed)?|patch(?:es|ed)?|hotfix|release[sd]?|deploy\w*|roll(?:ed|ing)?\s+out|rollout|resolv\w*"
    r"|restor\w*|ship(?:s|ped)?|remediat\w*|mitigat\w*|upgrade[sd]?|available|back\s+to\s+normal|fully\s+operational)\b",
    re.IGNORECASE,
)
RELATIVE_ETA = re.compile(
    r"\b(?:within\s+(?:the\s+next\s+)?\d+(?:\.\d+)?\s*(?:minutes?|mins?|hours?|hrs?|h|days?|business\s+days?|weeks?)"
    r"|within\s+(?:the\s+)?(?:hour|day|week)|by\s+(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|today|week|month|business\s+day)"
    r"|\bby\s+(?:tomorrow|tonight|this\s+(?:afternoon|evening|weekend)|monday|tuesday|wednesday|thursday|friday|eod|eow)"
    r"|later\s+today|(?:in|over)\s+the\s+(?:next|coming)\s+(?:few\s+)?(?:minutes|hours|days)|in\s+the\s+next\s+release"
    r"|in\s+the\s+upcoming\s+release|(?:very\s+)?shortly|asap|ETA\s+(?:of|is)\s+\S+)",
    re.IGNORECASE,
)
RELATIVE_ETA_ANCHORS = (
    "within",
    "end of",
    "by ",
    "later today",
    "the next",
    "the coming",
    "upcoming",
    "shortly",
    "asap",
    "eta ",
)
COMPENSATION_ANCHORS = ("credit", "refund", "compensat", "reimburs", "discount")
COMPENSATION = re.compile(
    r"\b(?:service\s+)?(?:credits?|refunds?|refunded|compensat\w+|reimburs\w+|discount\w*)\b", re.IGNORECASE
)
_OFFER = re.compile(
    r"\b(?:will|we'll|issue|issuing|issued|apply|applying|applied|offer\w*|eligible|receive|entitled|provide\w*"
    r"|grant\w*|approv\w+|process\w*|credit(?:ed)?\s+(?:to|your))\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(
    r"\b(?:cannot|can't|can\s+not|unable\s+to|not\s+able\s+to|not\s+yet\s+able|no\s+(?:ETA|date|timeline|estimate)"
    r"|(?:do|does|don't|doesn't)\s+not\s+(?:yet\s+)?have|don't\s+(?:yet\s+)?have|not\s+(?:in\s+a\s+position|committing)"
    r"|without\s+committing|not\s+(?:a\s+)?(?:commitment|guarantee)|too\s+early)\b",
    re.IGNORECASE,
)
_UPDATE_TALK = re.compile(
    r"\b(?:next\s+update|update\s+(?:you|by|at|no\s+later)|send\s+(?:an?\s+)?update|status\s+update)\b", re.IGNORECASE
)
_SOURCE_WORK = re.compile(
    r"\b(?:fix|patch|release|deploy|rollout|roll out|due|eta|target|scheduled|planned|ship|upgrade|maintenance|"
    r"window|complete|restore|remediat)",
    re.IGNORECASE,
)


def _negated(text: str, sentence_start: int, pos: int) -> bool:
    """A negation shortly before ``pos`` in its sentence ("we cannot guarantee …")."""
    return bool(_NEGATED.search(text, max(sentence_start, pos - 40), pos)) or bool(
        re.search(
            r"\b(?:not|never|no|cannot|can't|don't|won't)\s+(?:\w+\s+){0,2}$",
            text[max(sentence_start, pos - 40) : pos],
            re.IGNORECASE,
        )
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


def compensation_confirmed(ctx: CheckContext) -> bool:
    """Whether a source (not an injected instruction, not a runbook) states a credit or refund
    without negating it ("approved a 10% service credit", not "no refund offered")."""
    acc = ctx.account
    for sid, text in ctx.sources.items():
        if sid in acc.injected_sources or sid in acc.shared_sources:
            continue
        for match in COMPENSATION.finditer(text):
            start = max(text.rfind(". ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
            end = text.find(". ", match.end())
            sentence = text[start : len(text) if end < 0 else end]
            if re.search(r"credit\s+card", sentence, re.IGNORECASE):
                continue
            if not re.search(
                r"\b(?:no|not|never|nor|without|cannot|can't|won't|isn't|aren't|doesn't|don't|declin\w*|"
                r"reject\w*|refus\w*)\b",
                sentence,
                re.IGNORECASE,
            ) and _OFFER.search(sentence):
                return True
    return False


@register(
    NAME,
    audiences={"customer"},
    description="no promised dates, fixes, credits or guarantees that no source confirms (customer drafts)",
)
def check(ctx: CheckContext) -> list[Finding]:
    text = ctx.masked
    skip = ctx.section("next_update")
    lo = 0  # the title line is checked like the body
    out: list[Finding] = []
    seen: set[tuple[int, int]] = set()

    def excluded(pos: int) -> bool:
        """Dates and ETAs in ``## Next update`` are comms; guarantees and credits there are not."""
        return pos < lo or (skip is not None and skip.heading_start <= pos < skip.end)

    def sentence(pos: int) -> tuple[int, int, str]:
        a, b = sentence_span(text, pos, lo)
        return a, b, text[a:b]

    for match in scan(GUARANTEES, text, GUARANTEE_ANCHORS, lower=ctx.lower):
        if match.start() < lo:
            continue
        a, b, sent = sentence(match.start())
        if _negated(text, a, match.start()):
            continue
        seen.add((a, b))
        out.append(
            block(
                NAME,
                f"'{match.group(0)}' is a guarantee no record can back; say what is being done "
                "to prevent a recurrence instead.",
                match.span(),
                snippet(sent),
            )
        )

    for match in scan(RELATIVE_ETA, text, RELATIVE_ETA_ANCHORS, lower=ctx.lower):
        if excluded(match.start()):
            continue
        a, b, sent = sentence(match.start())
        if (a, b) in seen or _UPDATE_TALK.search(sent) or _NEGATED.search(sent) or not WORK_WORDS.search(sent):
            continue
        seen.add((a, b))
        out.append(
            block(
                NAME,
                f"'{match.group(0)}' promises when the fix lands, and no source confirms that "
                "timing; say what is being done and when the next update comes instead.",
                match.span(),
                snippet(sent),
            )
        )

    confirmed_dates = _confirmed_dates(ctx)
    for atom in ctx.atoms:
        if atom.kind not in ("date", "datetime", "monthday") or excluded(atom.start):
            continue
        a, b, sent = sentence(atom.start)
        if (a, b) in seen or _UPDATE_TALK.search(sent) or _NEGATED.search(sent):
            continue
        if not WORK_WORDS.search(sent) or not _promises(sent, text[max(a, atom.start - 24) : atom.start]):
            continue
        if _date_confirmed(confirmed_dates, atom, sent):
            continue
        seen.add((a, b))
        out.append(
            block(
                NAME,
                f"This promises work for {atom.text.strip()}, and no source states that date for it; "
                "remove the date or cite the record that commits to it.",
                (atom.start, atom.end),
                snippet(sent),
            )
        )

    confirmed = None
    for match in scan(COMPENSATION, text, COMPENSATION_ANCHORS, lower=ctx.lower):
        if match.start() < lo:
            continue
        a, b, sent = sentence(match.start())
        if (a, b) in seen or _NEGATED.search(sent) or not _OFFER.search(sent):
            continue
        if confirmed is None:
            confirmed = compensation_confirmed(ctx)
        if confirmed:
            continue
        seen.add((a, b))
        out.append(
            block(
                NAME,
                f"'{match.group(0)}' offers compensation that no record confirms; credits and refunds "
                "go through the account team, not an update.",
                match.span(),
                snippet(sent),
            )
        )
    return out


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
