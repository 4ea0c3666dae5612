"""Incidents: an incident record, its Slack channel and the customer ticket(s) it relates to.

Each incident plays one scripted scenario (``stories/scenarios/*.yaml``) for one account: the
milestones are drawn from the scenario's duration ranges, the channel messages are placed in the
phases between milestones, and the TAM's customer updates follow the account's update cadence.

The steps below run in a fixed order on one ``random.Random``: reordering them changes every
generated portfolio.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from copilot.synth.conversation import agent_body, log_lines, next_update_line, pick_agent, signature
from copilot.synth.ids import ticket_ref
from copilot.synth.people import PAGERDUTY, team
from copilot.synth.randomness import hex_digits
from copilot.synth.specs import AccountSpec, CommentSpec, IncidentSpec, Person, SynthSlackMessage, TicketSpec
from copilot.synth.story import Scenario, phrases, scenarios
from copilot.synth.templating import fill
from copilot.synth.timestamps import hm, iso_z, minutes, whole_seconds
from copilot.synth.world import CARRIERS, REGION_SHORT, RELEASES, SDKS, SITES, SNAPSHOT, release_for

__all__ = ["build_incident"]

Note = tuple[datetime, str]
"""A line the TAM posts in the channel after a customer update."""


@dataclass(frozen=True)
class _Milestones:
    started: datetime
    detected: datetime
    engaged: datetime
    mitigated: datetime
    resolved: datetime | None  # None: still in monitoring at the snapshot
    end: datetime  # the last moment the channel covers
    detect_minutes: float

    def phases(self) -> dict[str, tuple[datetime, datetime]]:
        """The span of each phase the scenario's messages are anchored to."""
        phases = {"detect": (self.detected, self.engaged), "engage": (self.engaged, self.mitigated)}
        if self.resolved:
            phases["mitigate"] = (self.mitigated, self.resolved)
            phases["resolve"] = (self.resolved, self.resolved + timedelta(minutes=90))
        else:
            phases["monitor"] = (self.mitigated, self.end)
        return phases


@dataclass(frozen=True)
class _Incident:
    """What every step of one incident needs."""

    spec: AccountSpec
    scenario: Scenario
    id: str
    channel: str
    region: str
    cadence: int
    milestones: _Milestones
    roles: dict[str, Person]
    ctx: dict[str, Any]

    @property
    def requester(self) -> Person:
        return self.spec.contacts[0]

    @property
    def symptom(self) -> str:
        return fill(self.scenario.symptom_short, self.ctx)

    @property
    def workaround(self) -> str:
        return fill(self.scenario.workaround, self.ctx)

    @property
    def recovery(self) -> str:
        return fill(self.scenario.recovery, self.ctx)


@dataclass(frozen=True)
class _Schedule:
    """When the primary ticket hears from us."""

    first_response: datetime
    followup: bool  # whether the customer chases once before the first update
    updates: list[datetime]
    mitigated_update: datetime
    monitor_updates: list[datetime]
    final_update: datetime | None


def _milestones(rng: random.Random, sc: Scenario, started_at: datetime, durations: dict[str, float] | None,
                monitor_until: datetime | None) -> _Milestones:
    d = {k: float(rng.randint(*v)) if v[1] else 0.0 for k, v in dict(sc.durations).items()}
    d.update(durations or {})
    started = whole_seconds(started_at)
    detected = whole_seconds(started + minutes(d["detect"]))
    engaged = whole_seconds(detected + minutes(d["engage"]))
    mitigated = whole_seconds(engaged + minutes(d["mitigate"]))
    resolved = None if sc.ongoing else whole_seconds(mitigated + minutes(d["resolve"]))
    end = resolved + timedelta(minutes=90) if resolved else (
        monitor_until or min(SNAPSHOT - timedelta(hours=2), mitigated + timedelta(hours=30)))
    return _Milestones(started, detected, engaged, mitigated, resolved, end, d["detect"])


