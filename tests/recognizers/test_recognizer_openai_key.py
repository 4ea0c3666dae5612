"""Recognizer `openai_key`: OpenAI/Anthropic style keys (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("OPENAI key sk-proj-abcdefghijklmnopqrstuvwx1234 leaked", [("api_key", "sk-proj-abcdefghijklmnopqrstuvwx1234")]),
    ("sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv", [("api_key", "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv")]),
    ("a risk-based plan and a task-tracking board", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_openai_key(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
