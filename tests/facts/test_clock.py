"""What "now" is for a home: given, wall clock, or the data's snapshot time (never today's date)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from copilot.facts.clock import SNAPSHOT_AFTER, data_clock

WALL = datetime(2030, 6, 1, 12, 0, tzinfo=timezone.utc)


def test_a_given_time_always_wins() -> None:
    given = datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)
    assert data_clock(WALL - timedelta(days=400), WALL, given).model_dump() == {"now": given, "source": "given"}


def test_live_records_use_the_wall_clock() -> None:
    clock = data_clock(WALL - timedelta(hours=5), WALL)
    assert clock.now == WALL and clock.source == "wall clock"
    assert data_clock(None, WALL).source == "wall clock"  # an empty home


def test_an_old_export_is_read_as_of_its_newest_record() -> None:
    newest = WALL - SNAPSHOT_AFTER - timedelta(minutes=1, seconds=30)
    clock = data_clock(newest, WALL)
    assert clock.source == "data snapshot"
    assert clock.now == newest.replace(second=0) + timedelta(minutes=1)  # just after it, to the minute
    assert "snapshot" in clock.note and "--as-of" in clock.note