def _roles(rng: random.Random, spec: AccountSpec, component: str, region: str) -> dict[str, Person]:
    """Who plays each role of the scenario script."""
    sre = rng.choice(team().sres)
    sre2 = rng.choice([s for s in team().sres if s.name != sre.name])
    ic = rng.choice(team().incident_commanders)
    em = rng.choice([m for m in team().eng_managers if m.name != ic.name])
    eng = team().component_engineers[component]
    support = pick_agent(rng, spec, region)
    return {"bot": PAGERDUTY, "sre": sre, "sre2": sre2, "ic": ic, "eng": eng, "em": em, "tam": spec.tam,
            "support": support}


def _context(rng: random.Random, spec: AccountSpec, incident_id: str, channel: str, region: str, carrier: str,
             cadence: int, ms: _Milestones, roles: dict[str, Person]) -> dict[str, Any]:
    """The values the scenario's templates are filled from."""
    version = release_for(ms.started.date(), 0)
    idx = [r[0] for r in RELEASES].index(version)
    prev_version = RELEASES[max(0, idx - 1)][0]
    major, minor, patch = version.split(".")
    fix_version = f"{major}.{minor}.{int(patch) + 1}"
    return {
        "region": region, "rs": REGION_SHORT[region], "account_name": spec.name, "carrier": carrier,
        "carrier_slug": re.sub(r"[^a-z]", "", carrier.lower()), "version": version,
        "prev_version": prev_version, "fix_version": fix_version, "cadence": cadence,
        "started_hm": hm(ms.started), "mitigated_hm": hm(ms.mitigated),
        "resolved_hm": hm(ms.resolved) if ms.resolved else "", "detect_min": int(ms.detect_minutes),
        "pd": f"P{rng.randint(1000000, 9999999)}", "pct": rng.choice((20, 25, 30, 35, 40, 45)),
        "site": rng.choice(SITES[region]), "webhook_url": f"https://hooks.{spec.domain}/parcelstream/events",
        "sdk": rng.choice(SDKS), "keyfrag": hex_digits(rng, 6), "incident_id": incident_id, "channel": channel,
        "ticket": ticket_ref(f"{incident_id}:t1"), "started_iso": iso_z(ms.started), "impact_hm": hm(ms.started),
        **{f"{r}_first": p.first for r, p in roles.items()},
    }


def _description(rng: random.Random, inc: _Incident, created: datetime) -> str:
    """The customer's report that opens the primary ticket, with a log excerpt."""
    logs = log_lines(rng, inc.scenario.ticket_logs, dict(inc.ctx), created, 2)
    body = fill(inc.scenario.ticket_body, dict(inc.ctx, logs="\n".join(logs)))
    return f"{rng.choice(phrases().customer_openers)}\n\n{body}\n\n{signature(rng, inc.requester, inc.spec)}"


def _channel_messages(rng: random.Random, inc: _Incident, created: datetime) -> list[SynthSlackMessage]:
    """The scripted messages, spread over their phases (dense early in long phases)."""
    messages: list[SynthSlackMessage] = []
    for phase, (p_start, p_end) in inc.milestones.phases().items():
        script = [m for m in inc.scenario.messages if m.phase == phase]
        span = (p_end - p_start).total_seconds()
        n = len(script)
        for k, m in enumerate(script):
            if "start" in m.flags:
                at = p_start
            else:
                frac = (k + rng.uniform(0.15, 0.85)) / (n + 0.5)
                if span > 4 * 3600:  # long phases: conversation is dense early, sparse later
                    frac = frac ** 2
                at = p_start + timedelta(seconds=span * frac)
            if "ticket" in m.flags:
                at = max(at, created + timedelta(minutes=rng.randint(2, 6)))
            at = whole_seconds(at)
            messages.append(SynthSlackMessage(at, inc.roles[m.role], fill(m.text, inc.ctx), flags=m.flags))
    return messages


