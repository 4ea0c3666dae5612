"""Recognizer `gitlab_token`: GitLab tokens (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("runner uses glpat-xYzAbCdEfGhIjKlMnOpQ12 now", [("token", "glpat-xYzAbCdEfGhIjKlMnOpQ12")]),
    ("trigger glptt-0123456789abcdef0123456789abcdef01234567", [("token", "glptt-0123456789abcdef0123456789abcdef01234567")]),
    ("glpat- tokens expire after a year", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_gitlab_token(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
