"""Counts the named record gives: ``3 affected regions``, ``47 related tickets``, ``two corrective
actions``, ``two customers' reports``.

A count of something the record lists must be that list's length; an approximate count ("about",
"over", "up to"…) is not judged, and a count the record's own text states in the same words
("3 regions") is the record's. Data first, then one recognizer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from copilot.guardrails.claims.claim import Claim, RecordView

__all__ = ["COUNTED", "WORDS", "count_claims"]

WORDS: dict[str, int] = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())} | {"a single": 1, "single": 1}
"""Small counts written in words."""

COUNTED: dict[str, tuple[str, str]] = {
    r"(?:affected\s+|impacted\s+|distinct\s+|different\s+|separate\s+)?regions?": ("regions", "region"),
    r"(?:(?:related|linked|associated|customer|support)\s+)?tickets?": ("tickets", "related ticket"),
    r"corrective\s+actions?|action\s+items?": ("corrective_actions", "corrective action"),
    r"contributing\s+factors?": ("contributing_factors", "contributing factor"),
    r"customer(?:s'|'s)?\s+reports?|reports?\s+from\s+(?:the\s+)?customers?": ("reports", "customer report"),
    r"comments?(?:\s+on\s+the\s+ticket)?": ("comments", "comment"),
}
"""What a draft counts -> (what the record lists, the word for the message)."""

_NUMBER = "|".join(sorted(map(re.escape, WORDS), key=len, reverse=True))
COUNT = re.compile(
    rf"(?<![\w.,:/$-])(?P<n>\d{{1,4}}|{_NUMBER})(?![\w.,:%/-])\s+(?P<noun>"
    + "|".join(f"(?P<c{n}>{rx})" for n, rx in enumerate(COUNTED)) + r")\b",
    re.IGNORECASE,
)
APPROX = re.compile(r"\b(?:about|around|roughly|nearly|almost|approximately|over|more\s+than|fewer\s+than|less\s+than|"
                    r"at\s+least|at\s+most|up\s+to|some|~|of|another|additional|further|other|more|new|top)\s*$",
                    re.IGNORECASE)


def count_claims(view: RecordView, text: str, lo: int, hi: int, listed: Callable[[RecordView, str], int | None]) -> list[Claim]:
    """Counts stated about ``view`` in ``text[lo:hi]`` (one sentence).

    Args:
        listed: how many of a thing (``regions``, ``tickets``…) the record lists; None: it does not say.
    """
    out = []
    for match in COUNT.finditer(text, lo, hi):
        if APPROX.search(text, max(lo, match.start() - 14), match.start()):
            continue
        n = next(int(k[1:]) for k, v in match.groupdict().items() if v and k.startswith("c") and k[1:].isdigit())
        what, word = list(COUNTED.values())[n]
        recorded = listed(view, what)
        if recorded is None:
            continue
        raw = match.group("n").lower()
        stated = int(raw) if raw.isdigit() else WORDS[raw]
        ok = stated == recorded or view.mentions(rf"(?<![\w.]){re.escape(raw)}\s+{re.escape(match.group('noun'))}")
        plural = "" if recorded == 1 else "s"
        message = "" if ok else (f"{view.id} lists {recorded} {word}{plural} in the {view.kind} record, not "
                                 f"{match.group(0)}.")
        out.append(Claim(view.id, f"count of {word}s", match.group(0), match.span(), ok, str(recorded), message))
    return out