def _schedule(rng: random.Random, inc: _Incident, created: datetime, zendesk: bool) -> _Schedule:
    """The first response, then the TAM's updates: from engagement on, at the account's cadence."""
    ms, cadence = inc.milestones, inc.cadence
    fr_at = whole_seconds(created + minutes(inc.spec.first_response_target(inc.scenario.priority)
                                            * rng.uniform(0.3, 0.85)))
    fixed = (1 if zendesk else 0) + 1 + 1 + 1 + (1 if ms.resolved else 0)  # desc, fr, internal, mitigated, final
    budget = 8 - fixed
    followup = budget >= 3
    max_updates = budget - (1 if followup else 0)
    updates: list[datetime] = []
    t = whole_seconds(max(fr_at + minutes(cadence * rng.uniform(0.75, 0.98)),
                          ms.engaged + timedelta(minutes=rng.randint(6, 15))))
    while len(updates) < max_updates and t < ms.mitigated:
        updates.append(t)
        t = whole_seconds(t + minutes(cadence * rng.uniform(0.75, 0.98)))
    mitigated_update = whole_seconds(ms.mitigated + timedelta(minutes=rng.randint(5, 14)))
    monitor_updates: list[datetime] = []
    if not ms.resolved:
        t = mitigated_update
        while len(monitor_updates) < max_updates - len(updates):
            t = whole_seconds(t + minutes(cadence * rng.uniform(0.8, 0.98)))
            if t > ms.end:
                break
            monitor_updates.append(t)
    final_update = whole_seconds(ms.resolved + timedelta(minutes=rng.randint(10, 35))) if ms.resolved else None
    return _Schedule(fr_at, followup, updates, mitigated_update, monitor_updates, final_update)


def _opening_comments(rng: random.Random, inc: _Incident, sched: _Schedule, created: datetime,
                      description: str, zendesk: bool) -> list[CommentSpec]:
    """The report (Zendesk keeps it as a comment), first response, internal link note, customer chase."""
    support, requester, fr_at = inc.roles["support"], inc.requester, sched.first_response
    comments: list[CommentSpec] = []
    if zendesk:
        comments.append(CommentSpec(requester, created, description, True))
    fr_text = (f"Thank you for reporting this. We are investigating {inc.symptom} in {inc.region} with high "
               f"priority and have engaged our engineering team. Workaround: {inc.workaround}\n\n"
               f"{next_update_line(fr_at, inc.cadence)}")
    comments.append(CommentSpec(support, fr_at, agent_body(support, requester.first, fr_text, rng), True))
    note_at = whole_seconds(max(inc.milestones.engaged, fr_at) + timedelta(minutes=rng.randint(2, 8)))
    comments.append(CommentSpec(support, note_at, f"Linked to {inc.id} (#{inc.channel}). IC is "
                                f"{inc.roles['ic'].name}; {inc.roles['tam'].name} owns customer comms. Internal "
                                f"updates go in the channel, not here.", False))
    if sched.followup and sched.updates:
        fu_at = whole_seconds(fr_at + (sched.updates[0] - fr_at) * rng.uniform(0.3, 0.8))
        comments.append(CommentSpec(rng.choice(inc.spec.contacts), fu_at,
                                    f"Still affected on our side. The {inc.ctx['site']} is holding work until this "
                                    f"is fixed. Is there anything we should change in the meantime?", True))
    return comments


def _progress_updates(rng: random.Random, inc: _Incident, sched: _Schedule,
                      identified_at: datetime | None) -> tuple[list[CommentSpec], list[Note]]:
    """The TAM's updates before mitigation (investigating, then identified) and their channel notes."""
    tam, first, ticket = inc.roles["tam"], inc.requester.first, inc.ctx["ticket"]
    comments: list[CommentSpec] = []
    notes: list[Note] = []
    for i, at in enumerate(sched.updates, 1):
        state = "identified" if identified_at and at >= identified_at else "investigating"
        if state == "identified":
            text = (f"Update: we have identified the area causing {inc.symptom} and are applying a mitigation. "
                    f"We don't yet have a confirmed time for recovery. Workaround: {inc.workaround}")
        else:
            text = (f"Update: we are still investigating {inc.symptom} in {inc.region}. Engineering, SRE and "
                    f"support are engaged. Workaround: {inc.workaround}")
        text += "\n\n" + next_update_line(at, inc.cadence)
        comments.append(CommentSpec(tam, at, agent_body(tam, first, text, rng), True))
        notes.append((at, f"Customer update #{i} posted on {ticket} ({state}). Next one due "
                          f"{(at + timedelta(minutes=inc.cadence)).strftime('%H:%M')} UTC."))
    return comments, notes


