"""Atom recognizer `money_currency`: the currency written with an amount (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("ARR €480,000", [("money", "€480,000", 480_000.0)]),
    ("USD 4.5M and 1,200 EUR", [("money", "USD 4.5M", 4_500_000.0), ("money", "1,200 EUR", 1200.0)]),
    ("£3k credit", [("money", "£3k", 3000.0)]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_money_currency(text: str, expected: list) -> None:
    check_atoms(text, {"money"}, expected)
