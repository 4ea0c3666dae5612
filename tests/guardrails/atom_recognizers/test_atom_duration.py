"""Atom recognizer `duration`: durations in digits, value in minutes (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("took 3h 20m", [("duration", "3h 20m", 200.0)]),
    ("after 200 minutes", [("duration", "200 minutes", 200.0)]),
    ("1.5 hours", [("duration", "1.5 hours", 90.0)]),
    ("3h 20m, 200 minutes", [("duration", "3h 20m", 200.0), ("duration", "200 minutes", 200.0)]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_duration(text: str, expected: list) -> None:
    check_atoms(text, {"duration"}, expected, known_ids=["R2", "S1"])