def _closing_updates(rng: random.Random, inc: _Incident, sched: _Schedule) -> tuple[list[CommentSpec], list[Note]]:
    """Mitigated, then monitoring updates (incident still open) or the resolution with its root cause."""
    tam, first, ticket, ms = inc.roles["tam"], inc.requester.first, inc.ctx["ticket"], inc.milestones
    if ms.resolved:
        mt = (f"Update: a mitigation was applied at {hm(ms.mitigated)} UTC and {inc.recovery}. We are monitoring "
              f"closely before closing the incident.\n\n{next_update_line(sched.mitigated_update, inc.cadence)}")
    else:
        mt = (f"Update: a mitigation was applied at {hm(ms.mitigated)} UTC and {inc.recovery}. The underlying "
              f"cause is still under investigation, so we are keeping the incident open and monitoring.\n\n"
              f"{next_update_line(sched.mitigated_update, inc.cadence)}")
    comments = [CommentSpec(tam, sched.mitigated_update, agent_body(tam, first, mt, rng), True)]
    notes: list[Note] = [(sched.mitigated_update, f"Customer told mitigation is in place, monitoring. Posted on "
                                                  f"{ticket}.")]
    monitor_texts = phrases().incident_monitoring_updates
    for i, at in enumerate(sched.monitor_updates):
        text = f"{monitor_texts[i % len(monitor_texts)]}\n\n{next_update_line(at, inc.cadence)}"
        comments.append(CommentSpec(tam, at, agent_body(tam, first, text, rng), True))
        notes.append((at, f"Monitoring update posted on {ticket}. No root cause shared."))
    if sched.final_update and ms.resolved:
        rc = fill(inc.scenario.root_cause_customer, inc.ctx)
        text = (f"This incident is resolved as of {hm(ms.resolved)} UTC on {ms.resolved:%Y-%m-%d}.\n\nRoot cause: "
                f"{rc}.\n\nA post-incident review with the timeline and corrective actions will follow. I'm "
                f"marking this ticket as solved.")
        comments.append(CommentSpec(tam, sched.final_update, agent_body(tam, first, text, rng), True))
        notes.append((sched.final_update, f"Resolution posted to {inc.spec.name} on {ticket}; PIR promised."))
    return comments, notes


def _primary_ticket(rng: random.Random, inc: _Incident, source: str, created: datetime, description: str,
                    sched: _Schedule, messages: list[SynthSlackMessage]) -> tuple[TicketSpec, list[Note]]:
    """The customer's ticket for the incident, and the channel notes of the updates posted on it."""
    zendesk = source == "zendesk"
    identified_at = next((m.at for m in messages if "identified" in m.flags), None)
    comments = _opening_comments(rng, inc, sched, created, description, zendesk)
    progress, notes = _progress_updates(rng, inc, sched, identified_at)
    closing, closing_notes = _closing_updates(rng, inc, sched)
    comments = sorted(comments + progress + closing, key=lambda c: c.created_at)
    sc, resolved = inc.scenario, inc.milestones.resolved
    ticket = TicketSpec(
        account_id=inc.spec.id, source=source, subject=fill(sc.ticket_subject, inc.ctx), description=description,
        priority=sc.priority, status="solved" if resolved else "open", created_at=created,
        requester=inc.requester, assignee=inc.roles["support"], component=sc.component,
        version=inc.ctx["version"], region=inc.region, type="incident", tags=["incident", "escalated"],
        comments=comments, resolved_at=sched.final_update,
        root_cause=fill(sc.root_cause, inc.ctx) if resolved else "", key=f"{inc.id}:t1",
    )
    return ticket, notes + closing_notes


