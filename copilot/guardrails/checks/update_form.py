"""Incident-update form: the four parts, and a next-update time that keeps the SLA cadence.

The four parts are what we know, what we don't know yet, what we are doing, and when the next
update comes. ``## Next update`` holds exactly one ``YYYY-MM-DD HH:MM UTC`` time, which must
equal ``facts["next_update_at"]`` — ``as_of`` (or the last customer update) plus the SLA update
cadence for the incident's priority — and can never be later than that cadence allows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from copilot.drafting.draft import Finding
from copilot.guardrails.atoms import parse_datetime_value
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, warn
from copilot.guardrails.registry import register

__all__ = ["FOUR_PARTS", "check", "expected_next_update"]

NAME = "update_form"

FOUR_PARTS = {
    "known": "what we know",
    "unknown": "what we don't know yet",
    "actions": "what we are doing",
    "next_update": "when the next update comes",
}


def _fact(ctx: CheckContext, key: str) -> Any:
    value = ctx.facts.get(key)
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
    return value


def expected_next_update(ctx: CheckContext) -> tuple[datetime | None, datetime | None, int | None]:
    """``(facts' next update, latest time the SLA cadence allows, cadence minutes)``."""
    stated = parse_datetime_value(_fact(ctx, "next_update_at"))
    incident = ctx.subject_incident
    if incident is None:
        return stated, None, None
    cadence = ctx.plan.sla.for_priority(incident.priority).update_cadence_minutes
    base = ctx.as_of or incident.last_customer_update_at
    latest = base + timedelta(minutes=cadence) if base else None
    return stated, latest, cadence


def _fmt(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M UTC")


@register(NAME, kinds={"incident_update"}, description="the four parts present; next update time keeps the SLA cadence")
def check(ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for name, what in FOUR_PARTS.items():
        if ctx.section(name) is None:
            out.append(block(NAME, f"An incident update must say {what}; that part is missing.", (0, 0)))
    sec = ctx.section("next_update")
    if sec is None:
        return out
    times = [a for a in ctx.atoms if sec.body_start <= a.start < sec.end and a.kind in ("datetime", "time")]
    span = (sec.heading_start, sec.end)
    if _fact(ctx, "status") == "resolved" and _fact(ctx, "next_step"):
        return out  # issue 13: a resolved update gives the resolution and the next step (the PIR), not a time
    if not times:
        out.append(
            block(
                NAME, "'## Next update' gives no time; state when the next update comes as YYYY-MM-DD HH:MM UTC.", span
            )
        )
        return out
    if len(times) > 1:
        out.append(
            block(
                NAME,
                "'## Next update' gives more than one time; give exactly one next-update time.",
                (times[1].start, times[1].end),
            )
        )
    atom = times[0]
    aspan = (atom.start, atom.end)
    if atom.kind == "time":
        out.append(block(NAME, f"'{atom.text}' has no date; write the next update as YYYY-MM-DD HH:MM UTC.", aspan))
        return out
    if not atom.tz_explicit:
        out.append(block(NAME, f"'{atom.text}' has no time zone; write it in UTC.", aspan))
    stated: datetime = atom.value
    facts_time, latest, cadence = expected_next_update(ctx)
    if ctx.as_of is not None and stated < ctx.as_of.replace(second=0, microsecond=0):
        out.append(
            block(
                NAME,
                f"The next update time {_fmt(stated)} is before this update was written ({_fmt(ctx.as_of)}).",
                aspan,
            )
        )
    if latest is not None and stated > latest.replace(second=0, microsecond=0):
        out.append(
            block(
                NAME,
                f"The next update at {_fmt(stated)} breaks the SLA cadence: a "
                f"{ctx.subject_incident.priority} update is due every {cadence} minutes, so by "
                f"{_fmt(latest)} at the latest.",
                aspan,
                f"cadence {cadence}m",
            )
        )
    elif facts_time is not None and stated != facts_time.replace(second=0, microsecond=0):
        if stated > facts_time:
            out.append(
                block(
                    NAME,
                    f"The next update time {_fmt(stated)} differs from the one the facts give ({_fmt(facts_time)}).",
                    aspan,
                )
            )
        else:
            out.append(
                warn(
                    NAME,
                    f"The next update at {_fmt(stated)} is earlier than the SLA cadence requires "
                    f"({_fmt(facts_time)}); fine if you mean it.",
                    aspan,
                )
            )
    return out
