"""Atom recognizer `person`: known names and unknown first-name pairs (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("ask Dana Reyes", [("person", "Dana Reyes", "Dana Reyes")]),
    ("ask Dana Rivera", [("person", "Dana Rivera", "Dana Rivera")]),
    ("Dana said so", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_person(text: str, expected: list) -> None:
    check_atoms(text, {"person"}, expected, known_ids=["R2", "S1"])
