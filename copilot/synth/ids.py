"""Ticket ids: native ids per source system, stable hashed ids, and ``[[ticket:KEY]]`` references.

Tickets are built before they have ids (a Slack message may cite a ticket not yet numbered), so
text refers to a ticket as ``[[ticket:KEY]]``; ``assign_ticket_ids`` numbers every ticket and
``resolve_refs`` swaps the references for the final ids when the files are written.
"""

from __future__ import annotations

import hashlib
import random
import re
from typing import Any

from copilot.synth.specs import AccountSpec, TicketSpec

__all__ = ["IdCounter", "assign_ticket_ids", "resolve_refs", "stable_code", "stable_int", "ticket_ref"]

_REF = re.compile(r"\[\[ticket:([^\]]+)\]\]")


def ticket_ref(key: str) -> str:
    """A placeholder for a ticket's final id, resolved when the portfolio is written."""
    return f"[[ticket:{key}]]"


def stable_int(text: str, digits: int) -> int:
    """A ``digits``-digit number derived from ``text`` (the same text always gives the same number)."""
    h = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)
    return 10 ** (digits - 1) + h % (9 * 10 ** (digits - 1))


def stable_code(prefix: str, text: str, length: int = 9) -> str:
    """``prefix`` plus ``length`` characters derived from ``text``, Slack-id style."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    h = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)
    out = []
    for _ in range(length):
        h, r = divmod(h, len(alphabet))
        out.append(alphabet[r])
    return prefix + "".join(out)


def assign_ticket_ids(rng: random.Random, accounts: list[AccountSpec], tickets: list[TicketSpec]) -> None:
    """Give every ticket its native id, in creation order per system (idempotent)."""
    todo = [t for t in tickets if not t.native_id]
    order = lambda t: (t.created_at, t.account_id, t.subject)  # noqa: E731
    by_id = {a.id: a for a in accounts}
    # Zendesk: one instance, ids sequential over time across all organisations.
    taken = {int(t.native_id) for t in tickets if t.source == "zendesk" and t.native_id}
    n = max(taken, default=4000 + rng.randint(50, 400))
    for t in sorted((t for t in todo if t.source == "zendesk"), key=order):
        n += rng.randint(1, 4)
        t.native_id, t.record_id = str(n), f"ZD-{n}"
    # Jira: one project per account.
    for acc in accounts:
        items = sorted((t for t in todo if t.source == "jira" and t.account_id == acc.id), key=order)
        if not items:
            continue
        if not acc.jira_key:
            raise ValueError(f"account {acc.id} has Jira tickets but no jira_key")
        k = rng.randint(40, 400)
        for t in items:
            k += rng.randint(1, 3)
            t.native_id = t.record_id = f"{acc.jira_key}-{k}"
    # CSV: ServiceNow-style numbers from one global sequence; spreadsheet ids per account.
    snow = sorted((t for t in todo if t.source == "csv" and by_id[t.account_id].csv_style == "servicenow"),
                  key=order)
    n = 31000 + rng.randint(0, 900)
    for t in snow:
        n += rng.randint(1, 25)
        t.native_id = t.record_id = f"INC{n:07d}"
    for acc in accounts:
        if acc.csv_style != "sheet":
            continue
        items = sorted((t for t in todo if t.source == "csv" and t.account_id == acc.id), key=order)
        k = rng.randint(1000, 1900)
        for t in items:
            k += 1
            t.native_id = t.record_id = f"{acc.short}-{k}"
    ids = [t.record_id for t in tickets]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate ticket ids assigned")


def resolve_refs(value: Any, key_map: dict[str, str]) -> Any:
    """Replace [[ticket:KEY]] placeholders (recursively) with final ticket ids."""
    if isinstance(value, str):
        if "[[" not in value:
            return value

        def sub(m: re.Match[str]) -> str:
            if m.group(1) not in key_map:
                raise KeyError(f"unknown ticket reference {m.group(0)}")
            return key_map[m.group(1)]

        return _REF.sub(sub, value)
    if isinstance(value, list):
        return [resolve_refs(v, key_map) for v in value]
    if isinstance(value, dict):
        return {k: resolve_refs(v, key_map) for k, v in value.items()}
    return value


class IdCounter:
    """Sequential ids for one system (comment ids, issue ids), shared across accounts."""

    def __init__(self, start: int) -> None:
        self.value = start

    def next(self, step: int = 1) -> int:
        self.value += step
        return self.value

