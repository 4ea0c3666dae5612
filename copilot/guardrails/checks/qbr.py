"""QBR: every labelled metric equals the recomputed metric; outcomes lead, activity counts do not.

A quoted KPI (``copilot.facts.kpis.quotable``: time to engage, mean time to mitigation, MTTR,
repeat incident rate) is checked the same way, recomputed from the records as seen at the
draft's ``as_of``; unlike the metrics, leaving a KPI out is not reported.

Metrics are recomputed from the account's records with
``copilot.facts.metrics.compute_quarter_metrics`` (the definition of each metric) and each
``- <label>: <value>`` line of ``## Service performance`` is compared with it. ``## Value
delivered`` must come first and open with an outcome, not a count of tickets closed or calls
held.
"""

from __future__ import annotations

import re

from copilot.drafting.draft import Finding
from copilot.drafting.markdown import SOURCE_MARKER
from copilot.guardrails.atoms import extract_atoms
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, warn
from copilot.guardrails.markdown import bullets
from copilot.guardrails.registry import register

__all__ = ["ACTIVITY", "check", "quarter_of_draft", "recomputed_kpi_lines", "recomputed_lines"]

NAME = "qbr"

ACTIVITY = re.compile(
    r"^\W*(?:we\s+)?(?:(?:closed|resolved|handled|answered|processed|worked(?:\s+on)?|opened|logged|held|ran|hosted|"
    r"delivered|completed|attended|responded\s+to)\s+\d[\d,]*\s+(?:support\s+)?(?:tickets?|cases?|requests?|calls?|"
    r"meetings?|sessions?|syncs?|check-?ins?|escalations?|emails?|trainings?|workshops?|reviews?)"
    r"|\d[\d,]*\s+(?:support\s+)?(?:tickets?|cases?|calls?|meetings?|sessions?|escalations?)\s+(?:closed|resolved|"
    r"handled|held|opened|answered))",
    re.IGNORECASE,
)
"""A bullet that leads with an activity count instead of an outcome."""



def quarter_of_draft(ctx: CheckContext) -> str | None:
    """The QBR's quarter (``2026Q3``): from the facts, else from the subject (``account:2026Q3``)."""
    from copilot.facts.common import parse_quarter

    candidates = [ctx.facts.get("quarter")]
    if ":" in ctx.draft.subject_id:
        candidates.append(ctx.draft.subject_id.rsplit(":", 1)[1])
    for quarter in candidates:
        if isinstance(quarter, str) and quarter:
            try:
                year, q = parse_quarter(quarter)
            except Exception:
                continue
            return f"{year}Q{q}"
    return None


def recomputed_lines(ctx: CheckContext, quarter: str) -> dict[str, str]:
    """``{metric label: text}`` recomputed from the account's records (cached per account)."""
    from copilot.facts.metrics import compute_quarter_metrics

    memo = ctx.account.__dict__.setdefault("_qbr_memo", {})
    if quarter not in memo:
        metrics = compute_quarter_metrics(
            ctx.plan, list(ctx.account.tickets.values()), list(ctx.account.incidents.values()), quarter
        )
        memo[quarter] = metrics.line_map()
    return memo[quarter]


def recomputed_kpi_lines(ctx: CheckContext, quarter: str) -> dict[str, str]:
    """``{KPI label: text}`` of the quotable KPIs, recomputed as of the draft's ``as_of`` (cached)."""
    from copilot.facts.kpis.quotable import qbr_kpis

    memo = ctx.account.__dict__.setdefault("_qbr_kpi_memo", {})
    key = (quarter, ctx.as_of)
    if key not in memo:
        kpis = qbr_kpis(ctx.plan, list(ctx.account.tickets.values()), list(ctx.account.incidents.values()),
                        quarter, ctx.as_of)
        memo[key] = {k.label: k.text for k in kpis}
    return memo[key]


