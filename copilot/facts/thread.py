"""The current state of a ticket thread: what staff found, what was tried, what is pending.

Read from the comments in order, each statement kept with who said it, when, and its
comment id. The patterns are general English of support threads (bug trackers and help
desks alike), matched per sentence:

- ``finding``: the latest staff sentence that states a finding ("we reproduced", "confirmed",
  "this is a regression", "the cause is", "known issue");
- ``workaround``: the latest workaround offered (by staff, or one the customer found), and
  ``workaround_result``: the customer's next report on it — worked ("that fixed it", or the
  symptom reported gone: "no restarts", "no more timeouts"), partial ("helped but still…") or
  failed ("no change");
- ``tried``: what the customer or staff say they already did ("we restarted…", "tried…");
- ``pending``: the newest open ask and on whom it waits — the customer when staff asked last,
  staff when the customer wrote last or staff promised the next step;
- ``resolution``: the customer confirming the problem is gone (unless a later customer comment
  reports it again).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import Field

from copilot.facts.common import Fact, FactModel, format_time, sentences
from copilot.facts.text import prose
from copilot.records.models import Comment

__all__ = ["StateItem", "ThreadState", "now_line", "thread_state", "tried_line"]

_FINDING = re.compile(
    r"\b(?:we(?:'ve| have)?\s+(?:now\s+)?(?:reproduced|confirmed|identified|found|traced|tracked\s+(?:it|this)\s+down|"
    r"narrowed|isolated|pinpointed|verified)|(?:i|I)(?:'ve| have)?\s+(?:reproduced|confirmed|found|traced)|"
    r"(?:is|was)\s+(?:now\s+)?confirmed|confirmed\s+(?:as|that|it|this)|^confirmed\s*[:,-]|root\s+cause|"
    r"(?:that|this|it)\s+(?:is|was)\s+the\s+cause|(?:is|was)\s+caused\s+by|"
    r"the\s+cause\s+(?:is|was)|this\s+is\s+(?:a\s+)?(?:known\s+)?(?:bug|regression|issue|defect)|known\s+(?:issue|bug)|"
    r"regression\s+(?:in|introduced|from)|(?:a|the)\s+bug\s+in|(?:is|was)\s+(?:due|related)\s+to|comes\s+from|"
    r"(?:that|this)\s+explains|reproduced\s+(?:it|this|the|with|on|in)|(?:the\s+)?(?:logs?|profile|trace|dump)\s+shows?|narrows\s+it\s+down|"
    r"(?:can|could)\s+reproduce|reproducible)\b",
    re.IGNORECASE)
_WORKAROUND = re.compile(
    r"\b(?:work\s?-?around|as\s+a\s+(?:temporary\s+)?(?:fix|mitigation|stopgap)|in\s+the\s+meantime|"
    r"for\s+now,?\s+(?:you\s+can|please|try|set|disable)|temporar(?:y|ily)\s+(?:fix|set|disable|increase|raise|pin)|"
    r"(?:you|we)\s+(?:can|could)\s+(?:set|disable|enable|increase|raise|lower|pin|downgrade|roll\s+back|add|remove|restart)|"
    r"(?:try|please\s+try)\s+(?:setting|disabling|enabling|increasing|raising|lowering|pinning|downgrading|rolling\s+back|"
    r"adding|removing|restarting|bumping)|worked\s+around|mitigat\w+\s+(?:it|this)\s+by|"
    r"until\s+(?:a|the)\s+fix\s+(?:ships|lands|is\s+(?:released|out|available|shipped))|"
    r"please\s+(?:set|change|raise|increase|lower|disable|enable|pin|add|remove|upgrade\s+to|downgrade\s+to))\b",
    re.IGNORECASE)
_RESULT_FAILED = re.compile(
    r"\b(?:(?:didn't|did\s+not|doesn't|does\s+not|hasn't|has\s+not)\s+(?:help|work|fix|change|resolve|make\s+a\s+difference)|"
    r"no\s+(?:luck|change|difference|improvement)|made\s+no\s+difference|same\s+(?:error|issue|problem|result|behaviou?r)|"
    r"still\s+broken|not\s+(?:helping|working))\b",
    re.IGNORECASE)
_RESULT_PARTIAL = re.compile(
    r"\b(?:partial(?:ly)?|partly|somewhat|helped\s+(?:a\s+(?:bit|little)|some)|less\s+(?:often|frequent\w*)|fewer|"
    r"still\s+(?!works?\b|worked\b|fine\b|good\b|ok\b|okay\b|stable\b|running\b|holds?\b|there\b)\w+|"
    r"(?:helped|worked|works|better|improved)\b[^.]{0,40}\bbut\b|but\s+(?:now|still|then|after)|only\s+(?:delays|reduces|moves|for)|"
    r"comes?\s+back|came\s+back|again\s+after)\b",
    re.IGNORECASE)
_RESULT_WORKED = re.compile(
    r"\b(?:(?:that|this|it|which|the\s+(?:workaround|change|setting|fix|patch))\s+(?:has\s+)?(?:worked|helped|fixed|"
    r"resolved|did\s+the\s+trick)|helped|worked|did\s+the\s+trick|works\s+now|working\s+(?:now|again)|no\s+longer\s+\w+|stopped\s+(?:crash|fail|happen)\w*|"
    r"(?:has|have)n't\s+(?:seen|had)\s+(?:it|the\s+\w+)\s+(?:since|again)|stable\s+(?:now|since)|"
    r"(?:no|zero)\s+(?:more\s+|further\s+)?(?:[\w-]+\s+){0,2}?(?:restarts?|crash(?:es)?|errors?|failures?|timeouts?|"
    r"oom\s?kill\w*|evictions?|drops?|disconnects?)\b(?!\s+yet))\b",
    re.IGNORECASE)
_RESOLVED = re.compile(
    r"\b(?:(?:you\s+can|feel\s+free\s+to|please|ok\s+to|okay\s+to|go\s+ahead\s+and)\s+close|can\s+be\s+closed|"
    r"(?:issue|problem|bug|this)\s+is\s+(?:now\s+)?(?:resolved|fixed|gone|solved)|resolved\s+(?:for\s+us|on\s+our\s+side)|"
    r"(?:all|everything)\s+(?:is\s+)?(?:good|working|fine)\s+now|confirm\w*\s+(?:that\s+)?(?:the\s+)?(?:fix|upgrade|patch|"
    r"new\s+version|release)\s+(?:works|worked|resolved|fixed)|fixed\s+(?:it\s+)?for\s+us|"
    r"(?:no|haven't\s+seen\s+(?:it|any))\s+(?:further\s+|more\s+)?(?:issues?|recurrence|crash\w*|errors?)\s+since)\b",
    re.IGNORECASE)
_FAILURE = re.compile(r"\b(?:error|errors|fail\w*|crash\w*|timeouts?|timed\s+out|still|again|down|broken|"
                      r"[45]\d{2})\b", re.IGNORECASE)
_REOPENED = re.compile(r"\b(?:happened\s+again|is\s+back|came\s+back|re-?occur\w*|recur\w*|again\s+today|"
                       r"not\s+(?:fixed|resolved))\b", re.IGNORECASE)
_TRIED = re.compile(
    r"\b(?:we|I)(?:'ve|\s+have|\s+also|\s+already)?\s+(?:already\s+|also\s+)?(?:tried|restarted|increased|decreased|raised|"
    r"lowered|set|disabled|enabled|rolled\s+back|downgraded|upgraded|bumped|added|removed|deleted|recreated|scaled|switched|"
    r"changed|reverted|cleared|re-?deployed|re-?installed|re-?created|drained|cordoned|uncordoned|killed|flushed|rebuilt|"
    r"tested|checked|pinned|moved|applied|updated|replaced|rotated|reloaded|patched)\b"
    r"|\b(?:tried|trying)\s+(?:to\s+|with\s+|setting|increasing|disabling|restarting|rolling)"
    r"|^(?:rolling\s+back|downgrading|restarting|reverting|disabling|pinning|raising|setting)\b.{0,80}?\b(?:makes?|made|"
    r"fix(?:es|ed)?|help(?:s|ed)?|work(?:s|ed)?|stops?|stopped)\b"
    r"|^(?:the\s+)?[\w-]+\s+(?:uncordoned|restarted|rolled\s+back|reverted|drained|rebooted|redeployed)\b"
    # a clipped report that starts with what was done: "Pinned v2.3.9, the job ran.", "Raised it to 512 on both."
    r"|^(?:pinned|raised|lowered|increased|decreased|restarted|rolled\s+back|reverted|downgraded|upgraded|disabled|"
    r"enabled|rebooted|reinstalled|recreated|redeployed)\b",
    re.IGNORECASE)
_ASK = re.compile(
    r"(?:\?\s*$|\b(?:please\s+(?:send|share|provide|attach|confirm|run|try|check|upload|collect|let\s+us\s+know|enable|capture)|"
    r"(?:can|could|would)\s+you\s+(?:please\s+)?(?:send|share|provide|attach|confirm|run|try|check|upload|collect|"
    r"enable|capture|tell|let)|let\s+us\s+know|we\s+(?:need|would\s+need)\s+(?:the|a|your|some)|"
    r"(?:waiting|wait)\s+(?:on|for)\s+(?:you|your)|once\s+(?:you|your)\b[^.]{0,60}\b(?:confirm|send|share|done|open|ready))\b)",
    re.IGNORECASE)
_PROMISE = re.compile(
    r"\b(?:we(?:'ll|\s+will|\s+are\s+going\s+to)|engineering\s+(?:is|will|are)|(?:the\s+)?fix\s+(?:is|will\s+be)\s+"
    r"(?:scheduled|planned|targeted|in\s+progress|being)|(?:escalated|handed)\s+(?:this\s+)?to|waiting\s+(?:on|for)\s+"
    r"(?:engineering|the\s+(?:dev|engineering|product)\s+team|a\s+fix|the\s+release)|(?:working|looking)\s+on\s+a\s+fix|"
    r"will\s+(?:be\s+)?(?:released|shipped|included))\b",
    re.IGNORECASE)


class StateItem(FactModel):
    """One statement of the thread: the sentence, who wrote it (and on which side), when, where."""

    text: str
    who: str
    side: str  # staff | customer
    at_text: str
    source_ids: list[str]


class ThreadState(FactModel):
    finding: StateItem | None = None
    workaround: StateItem | None = None
    workaround_result: StateItem | None = None
    workaround_outcome: str = ""  # worked | partial | failed | "" (no report yet)
    tried: list[StateItem] = Field(default_factory=list)
    pending: StateItem | None = None
    pending_on: str = ""  # customer | staff | ""
    resolution: StateItem | None = None
    last: StateItem | None = None  # the newest comment, whatever it says


def _side(c: Comment) -> str:
    return "staff" if c.author_role == "agent" else "customer"


def _item(c: Comment, sentence: str, limit: int = 260) -> StateItem:
    text = sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return StateItem(text=text, who=c.author or "unknown", side=_side(c), at_text=format_time(c.created_at),
                     source_ids=[c.id])


def _sentences(c: Comment) -> list[str]:
    """The comment's own prose sentences (code blocks, quotes, logs and template lines left out)."""
    return [s for s in sentences(prose(c.body)) if len(s) >= 12 and re.search(r"[a-z]{3}", s)]


