"""The people in a synthetic portfolio: our staff (from ``stories/staff.yaml``) and random customers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from copilot.synth.specs import Person
from copilot.synth.story import StaffMember, account_vocabulary, staff
from copilot.synth.world import VENDOR_DOMAIN

__all__ = ["PAGERDUTY", "Team", "all_staff", "random_customer", "team"]

PAGERDUTY = Person(name="PagerDuty", email=f"pagerduty@{VENDOR_DOMAIN}", role="bot", title="Alerting bot")


@dataclass(frozen=True)
class Team:
    """Our people by group, as ``Person`` records with the group's role."""

    support_agents: dict[str, list[Person]]
    tams: list[Person]
    account_execs: list[Person]
    sres: list[Person]
    incident_commanders: list[Person]
    eng_managers: list[Person]
    support_leads: list[Person]
    component_engineers: dict[str, Person]


def _staff(member: StaffMember, role: str) -> Person:
    local = member.name.lower().replace(" ", ".").replace("'", "")
    return Person(name=member.name, email=f"{local}@{VENDOR_DOMAIN}", role=role, title=member.title)


@cache
def team() -> Team:
    """Our staff, loaded once from the bundled story file."""
    s = staff()

    def group(members: tuple[StaffMember, ...], role: str) -> list[Person]:
        return [_staff(m, role) for m in members]

    return Team(
        support_agents={region: group(members, "agent") for region, members in s.support_agents.items()},
        tams=group(s.tams, "tam"),
        account_execs=group(s.account_execs, "ae"),
        sres=group(s.sres, "sre"),
        incident_commanders=group(s.incident_commanders, "manager"),
        eng_managers=group(s.eng_managers, "manager"),
        support_leads=group(s.support_leads, "agent"),
        component_engineers={c: _staff(m, "engineer") for c, m in s.component_engineers.items()},
    )


def all_staff() -> list[Person]:
    """Every one of our people once, by name."""
    t = team()
    people: dict[str, Person] = {}
    for group in (
        *t.support_agents.values(), t.tams, t.account_execs, t.sres, t.incident_commanders, t.eng_managers,
        t.support_leads, list(t.component_engineers.values()),
    ):
        for p in group:
            people.setdefault(p.name, p)
    return [people[k] for k in sorted(people)]


def random_customer(rng: random.Random, used: set[str], domain: str, title: str) -> Person:
    """A customer person with a name not in ``used`` (which it extends), e-mail at ``domain``."""
    vocabulary = account_vocabulary()
    while True:
        name = f"{rng.choice(vocabulary.first_names)} {rng.choice(vocabulary.last_names)}"
        if name not in used:
            used.add(name)
            break
    email = f"{name.lower().replace(' ', '.')}@{domain}"
    return Person(name=name, email=email, role="customer", title=title)
