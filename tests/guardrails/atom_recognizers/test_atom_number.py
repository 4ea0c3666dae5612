"""Atom recognizer `number`: plain numbers in digits (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("1,240 tickets", [("number", "1,240", 1240.0)]),
    ("ZD-4123 on 2026-04-12 with 24/7 and p95", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_number(text: str, expected: list) -> None:
    check_atoms(text, {"number"}, expected, known_ids=["R2", "S1"])