def _last_match(comments: Iterable[Comment], pattern: re.Pattern[str]) -> tuple[Comment, str] | None:
    found = None
    for c in comments:
        for s in _sentences(c):
            if pattern.search(s):
                found = (c, s)
    return found


def _in_context(said: list[str], sentence: str) -> str:
    """A short sentence ("You can close this.") with the sentence before it, which says why."""
    i = said.index(sentence) if sentence in said else 0
    return sentence if len(sentence) >= 60 or i == 0 else f"{said[i - 1]} {sentence}"


def _outcome(sentence: str) -> str:
    if _RESULT_FAILED.search(sentence):
        return "failed"
    if _RESULT_PARTIAL.search(sentence):
        return "partial"
    return "worked" if _RESULT_WORKED.search(sentence) or _RESOLVED.search(sentence) else ""


def _workaround(comments: list[Comment]) -> tuple[StateItem | None, StateItem | None, str]:
    offered = _last_match(comments, _WORKAROUND)
    if offered is None:
        return None, None, ""
    c, sentence = offered
    after = [x for x in comments if x.created_at >= c.created_at and x.id != c.id and _side(x) == "customer"]
    if _side(c) == "customer":
        after = [c, *after]  # a customer who reports their own workaround often says how it went
    for reply in after:
        for s in _sentences(reply):
            outcome = "" if (reply.id == c.id and s == sentence) else _outcome(s)
            if outcome:
                return _item(c, sentence), _item(reply, s), outcome
    return _item(c, sentence), None, ""


