"""Recognizer `aws_key`: AWS access key ids (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("Use AKIAIOSFODNN7EXAMPLE.", [("api_key", "AKIAIOSFODNN7EXAMPLE")]),
    ("temp creds ASIAY34FZKBOKMUTVV7A expired", [("api_key", "ASIAY34FZKBOKMUTVV7A")]),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", [("api_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]),
    ("AKIA is the prefix of long-term keys", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_aws_key(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
