"""Atom recognizer `percent_points`: differences of percentages (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("up 4.2 percentage points", [("points", "4.2 percentage points", 4.2)]),
    ("down 3 pp to 91%", [("points", "3 pp", 3.0), ("percent", "91%", 91.0)]),
    ("two points of contact", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_percent_points(text: str, expected: list) -> None:
    check_atoms(text, {"points", "percent"}, expected)
