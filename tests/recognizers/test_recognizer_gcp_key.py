"""Recognizer `gcp_key`: Google Cloud keys (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("maps key AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe ok", [("api_key", "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe")]),
    ("{\"private_key_id\": \"0123456789abcdef0123456789abcdef01234567\"}", [("api_key", "0123456789abcdef0123456789abcdef01234567")]),
    ("AIza alone is not a key", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_gcp_key(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
