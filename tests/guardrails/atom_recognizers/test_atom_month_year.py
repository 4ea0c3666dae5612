"""Atom recognizer `month_year`: month-year phrases (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("since November 2026", [("month", "November 2026", (2026, 11))]),
    ("in Oct of 2025 and Nov 12, 2026", [("month", "Oct of 2025", (2025, 10))]),
    ("May we ask", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_month_year(text: str, expected: list) -> None:
    check_atoms(text, {"month"}, expected)
