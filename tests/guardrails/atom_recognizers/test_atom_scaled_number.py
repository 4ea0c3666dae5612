"""Atom recognizer `scaled_number`: numbers with a magnitude suffix (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("1.2k tickets", [("number", "1.2k", 1200.0)]),
    ("4.5M requests and 3 million calls", [("number", "4.5M", 4_500_000.0), ("number", "3 million", 3_000_000.0)]),
    ("after 5m the cache", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_scaled_number(text: str, expected: list) -> None:
    check_atoms(text, {"number"}, expected)
