"""Metric names in prose and the value bound to each: "MTTR for P2 was 12h 28m", "first-response
SLA compliance of 100%", "7 tickets were opened", "ARR of $1.2M", "the contract renews on 2027-09-30".

A value is bound to a name only when nothing but linking words stand between them (``was``, ``of``,
``:``, ``came in at``, ``improved to``…) or the value directly precedes the name ("100%
first-response SLA compliance"), and only when its atom has the metric's kind (a percentage for a
compliance rate, a duration for MTTR…). A sentence comparing periods ("down from", "previous
quarter", another quarter's label) binds to the draft's quarter only a value written right before
the name ("3 tickets opened, against 13 in Q2": the 3); a value written right
before another quarter's label ("against 13 in Q2", "12h 05m for Q2 2026") is bound to that metric
*in that quarter* (a label without a year is the latest such quarter up to the draft's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["BoundMetric", "METRIC_KINDS", "METRIC_NAMES", "bind_metrics"]

METRIC_NAMES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern, re.IGNORECASE))
    for key, pattern in (
        ("first_response", r"\bfirst[\s-]response(?:\s+SLA)?(?:\s+(?:SLA\s+)?compliance|\s+SLA)|\bSLA\s+compliance"
                           r"|\bresponse[\s-]time\s+SLA(?:\s+compliance)?"),
        ("update_cadence", r"\b(?:P1/P2\s+)?update[\s-]cadence(?:\s+compliance)?"),
        ("mttr", r"\b(?:P(?P<p1>[1-4])\s+)?MTTR\b(?:\s+(?:for\s+)?(?:P(?P<p2>[1-4])|Sev\s?(?P<p3>[1-4]))(?:\s+tickets)?)?"
                 r"|\bmean\s+time\s+to\s+resol\w+(?:\s+(?:for\s+)?P(?P<p4>[1-4])(?:\s+tickets)?)?"),
        ("mttm", r"\bMTTM\b(?:\s+\(incidents\))?|\bmean\s+time\s+to\s+mitigat\w+"),
        ("repeat_incidents", r"\brepeat(?:ed)?\s+incidents?\b"),
        ("tickets_opened", r"\b(?:new\s+|support\s+)?tickets?\s+(?:were\s+)?(?:opened|raised|filed|logged)\b"
                           r"|\bticket\s+(?:count|volume)\b"),
        ("incidents", r"\bincident\s+count\b|\bincidents?\s+(?:this|in\s+the|during\s+the)\s+quarter\b"),
        ("arr", r"\bARR\b|\bannual\s+recurring\s+revenue\b|\bannual\s+contract\s+value\b"),
        ("renewal", r"\brenew(?:s|al\s+date|al)?\b"),
    )
)
"""Metric key -> how prose names it (``mttr`` takes its priority from the name: MTTR P2)."""

METRIC_KINDS: dict[str, frozenset[str]] = {
    "first_response": frozenset({"percent"}),
    "update_cadence": frozenset({"percent"}),
    "mttr": frozenset({"duration"}),
    "mttm": frozenset({"duration"}),
    "repeat_incidents": frozenset({"number"}),
    "tickets_opened": frozenset({"number"}),
    "incidents": frozenset({"number"}),
    "arr": frozenset({"money", "number"}),
    "renewal": frozenset({"date"}),
}
"""The atom kinds a metric's value can have."""

_LINK = re.compile(
    r"^(?:\s*(?:\(\s*\w+\s*\)|:|=|—|–|-|was|were|is|are|of|at|stood|came\s+in|reached|hit|averaged|totall?ed|landed"
    r"|improved|rose|fell|dropped|went|climbed|to|on|date|for\s+the\s+quarter|this\s+quarter|in\s+Q[1-4](?:\s+\d{4})?"
    r"|for\s+Q[1-4](?:\s+\d{4})?|about|around|roughly|nearly|approximately|just|only|an?|the|our|your|contract|stands"
    r"|compliance|overall|comes\s+up|due|is\s+set\s+for|set\s+for))*\s*$",
    re.IGNORECASE,
)
_BEFORE = re.compile(r"^\s*(?:of\s+)?$", re.IGNORECASE)
_COMPARISON = re.compile(
    r"\b(?:from|previous|prior|last\s+(?:quarter|year)|year[\s-]over[\s-]year|compared|versus|vs\.?|target|goal"
    r"|was\s+\S+\s+in\s+Q[1-4])\b",
    re.IGNORECASE,
)
_FROM = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_QUARTER = re.compile(r"\bQ([1-4])(?:\s+|\s*')?(\d{2,4})?\b")