def _duplicate_ticket(rng: random.Random, inc: _Incident, source: str, created: datetime,
                      final_update: datetime | None) -> TicketSpec:
    """A colleague's P2 about the same symptom, answered with a link to the primary ticket."""
    spec, support, tam, ticket = inc.spec, inc.roles["support"], inc.roles["tam"], inc.ctx["ticket"]
    other = spec.contacts[1 % len(spec.contacts)]
    t2 = whole_seconds(created + timedelta(minutes=rng.randint(15, 45)))
    fr2 = whole_seconds(t2 + minutes(spec.first_response_target("P2") * rng.uniform(0.2, 0.7)))
    c2 = [
        CommentSpec(support, fr2, agent_body(support, other.first,
                    f"Thanks for flagging this. It is part of an ongoing incident ({inc.symptom}); "
                    f"all updates are being posted on {ticket}, which your colleague "
                    f"{inc.requester.name} opened. I'll keep this ticket linked.", rng), True),
        CommentSpec(support, whole_seconds(fr2 + timedelta(minutes=3)), f"Duplicate of {ticket} / {inc.id}.", False),
    ]
    if final_update:
        c2.append(CommentSpec(tam, whole_seconds(final_update + timedelta(minutes=6)), agent_body(
            tam, other.first, f"The incident is resolved.\n\nRoot cause: as described on {ticket} "
                              f"(incident {inc.id}); the post-incident review will follow there. Closing "
                              f"this one as a duplicate.", rng), True))
    desc2 = (f"Hi,\n\nWe're seeing {inc.symptom} from our {inc.ctx['site']} integration too, since about "
             f"{hm(inc.milestones.started)} UTC. Is this related to what {inc.requester.first} reported?\n\n"
             f"{signature(rng, other, spec)}")
    if source == "zendesk":
        c2.insert(0, CommentSpec(other, t2, desc2, True))
    resolved = inc.milestones.resolved is not None
    return TicketSpec(
        account_id=spec.id, source=source, subject=f"Also seeing {inc.symptom}",
        description=desc2, priority="P2", status="solved" if resolved else "open", created_at=t2,
        requester=other, assignee=support, component=inc.scenario.component, version=inc.ctx["version"],
        region=inc.region, type="incident", tags=["incident", "duplicate"], comments=c2,
        resolved_at=c2[-1].created_at if resolved else None, key=f"{inc.id}:t2",
    )


def _slack_ts(rng: random.Random, at: datetime, used: set[str]) -> str:
    while True:
        ts = f"{int(at.timestamp())}.{rng.randint(100, 999899):06d}"
        if ts not in used:
            used.add(ts)
            return ts


def _post_notes(rng: random.Random, inc: _Incident, messages: list[SynthSlackMessage], notes: list[Note]) -> None:
    """Add the TAM's notes to the channel (up to its end), sort it and give every message its ``ts``."""
    for at, text in notes:
        if at <= inc.milestones.end:
            messages.append(SynthSlackMessage(whole_seconds(at + timedelta(seconds=rng.randint(20, 90))),
                                              inc.roles["tam"], text))
    messages.sort(key=lambda m: (m.at, m.author.name))
    used: set[str] = set()
    for m in messages:
        m.ts = _slack_ts(rng, m.at, used)


def _status_events(rng: random.Random, inc: _Incident, identified: SynthSlackMessage | None) -> list[dict[str, Any]]:
    ms = inc.milestones
    events = [
        {"at": whole_seconds(ms.detected + timedelta(minutes=rng.randint(3, 8))), "status": "investigating",
         "text": f"We are investigating {inc.symptom} in {inc.region}."},
    ]
    if identified:
        events.append({"at": identified.at, "status": "identified",
                       "text": f"The cause of {inc.symptom} has been identified and a mitigation is in progress."})
    events.append({"at": ms.mitigated, "status": "monitoring",
                   "text": f"A mitigation has been applied and {inc.recovery}. We are monitoring."})
    if ms.resolved:
        events.append({"at": ms.resolved, "status": "resolved", "text": "This incident has been resolved."})
    return events


def _corrective_actions(inc: _Incident) -> list[dict[str, Any]]:
    """The scenario's actions, due after the incident; "done" ones not yet due are still in progress."""
    due_base = (inc.milestones.resolved or inc.milestones.mitigated).date()
    actions = []
    for i, item in enumerate(inc.scenario.actions, 1):
        due = due_base + timedelta(days=item.due_days)
        status = "in_progress" if due > SNAPSHOT.date() and item.status == "done" else item.status
        actions.append({"id": f"CA-{i}", "action": fill(item.action, inc.ctx), "owner": inc.roles[item.owner].name,
                        "due": due, "status": status})
    return actions