def _resolution(comments: list[Comment]) -> StateItem | None:
    customer = [c for c in comments if _side(c) == "customer"]
    found = _last_match(customer, _RESOLVED)
    if found is None:
        return None
    c, sentence = found
    later = [x for x in customer if x.created_at > c.created_at]
    if _last_match(later, _REOPENED):
        return None
    return _item(c, _in_context(_sentences(c), sentence), 320)


def _pending(comments: list[Comment]) -> tuple[StateItem | None, str]:
    public = [c for c in comments if c.public]
    if not public:
        return None, ""
    last = public[-1]
    text = _sentences(last)
    if _side(last) == "staff":
        ask = [i for i, s in enumerate(text) if _ASK.search(s)]
        if ask:
            return _item(last, _in_context(text, text[ask[-1]]), 320), "customer"
        promise = [s for s in _sentences(last) if _PROMISE.search(s)]
        if promise:
            return _item(last, promise[-1]), "staff"
        return None, ""
    if not text:
        return None, "staff"
    questions = [s for s in text if s.endswith("?")]
    telling = questions or [s for s in text if _outcome(s) or _FAILURE.search(s)]
    return _item(last, telling[-1] if telling else text[0]), "staff"


def thread_state(comments: list[Comment]) -> ThreadState:
    """The state of a thread from its comments (oldest first, already cut at the brief's as-of time)."""
    comments = sorted(comments, key=lambda c: (c.created_at, c.id))
    staff = [c for c in comments if _side(c) == "staff"]
    finding = _last_match(staff, _FINDING)
    workaround, result, outcome = _workaround(comments)
    tried: list[StateItem] = []
    for c in comments:
        said = _sentences(c)
        for i, s in enumerate(said):
            if _TRIED.search(s) and not s.rstrip().endswith("?") and len(tried) < 4 \
                    and not (_side(c) == "staff" and _ASK.search(s)):  # a request is not something done
                after = said[i + 1] if i + 1 < len(said) else ""
                if after and not _TRIED.search(after) and (_outcome(after) or _FAILURE.search(after)):
                    s = f"{s} {after}"  # what was tried, then how it went
                tried.append(_item(c, s, 300))
    used = {x.text for x in (workaround, result) if x is not None}
    tried = [t for t in tried if not any(u in t.text or t.text in u for u in used)]
    pending, pending_on = _pending(comments)
    resolution = _resolution(comments)
    last = None
    if comments:
        text = _sentences(comments[-1])
        last = _item(comments[-1], text[0]) if text else None
    return ThreadState(finding=_item(*finding) if finding else None,
                       workaround=workaround, workaround_result=result, workaround_outcome=outcome, tried=tried,
                       pending=None if resolution else pending, pending_on="" if resolution else pending_on,
                       resolution=resolution, last=last)


