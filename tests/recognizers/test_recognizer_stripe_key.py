"""Recognizer `stripe_key`: Stripe keys and webhook signing secrets (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("Key sk_live_51HxYzAbCdEfGhIjKlMn was rotated.", [("api_key", "sk_live_51HxYzAbCdEfGhIjKlMn")]),
    ("rk_test_4eC39HqLyjWDarjtT1 in staging", [("api_key", "rk_test_4eC39HqLyjWDarjtT1")]),
    ("signing secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw rotated", [("webhook_secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]),
    ("the sk_live_ prefix means production", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_stripe_key(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
