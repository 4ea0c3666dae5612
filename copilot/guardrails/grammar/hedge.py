"""Hedges: words that mark a statement as not (yet) certain ("may", "we believe", "appears")."""

from __future__ import annotations

import re

__all__ = ["HEDGES", "MODAL_HEDGES", "hedged", "modal_hedged"]

HEDGES = re.compile(
    r"\b(?:unconfirmed|not\s+(?:yet\s+)?(?:been\s+)?confirmed|not\s+yet\s+known|unknown|suspect\w*|hypothes\w+|may|might"
    r"|could|possibl\w*|likely|probabl\w*|appears?|appeared|seems?|seemed|believe[sd]?|think|investigat\w+"
    r"|under\s+review|pending|to\s+be\s+confirmed|TBC|working\s+theory|early\s+indications?"
    r"|not\s+(?:yet\s+)?(?:determined|identified|established)|one\s+theory|candidate|if\s+confirmed|we\s+are\s+still"
    r"|(?:until|once|unless|whether|if|when|before)\b[^.;]{0,50}\b(?:confirm|identif|determin|known|found|establish)\w*"
    r"|still\s+(?:being\s+)?(?:investigat\w+|determin\w+|confirm\w+)|no\s+root\s+cause|hope\w*|aim\w*\s+to"
    r"|tentative\w*|preliminar\w+|we\s+expect\s+(?:that\s+)?(?:this|it)\s+(?:may|might|could))\b",
    re.IGNORECASE,
)
"""Words that mark a statement as unconfirmed."""


def hedged(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (a sentence) carries a hedge, or the line it sits on opens with one
    ("Unconfirmed: …", "- Hypothesis: …")."""
    if HEDGES.search(text, start, end):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    return bool(HEDGES.search(text[line_start:start]))


MODAL_HEDGES = re.compile(
    r"\b(?:may|might|could|possibl\w*|likely|probabl\w*|tentative\w*|we\s+believe|we\s+think"
    r"|if\s+(?:all\s+goes|testing\s+goes|everything\s+goes)\s+well|subject\s+to|best\s+effort)\b",
    re.IGNORECASE,
)
"""Hedges that soften a promise ("the fix may ship early next week"): a warn, not a block."""


def modal_hedged(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text[start:end]`` softens what it promises."""
    return bool(MODAL_HEDGES.search(text, start, end))
