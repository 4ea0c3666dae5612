"""Causal connectives: phrases that state why something happened ("because", "traced to",
"caused by", "due to", "the root cause was", "Root cause:").

``find_causes(text)`` gives each phrase with its exact span; kinds: ``label`` (a ``Root cause:``
label, hedged only in its label or right after it), ``because`` (needs a failure word in its
sentence: "we are writing because …" states no cause), ``cause`` (every other connective).
"""

from __future__ import annotations

import re

from copilot.guardrails.grammar.phrase import Phrase, find_phrases

__all__ = ["ANCHORS", "CONNECTIVES", "FAILURE", "find_causes"]

_LABEL = re.compile(
    r"\broot[\s-]cause[sd]?(?:\s+of\s+[\w\s-]{1,40}?)?\s*(?::|\b(?:is|was|has\s+been|had\s+been|lies|lay)\b)"
    r"(?:(?<=:)|\b)",
    re.IGNORECASE,
)
_CAUSE = re.compile(
    r"\b(?:(?:was|were|is|are|been)\s+caused\s+by|caused\s+by|the\s+cause\s+(?:is|was)|(?:was|were)\s+the\s+(?:root\s+)?cause"
    r"|(?:is|was|were|are)\s+(?:due|attributable)\s+to(?!\s+(?:be|land|ship|start|begin|go|expire|renew)\b)"
    r"|(?:^|(?<=[\s,(]))due\s+to\s+(?:a|an|the)\b(?!\s+(?:be|date)\b)|triggered\s+by|resulted\s+from|stem(?:s|med)?\s+from"
    r"|(?:was|were|has\s+been|have\s+been|is|are)\s+traced\s+(?:back\s+)?to|traced\s+(?:it\s+|this\s+|the\s+\w+\s+)?(?:back\s+)?to"
    r"|originat(?:ed|es)\s+(?:in|from)|as\s+a\s+(?:direct\s+)?result\s+of|(?:was|is)\s+responsible\s+for\s+the"
    r"|(?:was|is|were|are)\s+(?:the\s+)?(?:direct\s+)?result\s+of|caused\s+when|(?:is|was|were|are)\s+attributed\s+to"
    r"|the\s+culprit\s+(?:is|was)|owing\s+to|as\s+a\s+consequence\s+of|(?:took|brought|knocked)\s+(?:down|out)\s+the"
    r"|led\s+to\s+(?:the|this|these|an?)\s+(?:\w+\s+)?(?:outage|incident|errors?|failures?|timeouts?|degradation|issue"
    r"|problem|delays?)"
    r"|(?:we|engineering|the\s+team)\s+(?:have\s+|has\s+)?(?:identified|confirmed|determined|found)"
    r"\s+(?:the\s+|that\s+the\s+)?(?:root\s+)?cause)\b",
    re.IGNORECASE,
)
_BECAUSE = re.compile(r"\b(?:because(?:\s+of)?|since\s+(?=the\s+\w+\s+(?:was|were|had)\b))", re.IGNORECASE)

CONNECTIVES: tuple[tuple[str, re.Pattern[str]], ...] = (("label", _LABEL), ("cause", _CAUSE), ("because", _BECAUSE))
ANCHORS = ("cause", "due to", "triggered", "result", "stem", "because", "attributab", "attributed", "traced",
           "originat", "responsible", "since", "culprit", "owing", "consequence", "down", " out", "led to")

FAILURE = re.compile(
    r"\b(?:fail\w*|error\w*|outage|incident|degrad\w*|down(?:time)?|timeouts?|timed\s+out|latency|slow\w*|crash\w*"
    r"|broke\w*|broken|5\d\d|4\d\d|exhaust\w*|unavailab\w+|delay\w*|drop\w*|lost|loss|spike\w*|leak\w*|stuck|hung"
    r"|reject\w*|corrupt\w*|missing|not\s+(?:working|delivered|reachable))\b",
    re.IGNORECASE,
)
"""A failure word: a 'because' clause in a sentence with one states why the failure happened."""


def find_causes(text: str, lower: str | None = None) -> list[Phrase]:
    """Every causal connective of ``text`` with its exact span (see the module docstring)."""
    return find_phrases(CONNECTIVES, text, ANCHORS, lower)
