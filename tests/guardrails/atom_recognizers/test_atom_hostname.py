"""Atom recognizer `hostname`: host names and EC2-style hosts (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("call api.acme.example.", [("hostname", "api.acme.example", "api.acme.example")]),
    ("on ip-10-0-3-17 now", [("hostname", "ip-10-0-3-17", "ip-10-0-3-17")]),
    ("file config.yaml", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_hostname(text: str, expected: list) -> None:
    check_atoms(text, {"hostname"}, expected, known_ids=["R2", "S1"])
