"""Atom recognizer `percent`: percentages (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("SLA 92.3% met", [("percent", "92.3%", 92.3)]),
    ("35 percent of calls", [("percent", "35 percent", 35.0)]),
    ("no percentage here", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_percent(text: str, expected: list) -> None:
    check_atoms(text, {"percent"}, expected, known_ids=["R2", "S1"])
