"""Recognizer `assigned_secret`: secrets assigned to telling names (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("auth_token=9f8e7d6c5b4a3f2e1d0c", [("api_key", "9f8e7d6c5b4a3f2e1d0c")]),
    ("client_secret: \"Zm9vYmFyYmF6cXV4MTIz\"", [("api_key", "Zm9vYmFyYmF6cXV4MTIz")]),
    ("the api key is AbC123dEf456GhI789", [("api_key", "AbC123dEf456GhI789")]),
    ("signing_secret=0f1e2d3c4b5a69788796", [("api_key", "0f1e2d3c4b5a69788796")]),
    ("the token expired at 10:00 UTC", []),
    ("api_key: [redacted secret]", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_assigned_secret(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
