"""Recognizer `github_token`: GitHub tokens (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("Token ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked.", [("token", "ghp_abcdefghijklmnopqrstuvwxyz0123456789")]),
    ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz in CI", [("token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz")]),
    ("see ghp_ tokens in the docs", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_github_token(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
