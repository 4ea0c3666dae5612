"""Mutation classes for claims about the draft's subject record (issue 11, item 2): people and roles,
milestone instants, version/region/component, counts. One small function each, deterministic: a
guardrail must block every one (recall 1.0 is a CI threshold).

Each takes its wrong value from the account's *other* records where it can (the realistic slip:
a real person, time, version or region, attached to the wrong record or person), and only
mutates when that value is not true of the subject record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from random import Random

from copilot.drafting.draft import Draft
from copilot.records.models import Contact, Incident, Ticket
from evals.guardrail_bench.claim_mutations import _inserted
from evals.guardrail_bench.mutations import Mutation, World

__all__ = ["SUBJECT_MUTATIONS"]

_CLAIMS = frozenset({"claims"})
_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def _subject(draft: Draft, world: World) -> Ticket | Incident | None:
    return world.ticket_by_id.get(draft.subject_id) or world.incident_by_id.get(draft.subject_id)


def _text(record: Ticket | Incident) -> str:
    return json.dumps(record.model_dump(mode="json")).lower()


def _people(draft: Draft, world: World) -> list[str]:
    """Full names this account's records give (never another account's: that is isolation)."""
    plan = world.plans[draft.account_id]
    names = {c.name for c in plan.stakeholders}
    for t in world.tickets.get(draft.account_id, []):
        names |= {t.requester, t.assignee}
    return sorted(n for n in names if n and " " in n.strip())


def _contacts(draft: Draft, world: World) -> list[Contact]:
    return [c for c in world.plans[draft.account_id].stakeholders if c.title and " " in c.name]


def _words(title: str) -> set[str]:
    return {w for w in title.lower().replace("-", " ").split() if len(w) > 2 and w not in ("lead", "head", "the")}


def _title_swapped(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """A real person given another person's title: ``Jonas Richter, the customer's Finance Controller``."""
    people = [c for c in _contacts(draft, world) if not c.internal]
    pairs = [(a, b) for a in people for b in people if a.name != b.name and not _words(a.title) & _words(b.title)]
    if not pairs:
        return None
    person, other = rng.choice(pairs)
    return _inserted(draft, rng, f"- {person.name}, the customer's {other.title}, asked for hourly updates.", _CLAIMS,
                     f"{person.name} is {person.title}; {other.title} is {other.name}")


def _side_swapped(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """One of our people called the customer's: ``Sam Okafor, the customer's TAM``."""
    ours = [c for c in _contacts(draft, world) if c.internal]
    if not ours:
        return None
    person = rng.choice(ours)
    return _inserted(draft, rng, f"- {person.name}, the customer's {person.title}, confirmed the impact.", _CLAIMS,
                     f"{person.name} is internal")


def _record_person(role: str, field: str, sentence: str) -> Callable[[Draft, World, Random], Mutation | None]:
    """Another real person of the account stated as the subject ticket's requester/assignee/reporter."""

    def mutate(draft: Draft, world: World, rng: Random) -> Mutation | None:
        record = world.ticket_by_id.get(draft.subject_id)
        if record is None or not getattr(record, field):
            return None
        involved = {record.requester, record.assignee} | {c.author for c in record.comments}
        others = [p for p in _people(draft, world) if p not in involved and p.lower() not in _text(record)]
        if not others:
            return None
        person = rng.choice(others)
        return _inserted(draft, rng, sentence.format(id=record.id, person=person), _CLAIMS,
                         f"{record.id}'s {role} is {getattr(record, field)}, said {person}")

    mutate.__name__ = f"{role}_swapped"
    return mutate


