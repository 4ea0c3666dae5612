"""Recognizer `auth_header`: HTTP Authorization headers (Bearer and Basic) (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("Header Authorization: Bearer abcdefghijklmnop1234567890.", [("token", "abcdefghijklmnop1234567890")]),
    ("curl -H \"Authorization: Basic YWRtaW46czNjcjN0UGFzcw==\" https://api.example.com", [("basic_auth", "YWRtaW46czNjcjN0UGFzcw==")]),
    ("authorization: basic dXNlcjpodW50ZXIy", [("basic_auth", "dXNlcjpodW50ZXIy")]),
    ("the basic plan covers support", []),
    ("Basic information about the outage", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_auth_header(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
