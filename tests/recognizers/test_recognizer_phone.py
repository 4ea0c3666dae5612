"""Recognizer `phone`: phone numbers (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("Call +1 415-555-0142.", [("phone", "+1 415-555-0142")]),
    ("mobile +44 7700900123 after hours", [("phone", "+44 7700900123")]),
    ("between 2026-04-12 09:05 and 10:00", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_phone(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
