"""Tone: no blame of the customer, a team, a vendor or a person, no internal codenames or jargon in
customer drafts, no excessive apology.

Blame phrases come from ``copilot.guardrails.grammar.blame`` (people by the names the records
give); denied blame ("not the customer's fault") and a record's own words
(``grammar.attribution``) are exempt.

Blame and codenames block in customer-facing drafts (blame warns in internal briefs); jargon
and over-apologising warn.
"""

from __future__ import annotations

import re

from copilot.drafting.draft import Finding
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, scan, sentence_span, snippet, warn
from copilot.guardrails.grammar.attribution import attributed
from copilot.guardrails.grammar.blame import BLAME_CUSTOMER, BLAME_TEAM, find_blame
from copilot.guardrails.registry import register

__all__ = ["APOLOGY", "BLAME_CUSTOMER", "BLAME_TEAM", "JARGON", "MAX_APOLOGIES", "check"]

NAME = "tone"

APOLOGY = re.compile(
    r"\b(?:sorry|apologi[sz]e[sd]?|apologies|apologising|apologizing|regret(?:s|ful)?|forgive)\b", re.IGNORECASE
)
MAX_APOLOGIES = 2
"""More apologies than this in one draft reads as grovelling."""
_INTENSE_APOLOGY = re.compile(
    r"\b(?:deeply|sincerely|truly|terribly|profoundly|profusely|extremely)\s+(?:sorry|apologi)", re.IGNORECASE
)
JARGON = re.compile(
    r"\b(?:war[\s-]?room|sev[\s-]?0|P0|pagerduty|hotfix\s+branch|jira|slack\s+channel|post-?mortem\s+doc|RCA\s+doc"
    r"|our\s+runbook|tribe|squad|on-?call\s+rotation)\b",
    re.IGNORECASE,
)
"""Internal vocabulary that reads oddly to a customer (warn only)."""
_JARGON_ANCHORS = (
    "war",
    "sev",
    "p0",
    "pagerduty",
    "hotfix",
    "jira",
    "slack",
    "mortem",
    "rca",
    "runbook",
    "tribe",
    "squad",
    "rotation",
)


_WHO = {"customer": "the customer", "team": "a team", "vendor": "a vendor", "person": "a person"}
_NOT_BLAME = re.compile(r"\b(?:not|no\s+one's|nobody's|isn't|wasn't|never|without)\s+(?:\w+\s+)?$|\b(?:do|does|will)\s+not\s+$",
                        re.IGNORECASE)
"""Blame denied ("this was not the customer's fault", "no one's mistake")."""


@register(NAME, description="no blame, no internal codenames or jargon for customers, no excessive apology")
def check(ctx: CheckContext) -> list[Finding]:
    text = ctx.masked
    lo = 0  # the title line is checked like the body
    out: list[Finding] = []
    severity = block if ctx.customer_facing else warn
    for phrase in find_blame(text, ctx.account.people, ctx.lower):
        a, b = sentence_span(text, phrase.start, lo)
        if _NOT_BLAME.search(text[max(a, phrase.start - 30) : phrase.start]) or attributed(ctx, phrase.start, phrase.end):
            continue
        out.append(
            severity(
                NAME,
                f"'{phrase.text}' blames {_WHO[phrase.kind]}; describe what happened and what is being "
                "done, without assigning fault.",
                phrase.span,
                snippet(text[a:b]),
            )
        )
    if ctx.customer_facing:
        names = sorted({c for c in ctx.codenames if len(c) >= 3}, key=len, reverse=True)
        if names:
            rx = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(c) for c in names) + r")(?![\w-])", re.IGNORECASE)
            for match in rx.finditer(ctx.markdown, lo):
                out.append(
                    block(
                        NAME,
                        f"'{match.group(0)}' is an internal codename; customers do not know it. Use "
                        "the product or feature name.",
                        match.span(),
                    )
                )
        for match in scan(JARGON, text, _JARGON_ANCHORS, lo, ctx.lower):
            out.append(
                warn(NAME, f"'{match.group(0)}' is internal jargon; say it in the customer's words.", match.span())
            )
        apologies = scan(APOLOGY, text, ("sorry", "apolog", "regret", "forgive"), lo, ctx.lower)
        if len(apologies) > MAX_APOLOGIES:
            first = apologies[MAX_APOLOGIES]
            out.append(
                warn(
                    NAME,
                    f"The draft apologises {len(apologies)} times; one clear apology reads better than several.",
                    first.span(),
                )
            )
        for match in _INTENSE_APOLOGY.finditer(text, lo) if len(apologies) > 1 else ():
            if len(apologies) > 1:
                out.append(
                    warn(
                        NAME,
                        f"'{match.group(0)}…' on top of other apologies is excessive; keep one plain apology.",
                        match.span(),
                    )
                )
    return out
