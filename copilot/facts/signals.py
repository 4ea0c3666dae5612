"""Account-health facts for the TAM: stakeholder coverage (the 3×3 rule) and churn signals.

These are internal facts: the QBR builder records them in the facts a QBR draft carries,
but the customer-facing narrative does not print them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from pydantic import Field

from copilot.facts.common import Fact, FactModel, format_date
from copilot.facts.text import find_sentences
from copilot.records.models import AccountPlan, Ticket

__all__ = [
    "CHURN_PATTERNS",
    "SENIORITY_TIERS",
    "ChurnSignal",
    "StakeholderCoverage",
    "churn_signals",
    "stakeholder_coverage",
]

SENIORITY_TIERS: dict[str, str] = {
    "executive": "executive",
    "director": "management",
    "manager": "management",
    "individual": "practitioner",
}
"""Seniority -> one of the three tiers the 3×3 rule counts."""

CHURN_PATTERNS: dict[str, re.Pattern[str]] = {
    "usage_decline": re.compile(
        r"\b(usage (?:has )?(?:dropped|declin\w*|fell|fallen|is down|went down)|fewer (?:users|logins|active)|"
        r"(?:call|api|request|traffic|shipment|label|order) volume (?:is |has )?(?:down|dropped|declin\w*|fell|fallen)|"
        r"reduc\w* (?:our )?(?:usage|seats|licen[cs]es)|declin\w* (?:usage|adoption|engagement)|"
        r"cut(?:ting)? (?:seats|licen[cs]es)|downsiz\w*|stopped using|no longer using|not using|"
        r"paused (?:the |our )?(?:\w+ ){0,2}integration)\b", re.IGNORECASE),
    # the intent to take every record elsewhere, not the bulk-export feature failing
    "data_export": re.compile(
        r"\b(export (?:all|every|our entire|our full|the full|everything)|full(?:[- ]history)? (?:data )?export|"
        r"extract all|download all|offboard\w*|migrat\w* (?:off|away)|copy of all our data|"
        r"(?:portable|machine[- ]readable) format)\b",
        re.IGNORECASE),
    "adversarial_tone": re.compile(
        r"(\bunacceptable\b|\bridiculous\b|\bescalat\w* (?:this )?to (?:your )?(?:ceo|cto|vp|leadership|management|"
        r"executives?)\b|\blegal (?:team|action|department)\b|\bbreach of contract\b|\bterminat\w*\b|\blawyers?\b|"
        r"!!!|\bworst\b|\bincompetent\b|\bfed up\b|\blast straw\b|\bsla credits?\b|\bcompletely useless\b)",
        re.IGNORECASE),
    # another vendor, not another process ("switch to the manual process" is a workaround)
    "competitor_mention": re.compile(
        r"\b(competitors?|alternative vendors?|other vendors?|evaluat\w* (?:other|another|alternative)\w*|"
        r"switch(?:ing)? (?:vendors|providers|platforms|to (?:another|a different|an alternative) "
        r"(?:vendor|provider|platform|solution))|RFP|looking at other|considering (?:other|alternatives)|"
        r"evaluat\w* \w+ (?:alongside|against|instead of)|side[- ]by[- ]side|platform review)\b",
        re.IGNORECASE),
}
"""Signal kind -> the words that raise it in customer-written ticket text."""


class StakeholderCoverage(FactModel):
    grid: dict[str, dict[str, int]]  # tier -> function -> count of active customer contacts
    tiers_covered: list[str]
    functions_covered: list[str]
    met: bool  # at least one contact in each of 3 tiers and at least 3 functions
    gaps: list[str] = Field(default_factory=list)
    source_ids: list[str]


class ChurnSignal(FactModel):
    kind: str  # champion_left | usage_decline | data_export | adversarial_tone | competitor_mention | engagement_decline
    evidence: Fact


def stakeholder_coverage(plan: AccountPlan) -> StakeholderCoverage:
    """The seniority-tier × function grid of active customer contacts and the 3×3 verdict."""
    tiers = ["executive", "management", "practitioner"]
    grid: dict[str, dict[str, int]] = {t: {} for t in tiers}
    for c in plan.stakeholders:
        if c.internal or c.status != "active":
            continue
        tier = SENIORITY_TIERS[c.seniority]
        function = c.function or "unspecified"
        grid[tier][function] = grid[tier].get(function, 0) + 1
    covered = [t for t in tiers if grid[t]]
    functions = sorted({f for t in tiers for f in grid[t]})
    gaps = [f"no active {t} contact" for t in tiers if not grid[t]]
    if len(functions) < 3:
        gaps.append(f"contacts in {len(functions)} function(s); the 3×3 rule asks for 3")
    return StakeholderCoverage(grid=grid, tiers_covered=covered, functions_covered=functions,
                               met=not gaps, gaps=gaps, source_ids=[f"plan:{plan.account.id}#stakeholders"])


def churn_signals(plan: AccountPlan, tickets: Iterable[Ticket], since: datetime, until: datetime,
                  tickets_now: int | None = None, tickets_before: int | None = None) -> list[ChurnSignal]:
    """Churn signals from the plan and from customer-written ticket text in ``[since, until)``.

    Args:
        tickets_now, tickets_before: ticket counts of this and the previous quarter; a drop
            of half or more raises ``engagement_decline``.
    """
    out: list[ChurnSignal] = []
    for c in plan.stakeholders:
        if c.buying_role == "champion" and c.status == "left":
            when = f" on {format_date(c.left_on)}" if c.left_on else ""
            out.append(ChurnSignal(kind="champion_left", evidence=Fact(
                value=f"Champion {c.name} ({c.title or 'no title'}) left{when}",
                source_ids=[f"plan:{plan.account.id}#stakeholders"])))
    texts: list[tuple[str, str]] = []
    for t in tickets:
        if t.account_id != plan.account.id:
            continue
        if since <= t.created_at < until:
            texts.append((t.id, f"{t.subject}. {t.description}"))
        texts += [(c.id, c.body) for c in t.comments
                  if c.author_role != "agent" and c.public and since <= c.created_at < until]
    for kind, pattern in CHURN_PATTERNS.items():
        for fact in find_sentences(texts, pattern, limit=3):
            out.append(ChurnSignal(kind=kind, evidence=fact))
    if tickets_now is not None and tickets_before and tickets_now * 2 <= tickets_before:
        out.append(ChurnSignal(kind="engagement_decline", evidence=Fact(
            value=f"Tickets opened fell from {tickets_before} to {tickets_now} quarter on quarter",
            source_ids=[])))
    return out
