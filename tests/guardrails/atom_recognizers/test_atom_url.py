"""Atom recognizer `url`: URLs: lower-cased host, trailing sentence mark not included (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("see https://Status.Acme.example/x.", [("url", "https://Status.Acme.example/x", "https://status.acme.example/x")]),
    ("(https://a.example/b?c=1)", [("url", "https://a.example/b?c=1", "https://a.example/b?c=1")]),
    ("no link here: status.acme.example", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_url(text: str, expected: list) -> None:
    check_atoms(text, {"url"}, expected, known_ids=["R2", "S1"])
