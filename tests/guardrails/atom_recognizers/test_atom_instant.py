"""Atom recognizer `instant`: dates, times and instants (exact spans and values)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from atom_cases import check_atoms

CASES = [
    ("at 2026-04-12 14:05 UTC.", [("datetime", "2026-04-12 14:05 UTC", datetime(2026, 4, 12, 14, 5, tzinfo=timezone.utc))]),
    ("on April 12 at 2:05 PM UTC", [("monthday", "April 12", (4, 12)), ("time", "2:05 PM UTC", (14, 5))]),
    ("due 2026-04-12", [("date", "2026-04-12", date(2026, 4, 12))]),
    ("seen 16:05 (CEST)", [("time", "16:05 (CEST)", (14, 5))]),
    ("ratio 3:1 and version 1.2", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_instant(text: str, expected: list) -> None:
    check_atoms(text, {"datetime", "date", "monthday", "time"}, expected, known_ids=["R2", "S1"])
