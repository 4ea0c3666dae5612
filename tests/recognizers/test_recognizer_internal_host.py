"""Recognizer `internal_host`: internal host names (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("The node lb-prod-3.internal restarted.", [("internal_host", "lb-prod-3.internal")]),
    ("svc payments.default.svc.cluster.local timed out", [("internal_host", "payments.default.svc.cluster.local")]),
    ("pod api-prod-12 was evicted", [("internal_host", "api-prod-12")]),
    ("see https://status.example.com", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_internal_host(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
