"""Incident-update form: the four parts, and a next-update time that keeps the SLA cadence.

The four parts are what we know, what we don't know yet, what we are doing, and when the next
update comes. ``## Next update`` holds exactly one ``YYYY-MM-DD HH:MM UTC`` time, which must
equal ``facts["next_update_at"]`` — ``as_of`` (or the last customer update) plus the SLA update
cadence for the incident's priority — and can never be later than that cadence allows.

Once the incident is resolved by the update's time (recomputed from the store by
``copilot.facts.milestones.incident_milestones``: the record's ``resolved_at``, else the channel
message that states the resolution; never the draft's own status), there is no next update:
``## Next update`` gives the resolution and the next step (the post-incident review). A time
later than the update itself there, or a promise of a further update ("next update by…", "we
will send another update…"), is blocked; a missing mention of the review is a warning.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from copilot.drafting.draft import Finding
from copilot.facts.milestones import incident_milestones
from copilot.guardrails.atoms import parse_datetime_value
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, warn
from copilot.guardrails.registry import register

__all__ = ["FOUR_PARTS", "check", "expected_next_update", "resolved_at"]

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


_PROMISE = re.compile(r"\b(?:next|further|another|following) update\b(?!s? (?:is|are|will be) (?:not|no)\b)"
                      r"(?:[^.]{0,40}\b(?:by|at|in|within|around|before|on|until)\b)"
                      r"|\b(?:will|we'll|shall)\s+(?:send|share|post|provide|give)\s+(?:you\s+)?"
                      r"(?:an?|the|another|a further|further|more)\s+(?:next\s+)?updates?\b", re.IGNORECASE)
_REVIEW = re.compile(r"post[- ]incident review|\bPIR\b|post[- ]?mortem|incident review|root cause analysis|\bRCA\b",
                     re.IGNORECASE)


def resolved_at(ctx: CheckContext) -> datetime | None:
    """When the subject incident was resolved, if it was by the update's time (from the store)."""
    incident = ctx.subject_incident
    if incident is None:
        return None
    resolved = incident_milestones(incident, ctx.as_of).get("resolved")
    return resolved.at if resolved is not None else None


def _resolved_next_step(ctx: CheckContext, sec, times, resolved: datetime) -> list[Finding]:
    """A resolved incident's '## Next update': no later time, no promised update, the review named."""
    out: list[Finding] = []
    after = ctx.as_of or resolved
    for atom in times:
        if atom.kind == "datetime" and atom.value > after.replace(second=0, microsecond=0):
            out.append(block(NAME, f"The incident was resolved at {_fmt(resolved)}: a resolved update gives the "
                                   f"resolution and the next step (the post-incident review), not a next-update time "
                                   f"({atom.text}).", (atom.start, atom.end)))
    body = ctx.markdown[sec.body_start : sec.end]
    for m in _PROMISE.finditer(body):
        out.append(block(NAME, f"The incident was resolved at {_fmt(resolved)}: promise no further update "
                               f"('{m.group(0)}'); give the resolution and the next step, the post-incident review.",
                         (sec.body_start + m.start(), sec.body_start + m.end())))
    if not _REVIEW.search(body):
        out.append(warn(NAME, "The incident is resolved: name the next step, the post-incident review.",
                        (sec.heading_start, sec.end)))
    return out


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
    resolved = resolved_at(ctx)
    if resolved is not None:
        return out + _resolved_next_step(ctx, sec, times, resolved)
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