def _record(rng: random.Random, inc: _Incident, tickets: list[TicketSpec], messages: list[SynthSlackMessage],
            priority_label: str) -> IncidentSpec:
    """The incident record: milestones, root cause (citing its channel message), events, actions."""
    sc, ms, ctx = inc.scenario, inc.milestones, inc.ctx

    def msg_with(flag: str) -> SynthSlackMessage | None:
        return next((m for m in messages if flag in m.flags), None)

    rc_msg = msg_with("root_cause") or msg_with("hypothesis")
    status_events = _status_events(rng, inc, msg_with("identified"))
    last_update = max(c.created_at for c in tickets[0].comments if c.public and c.author.is_agent)
    return IncidentSpec(
        id=inc.id, account_id=inc.spec.id, title=fill(sc.title, ctx), priority=sc.priority,
        status="resolved" if ms.resolved else "monitoring", channel=inc.channel, summary=fill(sc.summary, ctx),
        customer_impact=fill(sc.customer_impact, ctx), workaround=inc.workaround, started_at=ms.started,
        detected_at=ms.detected, engaged_at=ms.engaged, mitigated_at=ms.mitigated, resolved_at=ms.resolved,
        last_customer_update_at=last_update, related=tickets,
        root_cause={
            "status": "confirmed" if ms.resolved else "unconfirmed",
            "summary": fill(sc.root_cause, ctx),
            "source": f"slack:{inc.channel}:{rc_msg.ts}" if rc_msg else "",
        },
        contributing_factors=[fill(c, ctx) for c in sc.contributing], corrective_actions=_corrective_actions(inc),
        status_events=status_events, messages=messages, component=sc.component, region=inc.region,
        priority_label=priority_label,
    )


def build_incident(
    rng: random.Random,
    spec: AccountSpec,
    scenario_key: str,
    incident_id: str,
    started_at: datetime,
    *,
    durations: dict[str, float] | None = None,
    source: str | None = None,
    channel: str | None = None,
    region: str | None = None,
    carrier: str | None = None,
    second_ticket_source: str | None = None,
    monitor_until: datetime | None = None,
    priority_label: str = "",
) -> tuple[IncidentSpec, list[TicketSpec]]:
    """An incident record, its Slack channel and the customer ticket(s) it relates to.

    Milestones follow the scenario's duration ranges (or ``durations`` in minutes: detect,
    engage, mitigate, resolve). Customer updates on the primary ticket follow the account's
    update cadence for the priority; each one is also noted in the channel by the TAM.
    """
    sc = scenarios()[scenario_key]
    region = region or spec.region
    carrier = carrier or rng.choice(CARRIERS)
    ms = _milestones(rng, sc, started_at, durations, monitor_until)
    channel = channel or f"inc-{spec.id}-{ms.started:%m%d}"
    source = source or spec.sources[0]
    cadence = spec.cadence(sc.priority)
    roles = _roles(rng, spec, sc.component, region)
    ctx = _context(rng, spec, incident_id, channel, region, carrier, cadence, ms, roles)
    inc = _Incident(spec, sc, incident_id, channel, region, cadence, ms, roles, ctx)

    created = whole_seconds(ms.started + timedelta(minutes=rng.randint(*sc.ticket_offset)))
    description = _description(rng, inc, created)
    messages = _channel_messages(rng, inc, created)
    sched = _schedule(rng, inc, created, zendesk=source == "zendesk")
    ticket, notes = _primary_ticket(rng, inc, source, created, description, sched, messages)
    tickets = [ticket]
    if second_ticket_source:
        tickets.append(_duplicate_ticket(rng, inc, second_ticket_source, created, sched.final_update))
    _post_notes(rng, inc, messages, notes)
    incident = _record(rng, inc, tickets, messages, priority_label)
    if channel not in spec.slack_channels:
        spec.slack_channels.append(channel)
    return incident, tickets
