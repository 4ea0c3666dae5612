"""Atom recognizer `money`: amounts of money (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("ARR $1.2M", [("money", "$1.2M", 1_200_000.0)]),
    ("a credit of $480,000", [("money", "$480,000", 480_000.0)]),
    ("1,200 USD", [("money", "1,200 USD", 1200.0)]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_money(text: str, expected: list) -> None:
    check_atoms(text, {"money"}, expected, known_ids=["R2", "S1"])
