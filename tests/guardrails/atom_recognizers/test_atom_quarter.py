"""Atom recognizer `quarter`: quarter and half-year labels (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("the Q3 2026 review", [("quarter", "Q3 2026", "Q3 2026")]),
    ("2026-Q4 and H1", [("quarter", "2026-Q4", "2026-Q4"), ("quarter", "H1", "H1")]),
    ("Quarterly", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_quarter(text: str, expected: list) -> None:
    check_atoms(text, {"quarter"}, expected, known_ids=["R2", "S1"])
