"""Recognizer `email`: personal e-mail addresses (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("Contact dana.reyes@acme.example directly.", [("email", "dana.reyes@acme.example")]),
    ("Reply to support@ourco.example with questions.", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_email(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
