"""An account's everyday ticket flow: tickets drawn from the archetypes, with realistic threads.

Volume, severity mix, components and trend follow the ``AccountSpec``; each thread has a first
response (on or past the SLA target), customer replies, internal notes, updates on the account's
cadence and, when solved, a stated root cause. Open tickets are threads the snapshot cuts short.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from copilot.synth.conversation import agent_body, log_lines, next_update_line, pick_agent, signature
from copilot.synth.randomness import hex_digits, weighted_choice
from copilot.synth.specs import AccountSpec, CommentSpec, Person, TicketSpec
from copilot.synth.story import Archetype, archetypes, phrases
from copilot.synth.templating import fill
from copilot.synth.timestamps import hm, human_minutes, iso_z, minutes, whole_seconds
from copilot.synth.world import (
    CARRIERS,
    CODENAMES,
    ENDPOINT,
    GLOBAL_CODENAMES,
    REGION_SHORT,
    REGIONS,
    SDKS,
    SERVICE,
    SERVICE_LEVELS,
    SITES,
    SNAPSHOT,
    UTC,
    WINDOW_END,
    WINDOW_START,
    next_release_after,
    release_for,
)

__all__ = ["PRIORITIES", "build_ticket", "ensure_open_tickets", "generate_tickets"]

PRIORITIES = ("P1", "P2", "P3", "P4")
COMMENT_RANGE = {"P1": (5, 8), "P2": (4, 8), "P3": (3, 6), "P4": (2, 5)}
REGION_UTC_OFFSET_H = {"us-east-1": -5, "eu-west-1": 0, "ap-southeast-2": 10}
OPEN_FROM = datetime(2026, 10, 1, tzinfo=UTC)
"""Generated tickets may still be open only if created on or after this day."""


def _ticket_context(
    rng: random.Random, spec: AccountSpec, component: str, created: datetime, version: str,
    region: str, requester: Person, agent: Person,
) -> dict[str, Any]:
    carrier = rng.choice(CARRIERS)
    _, host_prefix = SERVICE[component]
    host = f"{rng.randint(1, 24):02d}"
    rs = REGION_SHORT[region]
    return {
        "version": version,
        "fix_version": next_release_after(created.date())[0],
        "region": region,
        "rs": rs,
        "req": "req_" + hex_digits(rng, 8),
        "req2": "req_" + hex_digits(rng, 8),
        "req3": "req_" + hex_digits(rng, 8),
        "trace": hex_digits(rng, 32),
        "ts": iso_z(created - timedelta(minutes=rng.randint(5, 60))),
        "ts2": iso_z(created + timedelta(minutes=rng.randint(20, 90))),
        "since": hm(created - timedelta(minutes=rng.randint(20, 180))),
        "host": host,
        "host_fqdn": f"{host_prefix}-{host}.prod.{rs}.parcelstream.internal",
        "carrier": carrier,
        "carrier_slug": re.sub(r"[^a-z]", "", carrier.lower()),
        "service": rng.choice(SERVICE_LEVELS),
        "pct": rng.choice((5, 8, 10, 12, 15, 20, 25, 30, 35, 40)),
        "n": rng.choice((240, 380, 450, 600, 750, 900, 1100, 1400)),
        "n2": rng.randint(3, 28),
        "site": rng.choice(SITES[region]),
        "endpoint": ENDPOINT[component],
        "job": "exp_" + hex_digits(rng, 10),
        "rows": f"{rng.uniform(2.2, 6.5):.1f}M",
        "keyfrag": hex_digits(rng, 6),
        "trk2": hex_digits(rng, 6),
        "eng_ticket": f"ENG-{rng.randint(4100, 9800)}",
        "codename": CODENAMES.get(component, rng.choice(GLOBAL_CODENAMES)),
        "first": requester.first,
        "account_name": spec.name,
        "domain": spec.domain,
        "component": component,
        "sdk": rng.choice(SDKS),
        "webhook_url": f"https://hooks.{spec.domain}/parcelstream/events",
        "agent": agent.name,
        "agent_first": agent.first,
    }


def _description(rng: random.Random, arch: Archetype, ctx: dict[str, Any], requester: Person,
                 spec: AccountSpec, created: datetime) -> str:
    parts = [rng.choice(phrases().customer_openers), fill(rng.choice(arch.symptoms), ctx)]
    if arch.kind == "defect":
        parts.append(f"Environment: API {ctx['version']}, region {ctx['region']}, {ctx['sdk']}.")
        if arch.repro and rng.random() < 0.8:
            steps = "\n".join(f"{i}. {fill(s, ctx)}" for i, s in enumerate(arch.repro, 1))
            parts.append("Steps to reproduce:\n" + steps)
        if arch.logs and rng.random() < 0.9:
            lines = log_lines(rng, arch.logs, ctx, created, rng.randint(1, 3))
            parts.append("Log excerpt:\n" + "\n".join(lines))
        if arch.impacts:
            parts.append("Impact: " + fill(rng.choice(arch.impacts), ctx))
    parts.append(signature(rng, requester, spec))
    return "\n\n".join(parts)


def _plan_beats(rng: random.Random, arch: Archetype, priority: str, zendesk: bool, solved: bool) -> list[str]:
    lo, hi = COMMENT_RANGE[priority]
    if arch.kind == "question":
        lo, hi = 2, 4
    n = rng.randint(lo, hi)
    head = ["desc"] if zendesk else []
    head.append("fr")
    tail = ["resolution"] if solved else []
    budget = max(0, n - len(head) - len(tail))
    if arch.kind == "question":
        middle = ["customer"] * min(budget, 1)
        if budget > 1:
            middle.append("update")
        return head + middle + tail
    middle: list[str] = []
    pre_internal = budget > 0 and rng.random() < 0.25
    if pre_internal:
        budget -= 1
    prev = "fr"
    for _ in range(budget):
        if prev in ("fr", "update"):
            nxt = weighted_choice(rng, ["customer", "internal", "update"], [0.65, 0.27, 0.08])
        elif prev == "customer":
            nxt = weighted_choice(rng, ["update", "internal"], [0.6, 0.4])
        else:
            nxt = weighted_choice(rng, ["update", "customer"], [0.7, 0.3])
        middle.append(nxt)
        prev = nxt
    if solved and middle and middle[-1] != "customer" and rng.random() < 0.6:
        middle[-1] = "confirm"
    if pre_internal:
        head = head[:-1] + ["internal", "fr"]
    return head + middle + tail


def _beat_offsets(rng: random.Random, beats: list[str], fr_delay: float, cadence: int,
                  slip: float) -> list[timedelta]:
    """When each beat of a thread happens, relative to ticket creation.

    Public agent updates follow the update cadence (with some slip, so a few miss it); customer
    replies and internal notes fall in between.
    """
    t_fr = minutes(fr_delay)
    out: list[timedelta] = []
    cursor = timedelta(0)
    last_pub = t_fr
    for i, beat in enumerate(beats):
        if beat == "desc":
            t = timedelta(0)
        elif beat == "fr":
            t = t_fr
        elif beat == "internal" and cursor < t_fr:
            t = minutes(fr_delay * rng.uniform(0.3, 0.85))
        elif beat == "update":
            t = max(last_pub + minutes(cadence * rng.uniform(0.45, 1.0 + slip)), cursor + timedelta(minutes=3))
        elif beat in ("customer", "confirm"):
            t = cursor + minutes(max(4.0, min(cadence, 720) * rng.uniform(0.1, 0.7)))
        elif beat == "internal":
            t = cursor + minutes(max(3.0, min(cadence, 480) * rng.uniform(0.05, 0.4)))
        elif i and beats[i - 1] == "confirm":  # resolution right after the customer confirms
            t = cursor + minutes(rng.uniform(10, 240))
        else:  # resolution
            t = max(last_pub + minutes(cadence * rng.uniform(0.4, 1.0 + slip)), cursor + timedelta(minutes=5))
        t = timedelta(seconds=int(t.total_seconds()))
        if beat in ("fr", "update", "resolution"):
            last_pub = t
        out.append(t)
        cursor = max(cursor, t)
    return out


@dataclass
class _Pools:
    """The texts one thread draws from, each used once, and the root cause it ends with."""

    internal: list[str]
    updates: list[str]
    followups: list[str]
    cause: str
    fix: str


def _pools(rng: random.Random, arch: Archetype) -> _Pools:
    internal = list(arch.internal) + list(phrases().internal_notes)
    rng.shuffle(internal)
    cause_idx = rng.randrange(len(arch.causes)) if arch.causes else 0
    cause, fix = (arch.causes[cause_idx].cause, arch.causes[cause_idx].fix) if arch.causes else ("", "")
    # archetype updates describe the first cause; other causes get neutral progress notes
    updates = list(arch.updates) if cause_idx == 0 or arch.kind == "question" else list(phrases().neutral_updates)
    followups = list(arch.followups) + list(phrases().customer_followups)
    rng.shuffle(followups)
    if arch.kind == "defect":
        followups = list(arch.followups) + [f for f in followups if f not in arch.followups]
    return _Pools(internal, updates, followups, cause, fix)


def _timeline(rng: random.Random, spec: AccountSpec, arch: Archetype, priority: str, created: datetime,
              zendesk: bool, want_open: bool | None) -> tuple[datetime, list[str], list[datetime], bool]:
    """(created, beats, their times, whether open): the thread planned to resolution, then cut by the snapshot.

    An open ticket is one whose thread the snapshot cuts, so it always shows recent activity
    rather than weeks of silence.
    """
    fr_target = spec.first_response_target(priority)
    cadence = spec.cadence(priority)
    breach = rng.random() < spec.breach_rate
    fr_delay = fr_target * (rng.uniform(1.1, 2.6) if breach else rng.uniform(0.15, 0.95))
    latest = min(WINDOW_END, SNAPSHOT - minutes(fr_delay) - timedelta(minutes=rng.randint(30, 240)))
    if created > latest:
        created = whole_seconds(latest)
    if want_open is None:
        p_open = 0.0
        if created >= OPEN_FROM and priority != "P1":  # generated P1s get solved within hours
            p_open = 0.12 + 0.38 * (created - OPEN_FROM) / (WINDOW_END - OPEN_FROM)
        want_open = rng.random() < p_open
    beats = _plan_beats(rng, arch, priority, zendesk, solved=True)
    offsets = _beat_offsets(rng, beats, fr_delay, cadence, spec.cadence_slip)
    if want_open:
        # created so that the snapshot falls after the first response but before the resolution
        newest = min(latest, SNAPSHOT - offsets[beats.index("fr")] - timedelta(minutes=10))
        oldest = max(OPEN_FROM, SNAPSHOT - offsets[-1])
        if oldest >= newest:
            oldest = newest - timedelta(hours=12)
        created = whole_seconds(oldest + (newest - oldest) * rng.random())
    times = [whole_seconds(created + o) for o in offsets]
    if times[-1] > SNAPSHOT:
        want_open = True
    if want_open:
        beats, times = _cut_at_snapshot(rng, beats, times)
    return created, beats, times, want_open


def _cut_at_snapshot(rng: random.Random, beats: list[str], times: list[datetime]) -> tuple[list[str], list[datetime]]:
    """An open thread: no resolution, and only what happened before the snapshot (at least two beats)."""
    beats, times = beats[:-1], times[:-1]  # no resolution
    beats = ["customer" if b == "confirm" else b for b in beats]
    keep = [i for i, t in enumerate(times) if t <= SNAPSHOT]
    rest = [i for i, t in enumerate(times) if t > SNAPSHOT]
    beats_kept, times_kept = [beats[i] for i in keep], [times[i] for i in keep]
    if len(beats_kept) < 2:
        nxt = beats[rest[0]] if rest else "customer"
        beats_kept.append(nxt)
        times_kept.append(whole_seconds(times_kept[-1] + (SNAPSHOT - times_kept[-1]) * rng.uniform(0.2, 0.8)))
    return beats_kept, times_kept


def _first_response(rng: random.Random, arch: Archetype, priority: str, pools: _Pools, local: dict[str, Any],
                    at: datetime, cadence: int) -> str:
    if arch.kind == "question":
        return fill(pools.updates.pop(0) if pools.updates else "Here is how this works.", local)
    lead = fill(rng.choice(phrases().agent_first_response_leads), local)
    text = lead + " " + fill(rng.choice(arch.asks), local) if arch.asks else lead
    if priority in ("P1", "P2") and arch.workaround:
        text += f"\n\nIn the meantime, you can {fill(arch.workaround, local)}."
    if priority in ("P1", "P2"):
        text += "\n\n" + next_update_line(at, cadence)
    return text


def _resolution(pools: _Pools, local: dict[str, Any], created: datetime, at: datetime, region: str) -> tuple[str, str]:
    """(the agent's closing text, the root cause it states)."""
    fix_name, fix_date = next_release_after(created.date())
    local["fix_ref"] = (f"release {fix_name}" if fix_date and fix_date <= at.date()
                        else f"a server-side fix deployed to {region}")
    root_cause = fill(pools.cause, local)
    lines = [f"Root cause: {root_cause}."]
    if pools.fix:
        lines.append(f"Fix: {fill(pools.fix, local)}.")
    text = "\n".join(lines) + (
        "\n\nI'm marking this ticket as solved. Reply here if you see it again and it will reopen."
    )
    return text, root_cause


def _thread(rng: random.Random, spec: AccountSpec, arch: Archetype, priority: str, ctx: dict[str, Any],
            beats: list[str], times: list[datetime], requester: Person, agent: Person, description: str,
            created: datetime, region: str) -> tuple[list[CommentSpec], str]:
    """(the comments of each beat, the stated root cause or "" while open)."""
    cadence = spec.cadence(priority)
    pools = _pools(rng, arch)
    tam_updates = spec.tier in ("strategic", "enterprise") and priority in ("P1", "P2")
    comments: list[CommentSpec] = []
    root_cause = ""
    for beat, t in zip(beats, times):
        local = dict(ctx, ts2=iso_z(t - timedelta(minutes=rng.randint(3, 40))), req2="req_" + hex_digits(rng, 8))
        if beat == "desc":
            comments.append(CommentSpec(requester, t, description, True))
        elif beat == "fr":
            text = _first_response(rng, arch, priority, pools, local, t, cadence)
            comments.append(CommentSpec(agent, t, agent_body(agent, requester.first, text, rng), True))
        elif beat == "internal":
            note = fill(pools.internal.pop(0) if pools.internal else "Still investigating.", local)
            comments.append(CommentSpec(agent, t, note, False))
        elif beat in ("customer", "confirm"):
            who = requester if rng.random() < 0.8 else rng.choice(spec.contacts)
            if beat == "confirm":
                text = fill(rng.choice(phrases().customer_confirms), local)
            else:
                text = fill(pools.followups.pop(0) if pools.followups else "Any update?", local)
            comments.append(CommentSpec(who, t, f"{text}\n\n{who.first}", True))
        elif beat == "update":
            author = spec.tam if tam_updates and rng.random() < 0.4 else agent
            if pools.updates:
                text = fill(pools.updates.pop(0), local)
            else:
                text = ("We're still working through this with engineering and will share findings as soon as we "
                        "have them.")
            if priority in ("P1", "P2"):
                text += "\n\n" + next_update_line(t, cadence)
            comments.append(CommentSpec(author, t, agent_body(author, requester.first, text, rng), True))
        else:  # resolution
            text, root_cause = _resolution(pools, local, created, t, region)
            comments.append(CommentSpec(agent, t, agent_body(agent, requester.first, text, rng), True))
    return comments, root_cause


def _status(rng: random.Random, beats: list[str], want_open: bool, zendesk: bool) -> str:
    """Open tickets wait on whoever spoke last; a few solved ones are already closed."""
    if want_open:
        last = beats[-1]
        if last in ("fr", "update"):
            return "pending" if rng.random() < 0.6 else "open"
        if last == "internal":
            return "on_hold" if rng.random() < 0.5 else "open"
        return "open"
    if zendesk and rng.random() < 0.1:
        return "closed"
    if not zendesk and rng.random() < 0.15:
        return "closed"
    return "solved"


def build_ticket(
    rng: random.Random, spec: AccountSpec, arch: Archetype, priority: str, created: datetime,
    source: str, want_open: bool | None = None,
) -> TicketSpec:
    """One ticket with a realistic thread, first response and (if solved) a stated root cause."""
    region = spec.region if rng.random() < 0.85 else rng.choice(REGIONS)
    requester = rng.choice(spec.contacts)
    agent = pick_agent(rng, spec, region)
    lag = spec.version_lag if rng.random() < 0.7 else max(0, spec.version_lag - 1)
    zendesk = source == "zendesk"
    created, beats, times, want_open = _timeline(rng, spec, arch, priority, created, zendesk, want_open)
    version = release_for(created.date(), lag)
    ctx = _ticket_context(rng, spec, arch.component, created, version, region, requester, agent)
    ctx["cadence_text"] = human_minutes(spec.cadence(priority))
    ctx["code"] = arch.code or "these"
    subject = fill(rng.choice(arch.subjects), ctx)
    description = _description(rng, arch, ctx, requester, spec, created)
    comments, root_cause = _thread(rng, spec, arch, priority, ctx, beats, times, requester, agent, description,
                                   created, region)
    status = _status(rng, beats, want_open, zendesk)
    tags = [arch.tag]
    if priority in ("P1", "P2") and any(not c.public for c in comments):
        tags.append("escalated")
    return TicketSpec(
        account_id=spec.id, source=source, subject=subject, description=description, priority=priority,
        status=status, created_at=created, requester=requester, assignee=agent, component=arch.component,
        version=version, region=region, type=arch.zd_type, tags=tags, comments=comments,
        resolved_at=None if want_open else times[-1], root_cause=root_cause,
    )


def _pick_archetype(rng: random.Random, spec: AccountSpec, priority: str) -> Archetype:
    p = PRIORITIES.index(priority)
    items = [a for a in archetypes() if a.weights[p] > 0]
    weights = [a.weights[p] * (3.0 if a.component in spec.hot_components else 1.0) for a in items]
    return weighted_choice(rng, items, weights)


def _pick_created(rng: random.Random, spec: AccountSpec, start: datetime, end: datetime,
                  priority: str) -> datetime:
    u = rng.random()
    if spec.trend == "declining":
        x = 1 - math.sqrt(1 - u)
    elif spec.trend == "rising":
        x = math.sqrt(u)
    else:
        x = u
    day = start + (end - start) * x
    if priority in ("P3", "P4") or rng.random() < 0.6:
        local_hour = rng.uniform(8.0, 17.5)
        day = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
            hours=local_hour - REGION_UTC_OFFSET_H[spec.region])
    return whole_seconds(min(max(day, start), end))


