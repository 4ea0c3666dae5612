"""Pieces of a support conversation shared by ticket threads and incident tickets.

Who answers (an agent local to the ticket's region), how people sign off, and the log excerpts
customers paste.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from copilot.synth.people import team
from copilot.synth.randomness import hex_digits
from copilot.synth.specs import AccountSpec, Person
from copilot.synth.story import phrases
from copilot.synth.templating import fill
from copilot.synth.timestamps import iso_z

__all__ = ["agent_body", "log_lines", "next_update_line", "pick_agent", "signature"]


def pick_agent(rng: random.Random, spec: AccountSpec, region: str) -> Person:
    """One of the account's agents, preferring those who work the ticket's region."""
    local = [a for a in spec.agents if a in team().support_agents.get(region, [])]
    return rng.choice(local or spec.agents)



def log_lines(rng: random.Random, templates: tuple[str, ...], ctx: dict[str, Any], before: datetime,
               count: int) -> list[str]:
    """``count`` log lines from ``templates``, seconds apart, ending a few minutes before ``before``."""
    t = before - timedelta(minutes=rng.randint(4, 50), seconds=rng.randint(0, 59))
    lines = []
    for _ in range(count):
        local = dict(ctx, ts=iso_z(t), req="req_" + hex_digits(rng, 8), trace=hex_digits(rng, 32),
                     lineid=hex_digits(rng, 6), lag=rng.randint(1500, 4200))
        lines.append(fill(rng.choice(templates), local))
        t += timedelta(seconds=rng.randint(1, 95))
    return lines


def signature(rng: random.Random, person: Person, spec: AccountSpec) -> str:
    """How a customer signs a message: first name, or full name, title and company."""
    style = rng.random()
    if style < 0.4:
        return f"Thanks,\n{person.first}"
    if style < 0.75:
        title = f"{person.title}, " if person.title else ""
        return f"Regards,\n{person.name}\n{title}{spec.name}"
    return f"Cheers,\n{person.first}"



def agent_body(agent: Person, first: str, text: str, rng: random.Random) -> str:
    """An agent's public comment: greeting, ``text``, sign-off."""
    closer = fill(rng.choice(phrases().agent_closers), {"agent": agent.name})
    return f"Hi {first},\n\n{text}\n\n{closer}"


def next_update_line(at: datetime, cadence: int) -> str:
    """The promise of the next update, ``cadence`` minutes after ``at``."""
    nxt = at + timedelta(minutes=cadence)
    return f"Next update by {nxt.strftime('%Y-%m-%d %H:%M')} UTC."

