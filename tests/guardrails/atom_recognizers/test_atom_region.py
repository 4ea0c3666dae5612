"""Atom recognizer `region`: cloud regions (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("in eu-west-1 and us-gov-east-1", [("region", "eu-west-1", "eu-west-1"), ("region", "us-gov-east-1", "us-gov-east-1")]),
    ("east-west traffic", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_region(text: str, expected: list) -> None:
    check_atoms(text, {"region"}, expected, known_ids=["R2", "S1"])
