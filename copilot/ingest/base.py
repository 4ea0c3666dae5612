"""The ingest contract: what a source-format ingestor receives and returns.

An ingestor is a pure parser. It is given a file (and, for JSON/YAML, its parsed top
level), an :class:`AccountResolver` built from the known account plans, and returns a
:class:`ParseResult`: the records it could read plus one :class:`QuarantineEntry` per
row it could not. It never writes anywhere and never raises for bad data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from copilot.records.models import (
    AccountPlan,
    Comment,
    Incident,
    QuarantineEntry,
    Runbook,
    Ticket,
    UtcRecord,
)

__all__ = [
    "AccountResolver",
    "Ingestor",
    "MappingKind",
    "ParseResult",
    "SlackMessage",
]


class SlackMessage(UtcRecord):
    """One message of a Slack channel export, before an incident claims it."""

    channel: str  # channel name without '#', e.g. inc-northwind-0412
    ts: str  # Slack's message id: epoch seconds as a string
    user: str = ""  # Slack user id (U…), or the bot/username when there is none
    real_name: str = ""
    text: str = ""
    at: datetime
    source_file: str = ""


class ParseResult(BaseModel):
    """Everything one file yielded: records and quarantined rows."""

    model_config = ConfigDict(extra="forbid")

    plans: list[AccountPlan] = Field(default_factory=list)
    tickets: list[Ticket] = Field(default_factory=list)
    incidents: list[Incident] = Field(default_factory=list)
    runbooks: list[Runbook] = Field(default_factory=list)
    slack_messages: list[SlackMessage] = Field(default_factory=list)
    csv_comments: list[Comment] = Field(default_factory=list)
    quarantine: list[QuarantineEntry] = Field(default_factory=list)

    @property
    def record_count(self) -> int:
        """Number of records (not quarantined rows) in this result."""
        return (
            len(self.plans)
            + len(self.tickets)
            + len(self.incidents)
            + len(self.runbooks)
            + len(self.slack_messages)
            + len(self.csv_comments)
        )


MappingKind = Literal["zendesk_org", "jira_project", "customer_name", "slack_channel"]


def _norm_name(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().casefold()


def _norm_channel(value: str) -> str:
    return value.strip().lstrip("#").casefold()


def _norm_org(value: int | str) -> str:
    return str(value).strip()


class AccountResolver:
    """Resolves source identifiers to account ids through the plans' ``mappings``.

    A key claimed by two different accounts is ambiguous and resolves to ``None``
    (we never guess); :meth:`claimants` tells the two cases apart for error messages.
    """

    def __init__(self, plans: Iterable[AccountPlan] = ()) -> None:
        self._plans: dict[str, AccountPlan] = {}
        self._tables: dict[MappingKind, dict[str, set[str]]] = {
            "zendesk_org": defaultdict(set),
            "jira_project": defaultdict(set),
            "customer_name": defaultdict(set),
            "slack_channel": defaultdict(set),
        }
        for plan in plans:
            self.add(plan)

    def add(self, plan: AccountPlan) -> None:
        """Register one plan's account and mappings."""
        account_id = plan.account.id
        self._plans[account_id] = plan
        mappings = plan.mappings
        for org in mappings.zendesk_organization_ids:
            self._tables["zendesk_org"][_norm_org(org)].add(account_id)
        for key in mappings.jira_project_keys:
            self._tables["jira_project"][key.strip().upper()].add(account_id)
        for name in [plan.account.name, *plan.account.aliases, *mappings.csv_customer_names]:
            self._tables["customer_name"][_norm_name(name)].add(account_id)
        for channel in mappings.slack_channels:
            self._tables["slack_channel"][_norm_channel(channel)].add(account_id)

    def _key(self, kind: MappingKind, key: int | str) -> str:
        if kind == "zendesk_org":
            return _norm_org(key)
        if kind == "jira_project":
            return str(key).strip().upper()
        if kind == "customer_name":
            return _norm_name(str(key))
        return _norm_channel(str(key))

    def claimants(self, kind: MappingKind, key: int | str) -> list[str]:
        """All account ids whose plan maps ``key`` (sorted); more than one is a conflict."""
        return sorted(self._tables[kind].get(self._key(kind, key), set()))

    def _one(self, kind: MappingKind, key: int | str | None) -> str | None:
        if key is None:
            return None
        found = self.claimants(kind, key)
        return found[0] if len(found) == 1 else None

    def by_zendesk_org(self, org_id: int | str | None) -> str | None:
        """Account whose ``mappings.zendesk_organization_ids`` holds ``org_id``."""
        return self._one("zendesk_org", org_id)

    def by_jira_project(self, key: str | None) -> str | None:
        """Account whose ``mappings.jira_project_keys`` holds the project ``key``."""
        return self._one("jira_project", key)

    def by_customer_name(self, name: str | None) -> str | None:
        """Account whose name, aliases or ``csv_customer_names`` match (case-insensitive)."""
        return self._one("customer_name", name)

    def by_slack_channel(self, channel: str | None) -> str | None:
        """Account whose ``mappings.slack_channels`` holds ``channel`` ('#' optional)."""
        return self._one("slack_channel", channel)

    def known(self, account_id: str) -> bool:
        """Whether a plan defines ``account_id``."""
        return account_id in self._plans

    def plan(self, account_id: str) -> AccountPlan | None:
        """The plan of ``account_id``, if known."""
        return self._plans.get(account_id)

    @property
    def account_ids(self) -> list[str]:
        """Known account ids, sorted."""
        return sorted(self._plans)

    def email_domains(self, account_id: str) -> list[str]:
        """The account's email domains, lower-cased (empty when unknown)."""
        plan = self._plans.get(account_id)
        return [d.strip().lower().lstrip("@") for d in plan.account.email_domains] if plan else []


@runtime_checkable
class Ingestor(Protocol):
    """One source format: recognises its files and parses them into records."""

    name: str

    def matches(self, path: Path, data: object | None) -> bool:
        """Whether this ingestor reads ``path``.

        Args:
            path: the file.
            data: the parsed top level when the file is JSON/YAML, else ``None``.
        """
        ...

    def parse(self, path: Path, data: object | None, resolver: AccountResolver) -> ParseResult:
        """Parse the file; bad rows go to ``ParseResult.quarantine``, never raised."""
        ...
