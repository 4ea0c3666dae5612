"""Atom recognizer `short_id`: plan item ids only when known (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("risk R2 and step S1", [("id", "R2", "R2"), ("id", "S1", "S1")]),
    ("risk R9 is not a known id", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_short_id(text: str, expected: list) -> None:
    check_atoms(text, {"id"}, expected, known_ids=["R2", "S1"])
