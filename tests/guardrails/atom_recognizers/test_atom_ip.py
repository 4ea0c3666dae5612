"""Atom recognizer `ip`: IPv4 addresses and CIDR blocks (exact spans and values)."""

from __future__ import annotations

import pytest
from atom_cases import check_atoms

CASES = [
    ("host 10.0.3.17 in 10.0.0.0/16", [("ip", "10.0.3.17", "10.0.3.17"), ("ip", "10.0.0.0/16", "10.0.0.0/16")]),
    ("version 1.2.3", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_ip(text: str, expected: list) -> None:
    check_atoms(text, {"ip"}, expected, known_ids=["R2", "S1"])
