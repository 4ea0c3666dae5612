"""Building check contexts, with the account data cached per store and store version.

There is no module-level cache: a ``ContextCache`` belongs to one record source (a ``Store``
keeps it in ``store.caches``) and holds the data of one version of its records; after any
write the next context starts a new one. A record source without ``caches`` (an in-memory
``RecordSet``) builds its account data afresh each time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from copilot.drafting.draft import Draft
from copilot.errors import NotFound
from copilot.guardrails.account_data import AccountData
from copilot.guardrails.check_context import CheckContext
from copilot.guardrails.others import AccountRecords, PortfolioIdentifiers
from copilot.guardrails.record_facts import RecordSet
from copilot.guardrails.text import NormalizedText, normalize
from copilot.records.models import AccountPlan, Incident, Runbook, Ticket
from copilot.records.source import RecordSource

__all__ = ["ContextCache", "account_data", "build_context", "clear_cache", "context_from_records", "portfolio"]

_CACHE_KEY = "guardrails.context"
_ACCOUNTS_KEPT = 64


class ContextCache:
    """The portfolio identifiers and per-account data of one version of one record source."""

    def __init__(self, version: tuple) -> None:
        self.version = version
        self.portfolio: PortfolioIdentifiers | None = None
        self.accounts: OrderedDict[str, AccountData] = OrderedDict()
        self.lock = threading.Lock()

    @classmethod
    def of(cls, store: RecordSource) -> "ContextCache":
        """The cache of ``store``'s current records (a new one after any write)."""
        version = store.version()
        caches = getattr(store, "caches", None)
        if caches is None:
            return cls(version)
        hit = caches.get(_CACHE_KEY)
        if hit is None or hit.version != version:
            hit = caches[_CACHE_KEY] = cls(version)
        return hit

    def portfolio_of(self, store: RecordSource) -> PortfolioIdentifiers:
        if self.portfolio is None:
            tickets: dict[str, list[Ticket]] = {}
            incidents: dict[str, list[Incident]] = {}
            for t in store.tickets():
                tickets.setdefault(t.account_id, []).append(t)
            for i in store.incidents():
                incidents.setdefault(i.account_id, []).append(i)
            built = PortfolioIdentifiers(
                (p, tickets.get(p.account.id, []), incidents.get(p.account.id, [])) for p in store.plans()
            )
            with self.lock:
                self.portfolio = self.portfolio or built
        return self.portfolio

    def account(self, store: RecordSource, account_id: str) -> AccountData:
        with self.lock:
            hit = self.accounts.get(account_id)
            if hit is not None:
                self.accounts.move_to_end(account_id)
                return hit
        plan = store.plan(account_id)
        if plan is None:
            known = ", ".join(p.account.id for p in store.plans()) or "none: run ingest first"
            raise NotFound(
                f"the draft's account {account_id!r} is not in this home (known: {known}); "
                "check --home or ingest the account's records"
            )
        data = AccountData(
            plan, store.tickets(account_id), store.incidents(account_id), store.runbooks(), self.portfolio_of(store)
        )
        with self.lock:
            self.accounts[account_id] = data
            while len(self.accounts) > _ACCOUNTS_KEPT:
                self.accounts.popitem(last=False)
        return data


def clear_cache(store: RecordSource) -> None:
    """Drop the account data cached for ``store`` (it is rebuilt on the next check)."""
    caches = getattr(store, "caches", None)
    if caches is not None:
        caches.pop(_CACHE_KEY, None)


def portfolio(store: RecordSource) -> PortfolioIdentifiers:
    """The ``PortfolioIdentifiers`` of every account in ``store`` (cached per store version)."""
    return ContextCache.of(store).portfolio_of(store)


def account_data(store: RecordSource, account_id: str) -> AccountData:
    """The ``AccountData`` for ``account_id`` in ``store`` (cached per store version)."""
    return ContextCache.of(store).account(store, account_id)


def _normalized(draft: Draft) -> tuple[Draft, NormalizedText, Draft]:
    """``(the draft the checks read, its text map, the draft as submitted)``: Markdown rendered
    from the sections when empty, then normalized (NFKC, no invisible characters, look-alikes
    mapped) for the checks."""
    if not draft.markdown:
        draft = draft.model_copy()
        draft.finalize()
    text_map = normalize(draft.markdown)
    checked = draft.model_copy(update={"markdown": text_map.text}) if text_map.changed else draft
    return checked, text_map, draft


def build_context(store: RecordSource, draft: Draft) -> CheckContext:
    """A ``CheckContext`` for ``draft`` from the records of its home."""
    checked, text_map, original = _normalized(draft)
    return CheckContext(
        draft=checked,
        account=account_data(store, draft.account_id),
        source=store,
        text_map=text_map,
        original=original,
    )


def context_from_records(
    draft: Draft,
    plan: AccountPlan,
    tickets: list[Ticket] = (),
    incidents: list[Incident] = (),
    runbooks: list[Runbook] = (),
    others: list[AccountRecords] = (),
) -> CheckContext:
    """A context built straight from records (tests, tools): no store, no index.

    Args:
        others: the other accounts' records (what the draft must not mention).
    """
    checked, text_map, original = _normalized(draft)
    everyone = [(plan, list(tickets), list(incidents)), *others]
    records = RecordSet(
        [p for p, _, _ in everyone],
        [t for _, ts, _ in everyone for t in ts],
        [i for _, _, is_ in everyone for i in is_],
        list(runbooks),
    )
    return CheckContext(
        draft=checked,
        account=AccountData(plan, list(tickets), list(incidents), list(runbooks), PortfolioIdentifiers(everyone)),
        source=records,
        text_map=text_map,
        original=original,
    )
