"""Atom recognizer `number_words`: numbers and durations written in words (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("twelve tickets were reopened", [("number", "twelve", 12.0)]),
    ("Twenty-five users and three hours", [("number", "Twenty-five", 25.0), ("duration", "three hours", 180.0)]),
    ("mitigated two and a half hours later", [("duration", "two and a half hours", 150.0)]),
    ("one hour of downtime", [("duration", "one hour", 60.0)]),
    ("one of the nodes, often, someone", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_number_words(text: str, expected: list) -> None:
    check_atoms(text, {"number", "duration"}, expected)
