"""Incident milestones recognised from what a message or timeline entry says.

Shared by the post-mortem document source (which sets the incident's milestone times from
its timeline) and the PIR facts (which label channel messages). Each pattern names the
general way people write the milestone, never one document's wording:

- impact start: "outage begins/starts", "impact started", "(site|service) went down",
  "started failing", "incident (begins|started)";
- detection: "detected"/"Detection:", alerts that fired/triggered, a warning or page received,
  someone noticed, a user or customer reported or reached out, the "first report/recorded
  instance/sign" of the problem, someone "was informed/notified of" it (a team member, engineer or
  on-call "informed of" it, in a timeline's clipped style);
- acknowledgement (engagement): investigation started, began looking/working, incident
  declared, on-call paged or pinged, someone acknowledged or joined to work on it;
- mitigation: mitigated, rolled back, a rollback completed/applied, reverted, workaround applied,
  traffic/service restored, back online, "Recovery:";
- resolution: resolved, "outage ends", incident closed, verified operational/healthy,
  customer confirmed resolution.

A sentence states a milestone only when it says it happened: a question ("is it resolved?",
"should we roll back?"), a negation in or just before the phrase ("not resolved yet", "we have
not rolled back", "no alerts fired") or an intention ("we will roll back", "could revert") does
not.
"""

from __future__ import annotations

import re
from datetime import datetime

__all__ = ["MILESTONE_ORDER", "assign_milestones", "milestone_of"]

MILESTONE_ORDER: tuple[str, ...] = ("impact_start", "detected", "engaged", "mitigated", "resolved")

_NOT = r"(?<!not )(?<!never )(?<!n't )"
_PATTERNS: dict[str, re.Pattern[str]] = {
    "impact_start": re.compile(
        r"\b(?:outage|impact|incident|downtime|degradation|disruption)\s+(?:begins|began|starts|started)\b"
        r"|\b(?:start of (?:the )?(?:outage|impact))\b|\bimpact start\b"
        r"|\b(?:went|goes|is) down\b|\bstarted failing\b|\bbegan failing\b", re.IGNORECASE),
    "detected": re.compile(
        _NOT + r"\bdetect(?:ed|ion)\b(?!\s+(?:delay|gap))|\balerts?\b[^.]{0,60}\b(?:fired|firing|triggered|received)\b"
        r"|\b(?:received|got)\b[^.]{0,30}\b(?:alerts?|warning|page)\b|\bautomated warning\b"
        r"|\bnotic(?:ed|es|e)\b|\b(?:first )?report(?:ed|s)? (?:on|via|by|in)\b|\bis reported\b"
        r"|\b(?:customer|user)s? (?:reached out|reported|informed)\b|\breached out to inform\b"
        r"|\bfirst (?:report|recorded instance|sign)\b|\b(?:was|were|got|been) (?:informed|notified|made aware) (?:of|about)\b"
        r"|\b(?:member|engineer|team|on-?call|sre|operator)s? (?:informed|notified|made aware) (?:of|about)\b",
        re.IGNORECASE),
    "engaged": re.compile(
        r"\binvestigations? (?:started|began|begins)\b|\b(?:began|begins|started|start) (?:investigating|looking|working|diagnos)"
        r"|\bincident (?:was )?declared\b(?! resolved)|\bdeclared (?:an |the )?incident\b|\bon-?call\b[^.]{0,20}\b(?:paged|pinged)\b"
        r"|\bgot paged\b|\backnowledg(?:ed|es)\b|\bjoins?\b[^.]{0,40}\bchannel\b|\bengaged\b", re.IGNORECASE),
    "mitigated": re.compile(
        _NOT + r"\bmitigat(?:ed|ion (?:deployed|applied|in place))\b|\broll(?:s|ed|ing)? (?:\w+ )?back\b|\broll(?:ed)?[- ]?back (?:performed|completed|deployed)\b"
        r"|\brollback (?:(?:was |is )?(?:completed|deployed|applied|done|finished|performed|succeeded))\b"
        r"|\b(?:completed|performed|applied|deployed) (?:the |a )?rollback\b"
        r"|\breverts? (?:deployed|merged|applied)\b|\b(?:changes?|deploy(?:ment)?s?|commits?|releases?|PRs?) (?:was |were )?reverted\b|\bworkaround (?:applied|deployed|in place)\b"
        r"|\b(?:traffic|service|services)\b[^.]{0,30}\b(?:restored|working as intended|recovered)\b"
        r"|\bback online\b|\brecover(?:ed|y):?\b", re.IGNORECASE),
    "resolved": re.compile(
        _NOT + r"\b(?:incident|issue|outage|problem)\b[^.]{0,30}\bresolved\b|\bresolution (?:is )?confirmed\b"
        r"|\boutage ends\b|\bend of (?:the )?outage\b|\bincident closed\b|\bclosed the incident\b"
        r"|\b(?:verified|confirmed)\b[^.]{0,30}\b(?:operational|healthy|functional)\b"
        r"|\ball systems\b[^.]{0,20}\boperational\b|\bconfirmed (?:the )?issue (?:is )?resolved\b", re.IGNORECASE),
}


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_NOT_HAPPENED = re.compile(r"\b(?:not|never|no|yet|will|would|could|should|shall|might|may|can|cannot|let's|lets|"
                           r"going to|plan(?:s|ning)? to|want to|need to|about to|try(?:ing)? to)\b|n't\b",
                           re.IGNORECASE)


def _states(pattern: re.Pattern[str], text: str) -> bool:
    """Whether a sentence of ``text`` says the milestone happened (see the module docstring)."""
    for sentence in _SENTENCE.findall(text or ""):
        if sentence.rstrip().endswith("?"):
            continue
        for match in pattern.finditer(sentence):
            before = " ".join(sentence[: match.start()].split()[-2:])
            if not _NOT_HAPPENED.search(f"{before} {match.group(0)}"):
                return True
    return False


def milestone_of(text: str, wanted: tuple[str, ...] = MILESTONE_ORDER) -> str:
    """The first milestone among ``wanted`` (in milestone order) that ``text`` states, else ``""``."""
    for name in wanted:
        if _states(_PATTERNS[name], text):
            return name
    return ""


def assign_milestones(items: list[tuple[datetime, str]],
                      known: dict[str, datetime] | None = None) -> dict[str, int]:
    """Which item states each milestone: ``{milestone: index into items}``.

    Milestones follow each other in time: each is the earliest item (in time) that states
    it and is not earlier than the milestones before it (``known`` ones included, e.g. the
    record's own times). An item carries one milestone at most; milestones in ``known`` are
    not looked for.
    """
    known = dict(known or {})
    order = sorted(range(len(items)), key=lambda i: items[i][0])
    found: dict[str, int] = {}
    used: set[int] = set()
    floor: datetime | None = None
    for name in MILESTONE_ORDER:
        if name in known:
            floor = max(floor, known[name]) if floor else known[name]
            continue
        for i in order:
            at, text = items[i]
            if i in used or (floor is not None and at < floor) or not _states(_PATTERNS[name], text):
                continue
            found[name], floor = i, at
            used.add(i)
            break
    return found
