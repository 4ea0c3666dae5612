"""The console's home page as one read model: the ranked portfolio and what needs the TAM today.

``portfolio --json`` prints exactly this, so the command line and the page show the same figures.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from copilot.console.needs_today import TodayItem, Written, needs_you_today
from copilot.console.portfolio import SCORE_RULES, SIGNAL_WINDOW, PortfolioRow, rank_accounts
from copilot.facts.clock import Clock
from copilot.records.models import AccountPlan, Incident, Ticket

__all__ = ["PortfolioHome", "portfolio_home"]


class PortfolioHome(BaseModel):
    """Every account, most at risk first, and the items that need the TAM, as of one moment."""

    model_config = ConfigDict(extra="forbid")

    as_of: datetime
    as_of_source: str  # given | wall clock | data snapshot
    as_of_note: str
    signal_window_days: int
    score_rules: dict[str, str]
    rows: list[PortfolioRow] = Field(default_factory=list)
    needs_you_today: list[TodayItem] = Field(default_factory=list)


def portfolio_home(plans: list[AccountPlan], tickets: list[Ticket], incidents: list[Incident], clock: Clock,
                   written: Written | None = None) -> PortfolioHome:
    """The home page at ``clock.now`` (pure: records in, figures out)."""
    return PortfolioHome(
        as_of=clock.now, as_of_source=clock.source, as_of_note=clock.note, signal_window_days=SIGNAL_WINDOW.days,
        score_rules=SCORE_RULES, rows=rank_accounts(plans, tickets, incidents, clock.now),
        needs_you_today=needs_you_today(plans, tickets, incidents, clock.now, written))