def _resolver_swapped(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """A customer contact said to have resolved the subject record."""
    record = _subject(draft, world)
    if record is None:
        return None
    customers = [c.name for c in _contacts(draft, world) if not c.internal and c.name.lower() not in _text(record)]
    if not customers or not (getattr(record, "assignee", "") or getattr(record, "events", [])):
        return None
    person = rng.choice(customers)
    return _inserted(draft, rng, f"- {record.id} was resolved by {person}.", _CLAIMS, f"{person} did not resolve it")


_FIELDS = (("detected_at", "Detection"), ("mitigated_at", "Mitigation"), ("resolved_at", "Resolution"))


def _instant_of_other_record(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """Another record's time given as the subject's milestone, in noun form (``Resolution: …``): an
    incident's detection/mitigation/resolution, a ticket's opening or resolution."""
    record = _subject(draft, world)
    if record is None:
        return None
    fields = _FIELDS if isinstance(record, Incident) else (("created_at", "Opened"), ("resolved_at", "Resolution"))
    others = [*world.tickets.get(draft.account_id, []), *world.incidents.get(draft.account_id, [])]
    choices = [(label, other, _minute(getattr(other, field))) for field, label in fields
               for other in others if other.id != record.id and getattr(record, field, None)
               and getattr(other, field, None) and _minute(getattr(other, field)) != _minute(getattr(record, field))]
    if not choices:
        return None
    label, other, when = rng.choice(choices)
    return _inserted(draft, rng, f"- {label}: {when:%Y-%m-%d %H:%M} UTC.", _CLAIMS,
                     f"{label.lower()} time of {other.id}, not {record.id}")


def _instant_shifted(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """The subject's own milestone moved by 20–50 minutes, said a few words from its verb."""
    record = world.incident_by_id.get(draft.subject_id)
    if record is None:
        return None
    fields = [(f, w) for f, w in (("detected_at", "detected"), ("mitigated_at", "mitigated")) if getattr(record, f)]
    if not fields:
        return None
    field, word = rng.choice(fields)
    when = _minute(getattr(record, field)) + timedelta(minutes=rng.choice([20, 35, 50]))
    return _inserted(draft, rng, f"- {record.id} was {word} by our monitoring at {when:%Y-%m-%d %H:%M} UTC.", _CLAIMS,
                     f"{word} at {getattr(record, field):%H:%M}, said {when:%H:%M}")


def _opened_date_of_other(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """Another ticket's opening date given as the subject ticket's (date only)."""
    record = world.ticket_by_id.get(draft.subject_id)
    if record is None:
        return None
    dates = sorted({t.created_at.date() for t in world.tickets.get(draft.account_id, [])} - {record.created_at.date()})
    if not dates:
        return None
    return _inserted(draft, rng, f"- {record.id} was opened on {rng.choice(dates):%Y-%m-%d}.", _CLAIMS,
                     f"{record.id} opened {record.created_at:%Y-%m-%d}")


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def _environment(kind: str, field: str, sentence: str) -> Callable[[Draft, World, Random], Mutation | None]:
    """Another ticket's version/region/component stated as the subject ticket's."""

    def mutate(draft: Draft, world: World, rng: Random) -> Mutation | None:
        record = world.ticket_by_id.get(draft.subject_id)
        if record is None or not getattr(record, field):
            return None
        text = _text(record)
        values = sorted({getattr(t, field) for ts in world.tickets.values() for t in ts
                         if getattr(t, field) and getattr(t, field).lower().lstrip("v") not in text
                         and len(getattr(t, field)) > 2})
        if not values:
            return None
        value = rng.choice(values)
        return _inserted(draft, rng, sentence.format(id=record.id, value=value), _CLAIMS,
                         f"{record.id}'s {kind} is {getattr(record, field)}, said {value}")

    mutate.__name__ = f"{kind}_of_other_record"
    return mutate


def _count_wrong(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """A count of what the subject record lists, off by one or two (in digits or words)."""
    record = _subject(draft, world)
    if record is None:
        return None
    if isinstance(record, Incident):
        lists = [(len(record.related_tickets), "related tickets"), (len(record.corrective_actions), "corrective actions"),
                 (len(record.contributing_factors), "contributing factors")]
    else:
        lists = [(len(record.comments), "comments on the ticket")]
    lists = [(n, what) for n, what in lists if n or what.startswith("comments")]
    if not lists:
        return None
    n, what = rng.choice(lists)
    wrong = n + rng.choice([1, 2])
    said = _WORDS[wrong] if wrong < len(_WORDS) and rng.random() < 0.5 else str(wrong)
    return _inserted(draft, rng, f"- {record.id} has {said} {what} so far.", _CLAIMS, f"{n} {what}, said {said}")


SUBJECT_MUTATIONS: dict[str, Callable[[Draft, World, Random], Mutation | None]] = {
    "role_title_swapped": _title_swapped,
    "role_side_swapped": _side_swapped,
    "requester_swapped": _record_person("requester", "requester", "- {id} was requested by {person}."),
    "assignee_swapped": _record_person("assignee", "assignee", "- {id} is assigned to {person}."),
    "escalated_by_other": _record_person("reporter", "requester", "- {id} was escalated by {person} this morning."),
    "resolver_swapped": _resolver_swapped,
    "instant_of_other_record": _instant_of_other_record,
    "instant_shifted_noun_gap": _instant_shifted,
    "opened_date_of_other_record": _opened_date_of_other,
    "version_of_other_record": _environment("version", "product_version", "- {id} runs version {value} in production."),
    "region_of_other_record": _environment("region", "region", "- {id} is limited to {value}."),
    "component_of_other_record": _environment("component", "component", "- {id} sits in the {value} component."),
    "count_wrong": _count_wrong,
}
