"""The portfolio seen from one account: what identifies every account, built once per store version.

A draft for one account must mention nothing of the others (their names, aliases, record ids,
e-mail domains, customer-side people, Jira keys, Slack channels). ``PortfolioIdentifiers`` computes those
identifiers for every account in one pass, so checking the drafts of a 200-account batch costs
one pass over the store instead of one pass per draft; ``others_for`` then gives one account's
view of the rest.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from copilot.facts.people import people_of
from copilot.guardrails.atoms import PeopleMatcher, normalize_id
from copilot.records.models import AccountPlan, Incident, Ticket

__all__ = ["AccountRecords", "OtherAccount", "PortfolioIdentifiers"]

T = TypeVar("T")

AccountRecords = tuple[AccountPlan, list[Ticket], list[Incident]]
"""One account's plan, tickets and incidents."""


@dataclass(frozen=True)
class OtherAccount:
    """What identifies another account: a draft for this account must mention none of it."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    email_domains: tuple[str, ...] = ()
    record_ids: frozenset[str] = frozenset()  # tickets, comments, incidents, events (normalised)
    people: frozenset[str] = frozenset()  # customer-side people who appear nowhere in this account
    jira_keys: tuple[str, ...] = ()
    slack_channels: tuple[str, ...] = ()
    codenames: tuple[str, ...] = ()


def _record_ids(tickets: Iterable[Ticket], incidents: Iterable[Incident], account_id: str) -> set[str]:
    ids: set[str] = {f"plan:{account_id}"}
    for t in tickets:
        ids.add(t.id)
        ids.update(c.id for c in t.comments)
    for i in incidents:
        ids.add(i.id)
        ids.update(e.id for e in i.events)
        ids.update(e.source_id for e in i.events if e.source_id)
    return ids


class PortfolioIdentifiers:
    """Every account's identifiers, and the people matcher for names anywhere in the portfolio."""

    def __init__(self, accounts: Iterable[AccountRecords]) -> None:
        self.accounts: dict[str, OtherAccount] = {}
        self.people: dict[str, frozenset[str]] = {}  # account -> everyone named in its records
        self._owners: dict[str, tuple[str, ...]] = {}  # normalised record id -> accounts that have it
        all_names: set[str] = set()
        for plan, tickets, incidents in accounts:
            account_id = plan.account.id
            everyone, customers = people_of(plan, tickets, incidents)
            all_names |= everyone
            ids = frozenset(normalize_id(i) for i in _record_ids(tickets, incidents, account_id))
            for rid in ids:
                self._owners[rid] = self._owners.get(rid, ()) + (account_id,)
            self.people[account_id] = frozenset(everyone)
            self.accounts[account_id] = OtherAccount(
                id=account_id,
                name=plan.account.name,
                aliases=tuple(plan.account.aliases),
                email_domains=tuple(d.lower() for d in plan.account.email_domains),
                record_ids=ids,
                people=frozenset(customers),
                jira_keys=tuple(plan.mappings.jira_project_keys),
                slack_channels=tuple(plan.mappings.slack_channels),
                codenames=tuple(plan.internal_codenames),
            )
        self.people_matcher = PeopleMatcher.from_names(all_names)
        self._views: dict[str, list[OtherAccount]] = {}
        self._memo: dict[str, Any] = {}
        self._lock = threading.Lock()

    def remember(self, key: str, build: Callable[[], T]) -> T:
        """``build()`` memoised on this portfolio under ``key``: a value every account's checks
        share (e.g. each account's name forms), computed once per store version, not per draft."""
        hit = self._memo.get(key)
        if hit is None:
            hit = build()
            with self._lock:
                hit = self._memo.setdefault(key, hit)
        return hit

    def others_for(self, account_id: str) -> list[OtherAccount]:
        """Every other account, each with only the customer-side people ``account_id`` never names."""
        view = self._views.get(account_id)
        if view is None:
            own = self.people.get(account_id, frozenset())
            view = [
                replace(other, people=other.people - own) if other.people & own else other
                for other in self.accounts.values()
                if other.id != account_id
            ]
            with self._lock:
                self._views[account_id] = view
        return view

    def foreign_owner(self, account_id: str, record_id: str) -> str | None:
        """The other account that has ``record_id`` (any case), or None if only ``account_id`` or
        no account has it."""
        owners = self._owners.get(normalize_id(record_id), ())
        return next((owner for owner in owners if owner != account_id), None)
