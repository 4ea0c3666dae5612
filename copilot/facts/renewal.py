"""Renewal context: days to renewal and where the 180/150/120/90/60/30-day timeline stands."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import Field

from copilot.facts.common import FactModel, format_date
from copilot.records.models import AccountPlan

__all__ = ["RENEWAL_TIMELINE", "RenewalContext", "RenewalStep", "renewal_context"]

RENEWAL_TIMELINE: list[tuple[int, str]] = [
    (180, "renewal kickoff: account health and value review"),
    (150, "value review with the customer"),
    (120, "executive alignment on the success plan"),
    (90, "renewal proposal"),
    (60, "commercial negotiation"),
    (30, "contract signature"),
]
"""Days before the renewal date -> what should happen at that mark."""


class RenewalStep(FactModel):
    days_before: int
    activity: str
    on: date
    on_text: str
    passed: bool


class RenewalContext(FactModel):
    renewal_date: date
    renewal_date_text: str
    as_of_text: str
    days_to_renewal: int
    stage_per_plan: str  # free text from the plan ("" when not stated)
    current_step: RenewalStep | None = None  # the last mark reached
    next_step: RenewalStep | None = None  # the next mark ahead
    steps: list[RenewalStep] = Field(default_factory=list)
    position: str  # one sentence: where the timeline stands
    source_ids: list[str]


def renewal_context(plan: AccountPlan, as_of: datetime) -> RenewalContext:
    """Days from ``as_of``'s UTC date to the renewal date, and the marks passed and ahead."""
    today = as_of.date()
    renewal = plan.contract.renewal_date
    days = (renewal - today).days
    steps = [RenewalStep(days_before=d, activity=a, on=(on := renewal - timedelta(days=d)), on_text=format_date(on),
                         passed=on <= today) for d, a in RENEWAL_TIMELINE]
    passed = [s for s in steps if s.passed]
    ahead = [s for s in steps if not s.passed]
    current = passed[-1] if passed else None
    upcoming = ahead[0] if ahead else None
    if days < 0:
        position = f"The renewal date {format_date(renewal)} has passed."
    elif current is None and upcoming is not None:
        position = (f"The renewal timeline has not started; its {upcoming.days_before}-day mark "
                    f"({upcoming.activity}) falls on {upcoming.on_text}.")
    elif current is not None and upcoming is not None:
        position = (f"The renewal is past its {current.days_before}-day mark ({current.activity}); the "
                    f"{upcoming.days_before}-day mark ({upcoming.activity}) falls on {upcoming.on_text}.")
    else:
        position = f"The renewal is inside its final {current.days_before} days ({current.activity})."  # type: ignore[union-attr]
    return RenewalContext(
        renewal_date=renewal, renewal_date_text=format_date(renewal), as_of_text=format_date(today),
        days_to_renewal=days, stage_per_plan=plan.contract.renewal_stage, current_step=current, next_step=upcoming,
        steps=steps, position=position, source_ids=[f"plan:{plan.account.id}#contract"],
    )
