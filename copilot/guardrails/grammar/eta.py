"""ETA expressions: when something will land, absolute or vague.

Kinds: ``relative`` ("within 2 hours", "by end of day", "in the next release", "shortly"),
``vague`` ("early next week", "by end of week", "in the coming days", "within the next few days",
"any day now", "soon"), ``weekday`` ("by Friday", "on Monday"). Absolute dates and times are atoms
(``copilot.guardrails.atoms``); ``commitments`` checks them against the sources.
"""

from __future__ import annotations

import re

from copilot.guardrails.grammar.phrase import Phrase, find_phrases

__all__ = ["ANCHORS", "ETA_FORMS", "WORK_WORDS", "find_etas"]

_UNIT = r"(?:minutes?|mins?|hours?|hrs?|h|days?|business\s+days?|working\s+days?|weeks?)"
_RELATIVE = re.compile(
    r"\b(?:within\s+(?:the\s+next\s+)?(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|twelve|twenty-four|48|24)\s*"
    + _UNIT
    + r"|within\s+(?:the\s+)?(?:hour|day|week)|by\s+(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|today|business\s+day)"
    r"|by\s+(?:tomorrow|tonight|this\s+(?:afternoon|evening)|eod|cob)|later\s+today|later\s+this\s+(?:morning|afternoon|evening)"
    r"|(?:in|over)\s+the\s+(?:next|coming)\s+(?:\d+\s+|couple\s+(?:of\s+)?)?(?:minutes|hours)"
    r"|in\s+the\s+(?:next|upcoming|coming)\s+(?:release|patch|version|deploy\w*|sprint|maintenance\s+window)"
    r"|(?:very\s+)?shortly(?!\s+(?:after|before|thereafter|afterwards?)\b)|asap|as\s+soon\s+as\s+possible"
    r"|ETA\s*(?::|of|is)\s*[\w-]+|expected\s+(?:resolution|fix|restoration)(?:\s+(?:time|date))?\s*(?::|is)\s*[\w-]+"
    r"|(?:in|within)\s+(?:a|one)\s+day\s+or\s+two|(?:in|within)\s+\d+\s*[-–]\s*\d+\s*" + _UNIT
    + r"|(?<!by\s)(?<!until\s)\b(?:tomorrow|tonight)\b|over\s+the\s+weekend)",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(?:(?:early|mid|late)[\s-](?:next\s+)?(?:week|month)|(?:early|later)\s+(?:in\s+)?(?:the\s+)?next\s+week"
    r"|next\s+week|(?:by|before)\s+(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|next\s+)?(?:week|month|sprint)"
    r"|by\s+(?:eow|eom|the\s+weekend|this\s+weekend)|this\s+(?:week|weekend)"
    r"|(?:in|over|within)\s+the\s+(?:next|coming)\s+(?:few\s+|couple\s+(?:of\s+)?|several\s+)?(?:days|weeks)"
    r"|in\s+(?:a\s+)?(?:few|couple\s+(?:of\s+)?)\s+days|in\s+the\s+(?:near|very\s+near)\s+future|any\s+day\s+now"
    r"|(?<!as\s)soon(?!\s+as\b)|imminent(?:ly)?|in\s+no\s+time|momentarily)\b",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"\b(?:by|on|before|until|this|next|come)\s+(?:(?:this|next)\s+)?"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?!\s*,?\s*\d)\b",
    re.IGNORECASE,
)
ETA_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (("relative", _RELATIVE), ("vague", _VAGUE), ("weekday", _WEEKDAY))
ANCHORS = ("within", "end of", "by ", "later ", "the next", "the coming", "upcoming", "shortly", "asap", "possible",
           "eta ", "week", "month", "quarter", "days", "future", "soon", "imminent", "no time", "momentar", "day",
           "on ", "until", "come", "tomorrow", "tonight", "weekend", "eta", "expected", "or two")

WORK_WORDS = re.compile(
    r"\b(?:fix(?:es|ed)?|patch(?:es|ed)?|hotfix|release[sd]?|deploy\w*|roll(?:ed|ing)?\s+out|rollout|resolv\w*"
    r"|restor\w*|ship(?:s|ped)?|remediat\w*|mitigat\w*|upgrade[sd]?|available|back\s+to\s+normal|fully\s+operational"
    r"|behind\s+us|solved?|sorted|work(?:ing)?\s+again|recover\w*|in\s+place|corrected|addressed|resolution"
    r"|restoration)\b",
    re.IGNORECASE,
)
"""Words of the work an ETA is about: an ETA sentence without one ("we will update you soon") is comms."""


def find_etas(text: str, lower: str | None = None) -> list[Phrase]:
    """Every ETA expression in ``text`` with its exact span (see the module docstring)."""
    return find_phrases(ETA_FORMS, text, ANCHORS, lower)
