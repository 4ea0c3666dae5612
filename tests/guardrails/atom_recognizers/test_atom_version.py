"""Atom recognizer `version`: versions, value without the v (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("upgrade to v5.2.1 now", [("version", "v5.2.1", "5.2.1")]),
    ("release 4.2 and 3.1.0-rc1", [("version", "release 4.2", "4.2"), ("version", "3.1.0-rc1", "3.1.0-rc1")]),
    ("v4.x clients", [("version", "v4.x", "4.x")]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_version(text: str, expected: list) -> None:
    check_atoms(text, {"version"}, expected, known_ids=["R2", "S1"])