def _mentions(text: str, outcome: str) -> bool:
    """Most content words of ``outcome`` appear in ``text`` (a paraphrase counts)."""
    words = lambda t: set(re.findall(r"[a-z0-9][a-z0-9-]{3,}", t.lower()))  # noqa: E731
    wanted = words(outcome)
    return bool(wanted) and len(wanted & words(text)) / len(wanted) >= 0.5


def _norm(text: str) -> str:
    return " ".join(SOURCE_MARKER.sub("", text).replace("**", "").split()).rstrip(".;")


def _same(stated: str, expected: str) -> bool:
    if _norm(stated).lower() == _norm(expected).lower():
        return True
    a = [(x.kind, x.value) for x in extract_atoms(_norm(stated))]
    b = [(x.kind, x.value) for x in extract_atoms(_norm(expected))]
    return bool(a) and a == b


@register(NAME, kinds={"qbr_narrative"}, description="QBR metrics equal the recomputed ones; outcomes lead")
def check(ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    md = ctx.markdown
    quarter = quarter_of_draft(ctx)
    sec = ctx.section("service_performance")
    if quarter is None:
        out.append(block(NAME, "The QBR does not say which quarter it covers (facts 'quarter' or a subject like "
                               "'account:2026Q3'), so its metrics cannot be verified.", None))
    if sec is not None and quarter:
        from copilot.facts.metrics import METRIC_LABELS

        expected = recomputed_lines(ctx, quarter)
        quoted = recomputed_kpi_lines(ctx, quarter)
        labels = sorted([*METRIC_LABELS.values(), *quoted], key=len, reverse=True)
        line_rx = re.compile(
            r"^\s*\**(?P<label>" + "|".join(re.escape(x) for x in labels) + r")\**\s*:\s*(?P<value>.*)$", re.IGNORECASE
        )
        seen: set[str] = set()
        for item in bullets(md, sec.body_start, sec.end):
            match = line_rx.match(item.text)
            if not match:
                continue
            label = next(x for x in labels if x.lower() == match.group("label").lower())
            seen.add(label)
            want = expected.get(label, quoted.get(label))
            value_start = item.start + match.start("value")
            span = (value_start, item.end)
            if want is None:
                continue
            if not _same(match.group("value"), want):
                out.append(
                    block(
                        NAME,
                        f"'{label}: {_norm(match.group('value'))}' does not match the records: the "
                        f"recomputed value for {quarter} is '{want}'.",
                        span,
                        want,
                    )
                )
        missing = [
            f"{label} ({want})"
            for label, want in expected.items()
            if label not in seen and not want.startswith("no ") and label.lower() not in sec.text.lower()
        ]
        if missing:
            out.append(
                warn(NAME, f"Not reported in '## Service performance': {'; '.join(missing)}.", (sec.end, sec.end))
            )
    value = ctx.section("value_delivered")
    if value is not None:
        if ctx.sections and ctx.sections[0].name != "value_delivered":
            out.append(
                warn(
                    NAME,
                    "'## Value delivered' should come first: a QBR leads with outcomes.",
                    (value.heading_start, value.body_start),
                )
            )
        items = bullets(md, value.body_start, value.end)
        first = items[0].text if items else value.text.strip()
        first_span = (items[0].start, items[0].end) if items else (value.body_start, value.end)
        if ACTIVITY.search(first):
            out.append(
                warn(
                    NAME,
                    "The value section leads with an activity count; lead with an outcome the "
                    "customer got (from the plan's value-realization entries).",
                    first_span,
                )
            )
        outcomes = [v.outcome for v in ctx.plan.value_realization]
        if (
            outcomes
            and not any(_mentions(value.text, o) for o in outcomes)
            and not any(v.id in value.text for v in ctx.plan.value_realization)
        ):
            out.append(
                warn(
                    NAME,
                    "'## Value delivered' names none of the plan's value-realization outcomes.",
                    (value.heading_start, value.body_start),
                )
            )
    return out
