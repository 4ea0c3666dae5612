"""Tone: no blame of the customer or another team, no internal codenames or jargon in customer
drafts, no excessive apology.

Blame and codenames block in customer-facing drafts (blame warns in internal briefs); jargon
and over-apologising warn.
"""

from __future__ import annotations

import re

from copilot.drafting.draft import Finding
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, scan, sentence_span, snippet, warn
from copilot.guardrails.registry import register

__all__ = ["APOLOGY", "BLAME_CUSTOMER", "BLAME_TEAM", "JARGON", "MAX_APOLOGIES", "check"]

NAME = "tone"

BLAME_CUSTOMER = re.compile(
    r"\b(?:(?:caused|triggered|created)\s+by\s+(?:your|the\s+customer'?s?|customer)\b"
    r"|your\s+(?:team|engineers?|admins?|administrators?|developers?|staff|people|side)\s+(?:misconfigured|broke|failed"
    r"|forgot|neglected|ignored|did\s+not|didn't|should\s+have|made\s+a\s+mistake)"
    r"|(?:customer|user|operator)\s+error|your\s+(?:own\s+)?(?:fault|mistake|misconfiguration|error|negligence)"
    r"|because\s+you\b|you\s+(?:failed\s+to|forgot|neglected|should\s+have|misconfigured|broke|ignored)"
    r"|(?:the\s+)?customer\s+(?:misconfigured|broke|failed\s+to|forgot|should\s+have)|PEBKAC|ID-?10-?T)",
    re.IGNORECASE,
)
BLAME_TEAM = re.compile(
    r"\b(?:(?:\w+\s+)?team'?s?\s+(?:fault|mistake|screw-?up|error)|(?:engineering|ops|operations|SRE|devops|QA|support"
    r"|the\s+(?:db|database|network|platform|infra(?:structure)?|backend|frontend|release|dev)\s+team)'?s?\s+"
    r"(?:fault|mistake|screw-?up|negligence)|(?:blame[sd]?|blaming)\b|(?:sloppy|careless|incompetent|lazy)\s+\w+"
    r"|under\s+the\s+bus|dropped\s+the\s+ball|(?:someone|somebody)\s+(?:on|in)\s+(?:the\s+)?\w+\s+team\s+"
    r"(?:broke|forgot|messed)|messed\s+up|screwed\s+up)",
    re.IGNORECASE,
)
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
_CUSTOMER_ANCHORS = ("your", "customer", "user error", "operator error", "you ", "pebkac", "id10t", "id-10-t")
_TEAM_ANCHORS = ("team", "blam", "sloppy", "careless", "incompetent", "lazy", " bus", " ball", "messed", "screwed")
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


@register(NAME, description="no blame, no internal codenames or jargon for customers, no excessive apology")
def check(ctx: CheckContext) -> list[Finding]:
    text = ctx.masked
    lo = 0  # the title line is checked like the body
    out: list[Finding] = []
    severity = block if ctx.customer_facing else warn
    for pattern, who, anchors in (
        (BLAME_CUSTOMER, "the customer", _CUSTOMER_ANCHORS),
        (BLAME_TEAM, "a team", _TEAM_ANCHORS),
    ):
        for match in scan(pattern, text, anchors, lo, ctx.lower):
            a, b = sentence_span(text, match.start(), lo)
            out.append(
                severity(
                    NAME,
                    f"'{match.group(0)}' blames {who}; describe what happened and what is being "
                    "done, without assigning fault.",
                    match.span(),
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
