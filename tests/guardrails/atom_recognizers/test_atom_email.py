"""Atom recognizer `email`: e-mail addresses, lower-cased (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("mail Dana.Reyes@Acme.example today", [("email", "Dana.Reyes@Acme.example", "dana.reyes@acme.example")]),
    ("@channel ping", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_email(text: str, expected: list) -> None:
    check_atoms(text, {"email"}, expected, known_ids=["R2", "S1"])