def _said(item: StateItem) -> str:
    return f"({item.who}, {item.side}, {item.at_text})"


def _quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def tried_line(state: ThreadState, skip: str = "") -> Fact | None:
    """What was tried and the workaround's outcome, in one line (None when the thread says nothing).

    Args:
        skip: text already shown (the summary): tried items it contains are left out.
    """
    parts, ids = [], []
    for item in [t for t in state.tried if t.text not in skip][:2]:
        parts.append(f"{_quote(item.text)} {_said(item)}")
        ids += item.source_ids
    if state.workaround is not None:
        w = state.workaround
        part = f"workaround {_quote(w.text)} {_said(w)}"
        if state.workaround_result is not None:
            r = state.workaround_result
            verdict = {"worked": "worked", "partial": "only partly worked", "failed": "did not work"}[state.workaround_outcome]
            part += f"; reported that it {verdict}: {_quote(r.text)} {_said(r)}"
            ids += r.source_ids
        else:
            part += "; no report yet on whether it worked"
        parts.append(part)
        ids += w.source_ids
    if not parts:
        return None
    return Fact(value="; ".join(parts), source_ids=list(dict.fromkeys(ids)))


def now_line(state: ThreadState, status: str, fallback_id: str) -> Fact:
    """What is happening now: resolution, or the latest finding and what is pending on whom."""
    if state.resolution is not None:
        r = state.resolution
        return Fact(value=f"the customer confirmed resolution: {_quote(r.text)} {_said(r)}", source_ids=r.source_ids)
    parts, ids = [], []
    if state.finding is not None:
        f = state.finding
        parts.append(f"latest staff finding, unconfirmed as root cause: {_quote(f.text)} {_said(f)}")
        ids += f.source_ids
    if state.pending is not None:
        p = state.pending
        whom = "the customer" if state.pending_on == "customer" else "us (support/engineering)"
        parts.append(f"waiting on {whom}: {_quote(p.text)} {_said(p)}")
        ids += p.source_ids
    elif state.last is not None and not parts:
        parts.append(f"last message: {_quote(state.last.text)} {_said(state.last)}")
        ids += state.last.source_ids
    if not parts:
        return Fact(value=f"ticket {status}; no reply in the thread yet", source_ids=[fallback_id])
    return Fact(value=f"ticket {status}; " + "; ".join(parts), source_ids=list(dict.fromkeys(ids)))
