"""Metrics bound to their names: a metric named in prose carries *its* value.

"MTTR for P2 was 1d 0h 13m" is blocked when P2's recomputed MTTR is 12h 28m (even though 1d 0h
13m is P3's, so grounding finds it in the records). The names and the binding of a value to a name
are the grammar's (``copilot.guardrails.grammar.metric_name``); the values are
``compute_quarter_metrics`` for the QBR's quarter (QBR drafts) and the plan's contract (ARR and
renewal date, every draft kind). Labelled ``- <metric>: value`` lines of ``## Service
performance`` are the ``qbr`` check's.

Tolerance: counts and dates exactly; percentages to the precision written (66.7% = 2 of 3, 67% too);
durations within 5% (12h for 12h 28m); money within 5% at the precision written ($1.2M).
"""

from __future__ import annotations

import re
from typing import Any

from copilot.drafting.draft import Finding
from copilot.guardrails.atoms import extract_atoms
from copilot.guardrails.checks.qbr import quarter_of_draft, recomputed_lines
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, sentence_span, snippet
from copilot.guardrails.grammar.metric_name import METRIC_KINDS, bind_metrics
from copilot.guardrails.registry import register

__all__ = ["check", "expected_values", "same_value"]

NAME = "metric_names"


def _base(key: str) -> str:
    return "mttr" if key.startswith("mttr_") else key


def expected_values(ctx: CheckContext, quarter: str | None) -> dict[str, tuple[str, Any]]:
    """``{metric key: (what the records say, as written; its value or None)}``."""
    from copilot.facts.metrics import METRIC_LABELS

    out: dict[str, tuple[str, Any]] = {}
    contract = ctx.plan.contract
    if contract.arr:
        out["arr"] = (f"{contract.currency} {contract.arr:,.0f}", float(contract.arr))
    if contract.renewal_date:
        out["renewal"] = (contract.renewal_date.isoformat(), contract.renewal_date)
    if quarter and ctx.kind == "qbr_narrative":
        lines = recomputed_lines(ctx, quarter)
        for key, label in METRIC_LABELS.items():
            text = lines.get(label)
            if text is None or _base(key) not in METRIC_KINDS:
                continue
            kinds = METRIC_KINDS[_base(key)]
            first = next((a for a in extract_atoms(text) if a.kind in kinds), None)
            out[key] = (f"{label}: {text}", first.value if first is not None else None)
    return out


def same_value(atom: Any, want: Any) -> bool:
    """``atom`` states ``want`` at the precision it is written with (see the module docstring)."""
    if want is None:
        return False
    if atom.kind == "date":
        return atom.value == want
    if atom.kind == "percent":
        decimals = len(atom.text.rstrip("% ").partition(".")[2]) if "." in atom.text else 0
        return abs(float(atom.value) - float(want)) <= 0.5 * 10 ** -decimals + 1e-9
    if atom.kind in ("duration", "money"):
        return abs(float(atom.value) - float(want)) <= 0.05 * abs(float(want)) + 1e-9
    if atom.kind == "number" and not re.fullmatch(r"[\d,]+", atom.text.strip()):
        return abs(float(atom.value) - float(want)) <= 0.05 * abs(float(want)) + 1e-9
    return float(atom.value) == float(want)


_LABEL_LINE = re.compile(r"^\s*(?:[-*+]\s+)?\**([^:*\n]{2,60})\**\s*:", re.MULTILINE)


@register(NAME, description="a metric named in prose carries its own recomputed value, not another metric's")
def check(ctx: CheckContext) -> list[Finding]:
    from copilot.facts.metrics import METRIC_LABELS

    quarter = quarter_of_draft(ctx) if ctx.kind == "qbr_narrative" else None
    text = ctx.masked
    labelled = {label.lower() for label in METRIC_LABELS.values()}
    expected: dict[str | None, dict[str, tuple[str, Any]]] = {}
    out: list[Finding] = []
    for bound in bind_metrics(text, ctx.atoms, lambda pos: sentence_span(text, pos), quarter):
        line_start = text.rfind("\n", 0, bound.name_span[0]) + 1
        label = _LABEL_LINE.match(text, line_start)
        if label and label.group(1).strip().lower() in labelled:
            continue  # a labelled metric line: the qbr check compares it
        if bound.quarter not in expected:
            expected[bound.quarter] = expected_values(ctx, bound.quarter or quarter)
        values = expected[bound.quarter]
        if bound.key not in values or (bound.quarter and bound.key in ("arr", "renewal")):
            continue
        recorded, want = values[bound.key]
        if same_value(bound.atom, want):
            continue
        others = [k for k, (_t, v) in values.items() if k != bound.key and bound.atom.kind in METRIC_KINDS[_base(k)]
                  and same_value(bound.atom, v)]
        also = f" ({bound.atom.text} is {values[others[0]][0].split(':')[0]}'s value)" if others else ""
        recorded = f"in {bound.quarter}, {recorded}" if bound.quarter else recorded
        a, b = sentence_span(text, bound.name_span[0])
        out.append(block(
            NAME,
            f"'{bound.name} … {bound.atom.text}' does not match the records: {recorded}{also}.",
            (bound.name_span[0], bound.atom.end) if bound.atom.start > bound.name_span[0]
            else (bound.atom.start, bound.name_span[1]),
            snippet(text[a:b]),
        ))
    return out