@dataclass(frozen=True, slots=True)
class BoundMetric:
    """The metric ``key`` (``mttr_p2``, ``arr``…) is named at ``name_span`` and given the value ``atom``."""

    key: str
    name: str
    name_span: tuple[int, int]
    atom: Any
    quarter: str | None = None  # another quarter the value is stated for; None: the draft's


def _key(key: str, match: re.Match[str]) -> str | None:
    if key != "mttr":
        return key
    level = next((g for g in ("p1", "p2", "p3", "p4") if match.group(g)), None)
    return f"mttr_p{match.group(level)}" if level else None


_IN_QUARTER = re.compile(r"\s+(?:in|for|during)\s+Q([1-4])(?:\s+(\d{4}))?\b", re.IGNORECASE)


def _compared(text: str, atoms: Sequence[Any], span: tuple[int, int], kinds: frozenset[str],
              quarter: str | None) -> list[tuple[Any, str]]:
    """Values of ``kinds`` in ``span`` written right before another quarter's label, with that quarter."""
    if quarter is None:
        return []
    year, q = int(quarter[:4]), int(quarter[-1])
    out = []
    for atom in atoms:
        label = _IN_QUARTER.match(text, atom.end) if span[0] <= atom.start < span[1] and atom.kind in kinds else None
        if label is None:
            continue
        n = int(label.group(1))
        stated = f"{label.group(2) or (year if n <= q else year - 1)}Q{n}"
        if stated != quarter:
            out.append((atom, stated))
    return out


def _other_period(sentence: str, quarter: str | None) -> bool:
    if _COMPARISON.search(sentence):
        return True
    return any(quarter is None or m.group(1) != quarter[-1] for m in _QUARTER.finditer(sentence))


def bind_metrics(text: str, atoms: Sequence[Any], sentence_of: Any, quarter: str | None = None) -> list[BoundMetric]:
    """Every metric name in ``text`` with the value bound to it (see the module docstring).

    Args:
        atoms: the atoms of ``text`` (``copilot.guardrails.atoms.extract_atoms``), in text order.
        sentence_of: ``pos -> (start, end)`` of the sentence holding ``pos``.
        quarter: the draft's quarter (``2026Q3``): another quarter's label marks a comparison.
    """
    out: list[BoundMetric] = []
    for key, rx in METRIC_NAMES:
        for match in rx.finditer(text):
            metric = _key(key, match)
            if metric is None:
                continue
            a, b = sentence_of(match.start())
            kinds = METRIC_KINDS[key]
            after = next((x for x in atoms if x.start >= match.end() and x.start < b), None)
            before = next((x for x in reversed(atoms) if x.end <= match.start() and x.start >= a), None)
            if _other_period(text[a:b], quarter):
                out += [BoundMetric(metric, match.group(0), match.span(), atom, other)
                        for atom, other in _compared(text, atoms, (a, b), kinds, quarter)]
                if before is not None and before.kind in kinds and _BEFORE.match(text[before.end : match.start()]) \
                        and not _FROM.search(text, max(a, before.start - 6), before.start) \
                        and not _IN_QUARTER.match(text, match.end()):
                    out.append(BoundMetric(metric, match.group(0), match.span(), before))  # "3 tickets opened, against…"
                continue
            if after is not None and after.kind in kinds and _LINK.match(text[match.end() : after.start]) \
                    and after.start - match.end() <= 40:
                out.append(BoundMetric(metric, match.group(0), match.span(), after))
            elif before is not None and before.kind in kinds and _BEFORE.match(text[before.end : match.start()]):
                out.append(BoundMetric(metric, match.group(0), match.span(), before))
    return sorted(out, key=lambda m: (m.name_span, m.atom.start))
