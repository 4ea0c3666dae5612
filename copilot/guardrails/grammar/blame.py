"""Blame: fault assigned to the customer, a team, a vendor or a named person.

Kinds: ``customer`` ("caused by your team", "user error"), ``team`` ("the database team's fault",
"sloppy engineering"), ``vendor`` ("AWS's fault", "our provider dropped the ball"), ``person``
("Dave forgot to renew the certificate", "an engineer misconfigured…", "Alice Moreau's mistake").
Naming a vendor's outage as a cause is a fact, not blame: only fault words count. Technical
collocations are not blame ("lazy loaded", "careless" needs a person or work noun after it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from copilot.guardrails.grammar.phrase import Phrase, find_phrases

__all__ = ["ANCHORS", "BLAME_CUSTOMER", "BLAME_FORMS", "BLAME_TEAM", "BLAME_VENDOR", "find_blame", "person_blame"]

BLAME_CUSTOMER = re.compile(
    r"\b(?:(?:caused|triggered|created)\s+by\s+(?:your|the\s+customer'?s?|customer)\b"
    r"|your\s+(?:team|engineers?|admins?|administrators?|developers?|staff|people|side)\s+(?:misconfigured|broke|failed"
    r"|forgot|neglected|ignored|did\s+not|didn't|should\s+have|made\s+a\s+mistake)"
    r"|(?:customer|user|operator)\s+error|your\s+(?:own\s+)?(?:fault|mistake|misconfiguration|error|negligence)"
    r"|because\s+you\b|(?:due\s+to|because\s+of)\s+your\b|(?:issue|problem|error|fault|cause)\s+(?:is|was|lies|lay)\s+on\s+"
    r"your\s+(?:end|side)|you\s+(?:failed\s+to|forgot|neglected|should\s+have|misconfigured|broke|ignored)"
    r"|(?:the\s+)?customer\s+(?:misconfigured|broke|failed\s+to|forgot|should\s+have)|PEBKAC|ID-?10-?T)",
    re.IGNORECASE,
)
_FAULT = r"(?:fault|mistake|screw-?up|negligence|incompetence|carelessness|blunder)"
_PEOPLE_NOUN = (r"(?:work|engineer\w*|team\w*|developers?|devs?|admins?|administrators?|people|staff|vendors?|providers?"
                r"|coding|code\s+review\w*|testing|QA|ops|operators?|persons?|contractors?|interns?|change|deploy\w*|job)")
BLAME_TEAM = re.compile(
    r"\b(?:(?:\w+\s+)?team'?s?\s+(?:fault|mistake|screw-?up|error)|(?:engineering|ops|operations|SRE|devops|QA|support"
    r"|the\s+(?:db|database|network|platform|infra(?:structure)?|backend|frontend|release|dev)\s+team)'?s?\s+"
    + _FAULT
    + r"|(?:blame[sd]?|blaming)\b|(?:sloppy|careless|incompetent|lazy|negligent)\s+" + _PEOPLE_NOUN + r"\b"
    r"|under\s+the\s+bus|dropped\s+the\s+ball|(?:someone|somebody)\s+(?:on|in)\s+(?:the\s+)?\w+\s+team\s+"
    r"(?:broke|forgot|messed)|messed\s+up|screwed\s+up)",
    re.IGNORECASE,
)
_VENDOR = (r"(?:(?i:(?:the|our|a|their)\s+(?:upstream\s+|cloud\s+|hosting\s+|third[\s-]party\s+|\w+\s+)?(?:vendor|provider"
           r"|supplier|partner|carrier|CDN|host|third[\s-]party)|upstream)|[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)?)")
BLAME_VENDOR = re.compile(
    r"(?<![\w'])" + _VENDOR + r"(?:'s|’s|s')\s+(?:own\s+)?" + _FAULT + r"\b"
    r"|\b(?:blame|fault)\s+(?:lies|rests|sits)\s+(?:squarely\s+|entirely\s+|solely\s+)?(?:with|on)\s+" + _VENDOR
    + r"|(?<![\w'])" + _VENDOR + r"\s+(?:let\s+us\s+down|failed\s+us|is\s+to\s+blame|are\s+to\s+blame)\b",
)
_HUMAN_VERBS = (r"(?:forgot|neglected|messed\s+up|screwed\s+up|should\s+have\s+(?:known|checked|caught|tested)|"
                r"is\s+to\s+blame|was\s+careless|made\s+(?:a|an)\s+(?:mistake|error|blunder))")
_ANY_PERSON_VERBS = (_HUMAN_VERBS[:-1] + r"|broke(?!\s+(?:down|up|out|through)\b)|misconfigured|"
                     r"pushed\s+a\s+(?:bad|broken|faulty)|failed\s+to\s+(?:notice|check|test|follow|update|renew|review|catch)"
                     r"|caused\s+(?:the|this|our)\s+(?:outage|incident|issue|problem))")
_GENERIC_PERSON = (r"(?:an?\s+(?:junior\s+|new\s+|on-?call\s+)?(?:engineer|developer|dev|SRE|admin|operator|intern|contractor)"
                   r"|one\s+of\s+our\s+(?:engineers|developers|admins)|our\s+on-?call(?:\s+engineer)?|someone|somebody)")
_GENERIC = re.compile(r"\b" + _GENERIC_PERSON + r"\s+" + _ANY_PERSON_VERBS, re.IGNORECASE)
_NAMED = re.compile(r"\b(?!(?:We|I|They|It|This|That|You|He|She|Nobody|No\s+one|Everyone)\b)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+" + _HUMAN_VERBS)
"""Any capitalised name with a verb only a person does ("Dave forgot", "Priya messed up")."""
_ERROR_BY = re.compile(r"\b(?:human|manual|operator)\s+error\s+by\s+(?:an?\s+|our\s+|the\s+)?\w+", re.IGNORECASE)

BLAME_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("customer", BLAME_CUSTOMER),
    ("team", BLAME_TEAM),
    ("vendor", BLAME_VENDOR),
    ("person", _GENERIC),
    ("person", _NAMED),
    ("person", _ERROR_BY),
)
ANCHORS = ("your", "customer", "user error", "operator error", "you ", "pebkac", "id10t", "id-10-t", "team", "blam",
           "sloppy", "careless", "incompetent", "lazy", "negligen", " bus", " ball", "messed", "screwed", "fault",
           "mistake", "let us down", "failed us", "forgot", "neglected", "should have", "broke", "misconfigured",
           "deleted", "pushed", "failed to", "ignored", "caused", "error by", "blunder")


@lru_cache(maxsize=64)
def _person_rx(names: tuple[str, ...]) -> re.Pattern[str] | None:
    names = tuple(n for n in names if len(n) >= 3)
    if not names:
        return None
    who = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(
        rf"\b(?:{who})(?:'s|’s)?\s+(?:{_ANY_PERSON_VERBS}|{_FAULT}|(?:bad|broken|faulty)\s+(?:change|deploy|commit|push|config\w*))"
        rf"|\b(?:blame|fault)\s+(?:lies|rests|sits)\s+(?:squarely\s+|entirely\s+)?(?:with|on)\s+(?:{who})\b",
        re.IGNORECASE,
    )


def person_blame(text: str, people: Iterable[str]) -> list[Phrase]:
    """Blame of a person the records name ("Jonas Richter broke the export", "Grace's mistake")."""
    names: set[str] = set()
    for name in people:
        names.add(name)
        if " " in name:
            names.add(name.split()[0])  # the first name alone
    rx = _person_rx(tuple(sorted(names)))
    return [] if rx is None else [Phrase("person", m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]


def find_blame(text: str, people: Iterable[str] = (), lower: str | None = None) -> list[Phrase]:
    """Every blame phrase in ``text`` with its exact span; ``people``: names the records give."""
    found = find_phrases(BLAME_FORMS, text, ANCHORS, lower)
    covered = [(p.start, p.end) for p in found]
    extra = [p for p in person_blame(text, people) if not any(a < p.end and p.start < b for a, b in covered)]
    return sorted(found + extra, key=lambda p: p.start)
