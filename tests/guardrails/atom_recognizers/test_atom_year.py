"""Atom recognizer `year`: years on their own (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("since 2024", [("year", "2024", 2024.0)]),
    ("id 20245 is not a year", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_year(text: str, expected: list) -> None:
    check_atoms(text, {"year"}, expected, known_ids=["R2", "S1"])
