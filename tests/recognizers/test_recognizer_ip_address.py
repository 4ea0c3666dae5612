"""Recognizer `ip_address`: IPv4 addresses (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("Traffic from 10.0.3.17 was dropped.", [("private_ip", "10.0.3.17")]),
    ("egress via 203.0.113.7/32", [("ip_address", "203.0.113.7/32")]),
    ("release 4.2.1 shipped", []),
    ("version 300.1.2.3 is not an address", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_ip_address(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
