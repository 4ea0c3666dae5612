"""Recognizer `card_number`: payment card numbers (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("Card 4111 1111 1111 1111 was charged.", [("card_number", "4111 1111 1111 1111")]),
    ("amex 378282246310005", [("card_number", "378282246310005")]),
    ("order 4111111111111112 shipped", []),
    ("request id 1234567890123456 failed", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_card_number(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