def generate_tickets(rng: random.Random, spec: AccountSpec, count: int | None = None,
                     start: datetime = WINDOW_START, end: datetime = WINDOW_END) -> list[TicketSpec]:
    """The account's everyday ticket flow: volume, severity mix and components follow the spec."""
    count = spec.ticket_count if count is None else count
    sources = list(spec.sources)
    weights = [spec.source_weights.get(s, 1.0) for s in sources]
    tickets = []
    for _ in range(count):
        priority = weighted_choice(rng, list(PRIORITIES), spec.severity_weights)
        arch = _pick_archetype(rng, spec, priority)
        created = _pick_created(rng, spec, start, end, priority)
        source = weighted_choice(rng, sources, weights)
        tickets.append(build_ticket(rng, spec, arch, priority, created, source))
    return tickets


def ensure_open_tickets(rng: random.Random, spec: AccountSpec, tickets: list[TicketSpec], priority: str,
                        count: int) -> list[TicketSpec]:
    """Add open tickets of a priority (created in Oct-Nov) until the account has ``count`` of them."""
    have = sum(1 for t in tickets if t.priority == priority and t.is_open)
    added = []
    for _ in range(max(0, count - have)):
        arch = _pick_archetype(rng, spec, priority)
        created = whole_seconds(OPEN_FROM + (WINDOW_END - OPEN_FROM) * rng.uniform(0.55, 0.98))
        source = weighted_choice(rng, list(spec.sources), [spec.source_weights.get(s, 1.0) for s in spec.sources])
        added.append(build_ticket(rng, spec, arch, priority, created, source, want_open=True))
    return added
