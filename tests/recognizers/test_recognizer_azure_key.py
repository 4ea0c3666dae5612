"""Recognizer `azure_key`: Azure storage keys and SAS signatures (exact spans; negatives find nothing)."""

from __future__ import annotations

import pytest
from recognizer_cases import check_case

CASES = [
    ("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq==;EndpointSuffix=core.windows.net",
     [("api_key", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq==")]),
    ("https://acme.blob.core.windows.net/c/f?sv=2022-11-02&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123%3D",
     [("token", "AbCdEfGhIjKlMnOpQrStUvWxYz0123%3D")]),
    ("AccountName=acme;EndpointSuffix=core.windows.net", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_azure_key(text: str, expected: list[tuple[str, str]]) -> None:
    check_case(text, expected)
