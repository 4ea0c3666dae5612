"""Recognizer `slack_token`: Slack tokens and webhook URLs (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("bot token xoxb-1234567890-0987654321-AbCdEfGhIjKl posted", [("token", "xoxb-1234567890-0987654321-AbCdEfGhIjKl")]),
    ("hook https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", [("token", "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX")]),
    ("see #inc-2026-0820 on Slack", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_slack_token(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
