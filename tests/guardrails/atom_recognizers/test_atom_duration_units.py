"""Atom recognizer `duration_units`: durations in ms and seconds (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("p95 went to 450 ms", [("duration", "450 ms", 450 * (1 / 60000))]),
    ("a 30s timeout", [("duration", "30s", 0.5)]),
    ("in the 1990s", [("number", "1990", 1990.0)]),
    ("label API 504s in eu-west-1", [("number", "504", 504.0)]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_duration_units(text: str, expected: list) -> None:
    check_atoms(text, {"duration", "number"}, expected)
