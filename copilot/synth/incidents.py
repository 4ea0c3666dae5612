"""Incidents: an incident record, its Slack channel and the customer ticket(s) it relates to.

Each incident plays one scripted scenario (``stories/scenarios/*.yaml``) for one account: the
milestones are drawn from the scenario's duration ranges, the channel messages are placed in the
phases between milestones, and the TAM's customer updates follow the account's update cadence.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from typing import Any

from copilot.synth.conversation import agent_body, log_lines, next_update_line, pick_agent, signature
from copilot.synth.ids import ticket_ref
from copilot.synth.people import PAGERDUTY, team
from copilot.synth.randomness import hex_digits
from copilot.synth.specs import AccountSpec, CommentSpec, IncidentSpec, SynthSlackMessage, TicketSpec
from copilot.synth.story import phrases, scenarios
from copilot.synth.templating import fill
from copilot.synth.timestamps import hm, iso_z, minutes, whole_seconds
from copilot.synth.world import CARRIERS, REGION_SHORT, RELEASES, SDKS, SITES, SNAPSHOT, release_for

__all__ = ["build_incident"]


def _slack_ts(rng: random.Random, at: datetime, used: set[str]) -> str:
    while True:
        ts = f"{int(at.timestamp())}.{rng.randint(100, 999899):06d}"
        if ts not in used:
            used.add(ts)
            return ts


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
    d = {k: float(rng.randint(*v)) if v[1] else 0.0 for k, v in dict(sc.durations).items()}
    d.update(durations or {})
    started = whole_seconds(started_at)
    detected = whole_seconds(started + minutes(d["detect"]))
    engaged = whole_seconds(detected + minutes(d["engage"]))
    mitigated = whole_seconds(engaged + minutes(d["mitigate"]))
    resolved = None if sc.ongoing else whole_seconds(mitigated + minutes(d["resolve"]))
    end = resolved + timedelta(minutes=90) if resolved else (
        monitor_until or min(SNAPSHOT - timedelta(hours=2), mitigated + timedelta(hours=30)))
    channel = channel or f"inc-{spec.id}-{started:%m%d}"
    source = source or spec.sources[0]
    prio = sc.priority
    cadence = spec.cadence(prio)

    # people
    sre = rng.choice(team().sres)
    sre2 = rng.choice([s for s in team().sres if s.name != sre.name])
    ic = rng.choice(team().incident_commanders)
    em = rng.choice([m for m in team().eng_managers if m.name != ic.name])
    eng = team().component_engineers[sc.component]
    tam = spec.tam
    support = pick_agent(rng, spec, region)
    roles = {"bot": PAGERDUTY, "sre": sre, "sre2": sre2, "ic": ic, "eng": eng, "em": em, "tam": tam,
             "support": support}

    version = release_for(started.date(), 0)
    idx = [r[0] for r in RELEASES].index(version)
    prev_version = RELEASES[max(0, idx - 1)][0]
    major, minor, patch = version.split(".")
    fix_version = f"{major}.{minor}.{int(patch) + 1}"
    requester = spec.contacts[0]
    ticket_key = f"{incident_id}:t1"
    ctx: dict[str, Any] = {
        "region": region, "rs": REGION_SHORT[region], "account_name": spec.name, "carrier": carrier,
        "carrier_slug": re.sub(r"[^a-z]", "", carrier.lower()), "version": version,
        "prev_version": prev_version, "fix_version": fix_version, "cadence": cadence,
        "started_hm": hm(started), "mitigated_hm": hm(mitigated),
        "resolved_hm": hm(resolved) if resolved else "", "detect_min": int(d["detect"]),
        "pd": f"P{rng.randint(1000000, 9999999)}", "pct": rng.choice((20, 25, 30, 35, 40, 45)),
        "site": rng.choice(SITES[region]), "webhook_url": f"https://hooks.{spec.domain}/parcelstream/events",
        "sdk": rng.choice(SDKS), "keyfrag": hex_digits(rng, 6), "incident_id": incident_id, "channel": channel,
        "ticket": ticket_ref(ticket_key), "started_iso": iso_z(started),
        **{f"{r}_first": p.first for r, p in roles.items()},
    }

    # --- primary customer ticket
    t_created = whole_seconds(started + timedelta(minutes=rng.randint(*sc.ticket_offset)))
    ctx["impact_hm"] = hm(started)
    logs = log_lines(rng, sc.ticket_logs, dict(ctx), t_created, 2)
    body = fill(sc.ticket_body, dict(ctx, logs="\n".join(logs)))
    description = f"{rng.choice(phrases().customer_openers)}\n\n{body}\n\n{signature(rng, requester, spec)}"
    # --- channel messages
    phases: dict[str, tuple[datetime, datetime]] = {
        "detect": (detected, engaged),
        "engage": (engaged, mitigated),
    }
    if resolved:
        phases["mitigate"] = (mitigated, resolved)
        phases["resolve"] = (resolved, resolved + timedelta(minutes=90))
    else:
        phases["monitor"] = (mitigated, end)
    used: set[str] = set()
    messages: list[SynthSlackMessage] = []
    for phase, (p_start, p_end) in phases.items():
        script = [m for m in sc.messages if m.phase == phase]
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
                at = max(at, t_created + timedelta(minutes=rng.randint(2, 6)))
            at = whole_seconds(at)
            messages.append(SynthSlackMessage(at, roles[m.role], fill(m.text, ctx), flags=m.flags))
    fr_at = whole_seconds(t_created + minutes(spec.first_response_target(prio) * rng.uniform(0.3, 0.85)))
    zendesk = source == "zendesk"
    fixed = (1 if zendesk else 0) + 1 + 1 + 1 + (1 if resolved else 0)  # desc, fr, internal, mitigated, final
    budget = 8 - fixed
    followup = budget >= 3
    max_updates = budget - (1 if followup else 0)

    ident_at = next((m.at for m in messages if "identified" in m.flags), None)

    def state_at(t: datetime) -> str:
        return "identified" if ident_at and t >= ident_at else "investigating"

    # The TAM's updates start once the incident is engaged, then follow the account's cadence.
    update_times: list[datetime] = []
    t = whole_seconds(max(fr_at + minutes(cadence * rng.uniform(0.75, 0.98)),
                 engaged + timedelta(minutes=rng.randint(6, 15))))
    while len(update_times) < max_updates and t < mitigated:
        update_times.append(t)
        t = whole_seconds(t + minutes(cadence * rng.uniform(0.75, 0.98)))
    mitigated_update = whole_seconds(mitigated + timedelta(minutes=rng.randint(5, 14)))
    monitor_updates: list[datetime] = []
    if not resolved:
        t = mitigated_update
        spare = max_updates - len(update_times)
        while len(monitor_updates) < spare:
            t = whole_seconds(t + minutes(cadence * rng.uniform(0.8, 0.98)))
            if t > end:
                break
            monitor_updates.append(t)
    final_update = whole_seconds(resolved + timedelta(minutes=rng.randint(10, 35))) if resolved else None

    comments: list[CommentSpec] = []
    if zendesk:
        comments.append(CommentSpec(requester, t_created, description, True))
    symptom = fill(sc.symptom_short, ctx)
    wk = fill(sc.workaround, ctx)
    fr_text = (f"Thank you for reporting this. We are investigating {symptom} in {region} with high priority "
               f"and have engaged our engineering team. Workaround: {wk}\n\n{next_update_line(fr_at, cadence)}")
    comments.append(CommentSpec(support, fr_at, agent_body(support, requester.first, fr_text, rng), True))
    note_at = whole_seconds(max(engaged, fr_at) + timedelta(minutes=rng.randint(2, 8)))
    comments.append(CommentSpec(support, note_at, f"Linked to {incident_id} (#{channel}). IC is {ic.name}; "
                                f"{tam.name} owns customer comms. Internal updates go in the channel, not here.",
                                False))
    if followup and update_times:
        fu_at = whole_seconds(fr_at + (update_times[0] - fr_at) * rng.uniform(0.3, 0.8))
        comments.append(CommentSpec(rng.choice(spec.contacts), fu_at,
                                    f"Still affected on our side. The {ctx['site']} is holding work until this "
                                    f"is fixed. Is there anything we should change in the meantime?", True))
    slack_notes: list[tuple[datetime, str]] = []
    for i, at in enumerate(update_times, 1):
        if state_at(at) == "identified":
            text = (f"Update: we have identified the area causing {symptom} and are applying a mitigation. "
                    f"We don't yet have a confirmed time for recovery. Workaround: {wk}")
        else:
            text = (f"Update: we are still investigating {symptom} in {region}. Engineering, SRE and support "
                    f"are engaged. Workaround: {wk}")
        text += "\n\n" + next_update_line(at, cadence)
        comments.append(CommentSpec(tam, at, agent_body(tam, requester.first, text, rng), True))
        slack_notes.append((at, f"Customer update #{i} posted on {ctx['ticket']} ({state_at(at)}). Next one due "
                                f"{(at + timedelta(minutes=cadence)).strftime('%H:%M')} UTC."))
    rec = fill(sc.recovery, ctx)
    if resolved:
        mt = (f"Update: a mitigation was applied at {hm(mitigated)} UTC and {rec}. We are monitoring closely "
              f"before closing the incident.\n\n{next_update_line(mitigated_update, cadence)}")
    else:
        mt = (f"Update: a mitigation was applied at {hm(mitigated)} UTC and {rec}. The underlying cause is "
              f"still under investigation, so we are keeping the incident open and monitoring.\n\n"
              f"{next_update_line(mitigated_update, cadence)}")
    comments.append(CommentSpec(tam, mitigated_update, agent_body(tam, requester.first, mt, rng), True))
    slack_notes.append((mitigated_update, f"Customer told mitigation is in place, monitoring. Posted on "
                                          f"{ctx['ticket']}."))
    monitor_texts = [
        "Update: the service has remained stable since the mitigation. We saw one short latency spike, much "
        "smaller than the original impact, and are tracking it. The root cause is not yet confirmed.",
        "Update: no change in the last period: performance is within the normal range. Engineering is still "
        "testing possible causes; we will share the root cause once it is confirmed.",
        "Update: the incident remains in monitoring. Performance is normal and the investigation into the "
        "cause continues; we'll keep the incident open until it is confirmed.",
    ]
    for i, at in enumerate(monitor_updates):
        text = f"{monitor_texts[i % len(monitor_texts)]}\n\n{next_update_line(at, cadence)}"
        comments.append(CommentSpec(tam, at, agent_body(tam, requester.first, text, rng), True))
        slack_notes.append((at, f"Monitoring update posted on {ctx['ticket']}. No root cause shared."))
    if final_update:
        rc = fill(sc.root_cause_customer, ctx)
        text = (f"This incident is resolved as of {hm(resolved)} UTC on {resolved:%Y-%m-%d}.\n\nRoot cause: {rc}."
                f"\n\nA post-incident review with the timeline and corrective actions will follow. I'm marking "
                f"this ticket as solved.")
        comments.append(CommentSpec(tam, final_update, agent_body(tam, requester.first, text, rng), True))
        slack_notes.append((final_update, f"Resolution posted to {spec.name} on {ctx['ticket']}; PIR promised."))
    comments.sort(key=lambda c: c.created_at)
    last_update = max(c.created_at for c in comments if c.public and c.author.is_agent)
    ticket = TicketSpec(
        account_id=spec.id, source=source, subject=fill(sc.ticket_subject, ctx), description=description,
        priority=prio, status="solved" if resolved else "open", created_at=t_created, requester=requester,
        assignee=support, component=sc.component, version=version, region=region, type="incident",
        tags=["incident", "escalated"], comments=comments, resolved_at=final_update,
        root_cause=fill(sc.root_cause, ctx) if resolved else "", key=ticket_key,
    )
    tickets = [ticket]

    if second_ticket_source:
        other = spec.contacts[1 % len(spec.contacts)]
        t2 = whole_seconds(t_created + timedelta(minutes=rng.randint(15, 45)))
        fr2 = whole_seconds(t2 + minutes(spec.first_response_target("P2") * rng.uniform(0.2, 0.7)))
        key2 = f"{incident_id}:t2"
        c2 = [
            CommentSpec(support, fr2, agent_body(support, other.first,
                        f"Thanks for flagging this. It is part of an ongoing incident ({symptom}); "
                        f"all updates are being posted on {ctx['ticket']}, which your colleague "
                        f"{requester.name} opened. I'll keep this ticket linked.", rng), True),
            CommentSpec(support, whole_seconds(fr2 + timedelta(minutes=3)),
                        f"Duplicate of {ctx['ticket']} / {incident_id}.", False),
        ]
        if resolved:
            c2.append(CommentSpec(tam, whole_seconds(final_update + timedelta(minutes=6)), agent_body(
                tam, other.first, f"The incident is resolved.\n\nRoot cause: as described on {ctx['ticket']} "
                                  f"(incident {incident_id}); the post-incident review will follow there. Closing "
                                  f"this one as a duplicate.", rng), True))
        desc2 = (f"Hi,\n\nWe're seeing {symptom} from our {ctx['site']} integration too, since about "
                 f"{hm(started)} UTC. Is this related to what {requester.first} reported?\n\n"
                 f"{signature(rng, other, spec)}")
        if second_ticket_source == "zendesk":
            c2.insert(0, CommentSpec(other, t2, desc2, True))
        tickets.append(TicketSpec(
            account_id=spec.id, source=second_ticket_source, subject=f"Also seeing {symptom}",
            description=desc2, priority="P2", status="solved" if resolved else "open", created_at=t2,
            requester=other, assignee=support, component=sc.component, version=version, region=region,
            type="incident", tags=["incident", "duplicate"], comments=c2,
            resolved_at=c2[-1].created_at if resolved else None, key=key2,
        ))

    for at, text in slack_notes:
        if at <= end:
            messages.append(SynthSlackMessage(whole_seconds(at + timedelta(seconds=rng.randint(20, 90))), tam, text))
    messages.sort(key=lambda m: (m.at, m.author.name))
    for m in messages:
        m.ts = _slack_ts(rng, m.at, used)

    def msg_with(flag: str) -> SynthSlackMessage | None:
        return next((m for m in messages if flag in m.flags), None)

    ident = msg_with("identified")
    rc_msg = msg_with("root_cause") or msg_with("hypothesis")
    status_events = [
        {"at": whole_seconds(detected + timedelta(minutes=rng.randint(3, 8))), "status": "investigating",
         "text": f"We are investigating {symptom} in {region}."},
    ]
    if ident:
        status_events.append({"at": ident.at, "status": "identified",
                              "text": f"The cause of {symptom} has been identified and a mitigation is in progress."})
    status_events.append({"at": mitigated, "status": "monitoring",
                          "text": f"A mitigation has been applied and {rec}. We are monitoring."})
    if resolved:
        status_events.append({"at": resolved, "status": "resolved", "text": "This incident has been resolved."})
    due_base = (resolved or mitigated).date()
    actions = []
    for i, item in enumerate(sc.actions, 1):
        action, role, days, status = item.action, item.owner, item.due_days, item.status
        due = due_base + timedelta(days=days)
        if due > SNAPSHOT.date() and status == "done":
            status = "in_progress"
        actions.append({"id": f"CA-{i}", "action": fill(action, ctx), "owner": roles[role].name, "due": due,
                        "status": status})
    incident = IncidentSpec(
        id=incident_id, account_id=spec.id, title=fill(sc.title, ctx), priority=prio,
        status="resolved" if resolved else "monitoring", channel=channel, summary=fill(sc.summary, ctx),
        customer_impact=fill(sc.customer_impact, ctx), workaround=wk, started_at=started, detected_at=detected,
        engaged_at=engaged, mitigated_at=mitigated, resolved_at=resolved, last_customer_update_at=last_update,
        related=tickets,
        root_cause={
            "status": "confirmed" if resolved else "unconfirmed",
            "summary": fill(sc.root_cause, ctx),
            "source": f"slack:{channel}:{rc_msg.ts}" if rc_msg else "",
        },
        contributing_factors=[fill(c, ctx) for c in sc.contributing], corrective_actions=actions,
        status_events=status_events, messages=messages, component=sc.component, region=region,
        priority_label=priority_label,
    )
    if channel not in spec.slack_channels:
        spec.slack_channels.append(channel)
    return incident, tickets
