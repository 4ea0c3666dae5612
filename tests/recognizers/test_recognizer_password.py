"""Recognizer `password`: passwords and passphrases (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("Login with password=Hunter2!", [("password", "Hunter2!")]),
    ("passphrase: correct-horse-battery", [("password", "correct-horse-battery")]),
    ("the password is Spring2026!", [("password", "Spring2026!")]),
    ("the password was reset by the customer", []),
    ("password: [redacted secret]", []),
    ("pwd: [REDACTED password]", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_password(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
