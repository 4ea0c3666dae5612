"""Account data is cached per store and store version, never in module globals: a second store
on the same file has its own cache, and a record written through the store is seen by the next check."""

from __future__ import annotations

from copilot.drafting.draft import Draft
from copilot.guardrails.context import build_context
from copilot.records.store import Store


def _brief(ticket_id: str, account_id: str) -> Draft:
    return Draft(kind="escalation_brief", account_id=account_id, subject_id=ticket_id, markdown="# Brief\n")


def test_account_data_is_kept_per_store_and_rebuilt_after_a_write(home_copy) -> None:
    store = Store(home_copy / "records.sqlite3")
    ticket = store.tickets()[0]
    draft = _brief(ticket.id, ticket.account_id)
    first = build_context(store, draft).account
    assert build_context(store, draft).account is first  # cached on this store

    other = Store(home_copy / "records.sqlite3")
    assert build_context(other, draft).account is not first  # no cache shared between stores

    changed = ticket.model_copy(update={"subject": ticket.subject + " (renamed 4242)"})
    with store.transaction():
        store.put_ticket(changed, "changed-digest")
    after = build_context(store, draft).account
    assert after is not first
    assert "(renamed 4242)" in after.tickets[ticket.id].subject
