"""Record identity across runs: a ticket or incident id belongs to one source and account.

Ids are what citations name, so an id already stored for one (source, account) that
arrives from another is a collision: two different records, or a mapping mistake. It is
quarantined with both owners named; the stored record is never moved or overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping

from copilot.records.models import Incident, QuarantineEntry, Ticket

__all__ = ["Owner", "collision", "owner_of", "refuse_collisions"]

Owner = tuple[str, str, str]
"""(account id, source, source file) of a stored record."""


def owner_of(record: Ticket | Incident) -> tuple[str, str]:
    """The (account id, source) a record is keyed by besides its id."""
    source = record.source if isinstance(record, Ticket) else "incident"
    return record.account_id, source


def collision(record: Ticket | Incident, held: Owner) -> QuarantineEntry:
    """The quarantine entry for ``record`` whose id is already held by ``held``."""
    kind = "ticket" if isinstance(record, Ticket) else "incident"
    account, source = owner_of(record)
    held_account, held_source, held_file = held
    return QuarantineEntry(
        file=record.source_file,
        row=record.id,
        reason=(f"{kind} id {record.id} is already stored for account {held_account!r} "
                f"(source {held_source}, {held_file or 'unknown file'}); this row is account "
                f"{account!r} (source {source}). Ids are unique per source and account: "
                "refusing to move or merge it"),
        action=(f"if these are two different {kind}s, fix the account mappings in the plans (or the "
                f"id); if it really moved to {account!r}, remove it from {held_file or 'its old file'}, "
                "run `ingest --prune` on that file, then ingest this one again"),
    )


def refuse_collisions(records: dict[str, Ticket] | dict[str, Incident],
                      stored: Mapping[str, Owner]) -> list[QuarantineEntry]:
    """Drop from ``records`` (in place) every record whose id another owner holds."""
    refused = []
    for record_id, record in list(records.items()):
        held = stored.get(record_id)
        if held is not None and (held[0], held[1]) != owner_of(record):
            refused.append(collision(record, held))
            del records[record_id]
    return refused
