"""What keeps a batch over a large portfolio from paying, for every account, for the whole portfolio:
indexed citation lookups, a given as-of that reads no records, a snapshot out of the collector's way."""

from __future__ import annotations

import gc
from datetime import datetime, timezone
from pathlib import Path

import pytest
from batch_helpers import corrupt_ticket
from pydantic import ValidationError

from copilot.batch.snapshot import SnapshotStore
from copilot.records.store import Chunk, Store

NOW = datetime(2026, 11, 16, 8, tzinfo=timezone.utc)


def _fill(store: Store, records: int, per_record: int = 5) -> None:
    with store.transaction():
        for r in range(records):
            rid = f"ZD-{r}"
            store.replace_chunks(rid, [Chunk(id=f"{rid}#{n}", record_id=rid, source_id=f"{rid}-c{n}", kind="comment",
                                             account_id=f"acct-{r % 50}", text=f"comment {n} of {rid}")
                                       for n in range(per_record)])


def _vm_steps(store: Store, source_ids: list[str]) -> tuple[int, list[str]]:
    """SQLite virtual-machine steps (in hundreds) spent looking the ids up, and the chunks found."""
    steps = 0

    def tick() -> int:
        nonlocal steps
        steps += 1
        return 0

    store.connection.set_progress_handler(tick, 100)
    try:
        found = [c.id for c in store.chunks_for_sources(source_ids)]
    finally:
        store.connection.set_progress_handler(None, 100)
    return steps, found


def test_citation_lookup_costs_the_rows_found_not_the_size_of_the_chunks_table(tmp_path: Path) -> None:
    small, large = Store(tmp_path / "small.sqlite3"), Store(tmp_path / "large.sqlite3")
    _fill(small, 40)
    _fill(large, 4000)  # 20,000 chunks: a 1,000-account portfolio has ~170,000
    cited = ["ZD-7-c2", "ZD-7", "ZD-39-c4"]  # a source id, a record id, another source id
    small_steps, small_found = _vm_steps(small, cited)
    large_steps, large_found = _vm_steps(large, cited)
    expected = ["ZD-39#4", "ZD-7#0", "ZD-7#1", "ZD-7#2", "ZD-7#3", "ZD-7#4"]
    assert small_found == large_found == expected
    assert large_steps <= small_steps + 5, f"{large_steps} vs {small_steps}: the lookup scans the table"


def test_a_given_as_of_reads_no_records(home: Path, account_ids: list[str]) -> None:
    """Drafting as of a given time must not parse every ticket of the portfolio to find the newest."""
    from copilot.service import Copilot

    corrupt_ticket(home, account_ids[1])  # any whole-table read of tickets now fails
    copilot = Copilot(home)
    assert copilot.clock(NOW).model_dump() == {"now": NOW, "source": "given"}
    with pytest.raises(ValidationError):
        copilot.clock()  # without one, the newest record decides, so every record is read


def test_the_snapshot_is_parsed_out_of_the_collectors_way(home: Path, account_ids: list[str]) -> None:
    frozen_before = gc.get_freeze_count()
    try:
        store = SnapshotStore(home / "records.sqlite3")
        tickets = store.tickets()
        assert gc.isenabled(), "the collector runs again after the parse"
        assert gc.get_freeze_count() - frozen_before >= len(tickets), "parsed records are frozen"
        assert not any(gc.is_tracked(t) and t in gc.get_objects(generation=2) for t in tickets[:3])
        by_account = {a: store.tickets(a) for a in account_ids}
        assert by_account == {a: Store(home / "records.sqlite3").tickets(a) for a in account_ids}, \
            "per-account reads: the same records in the same order as the store's"
        gc.disable()
        try:
            SnapshotStore(home / "records.sqlite3").incidents()
            assert not gc.isenabled(), "a collector the caller disabled stays disabled"
        finally:
            gc.enable()
    finally:
        gc.unfreeze()
