"""The guardrail and the LLM redaction use one registry: what one blocks, the other redacts."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from copilot.records.redaction import Redactor, mask_secrets
from copilot.records.secrets import find_secrets

CASES = [
    (text, sub) for path in sorted(Path(__file__).parent.glob("test_recognizer_*.py"))
    for text, expected in importlib.import_module(path.stem).CASES for _, sub in expected
]

ISSUE_TOKENS = [  # tokens the guardrail blocked but the redaction sent to the LLM before (issue 11 item 7)
    "glpat-xYzAbCdEfGhIjKlMnOpQ12", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
    "passphrase: correct-horse-battery", "auth_token=9f8e7d6c5b4a3f2e1d0c",
]


@pytest.mark.parametrize("text, secret", CASES)
def test_everything_the_guardrail_finds_never_reaches_an_llm(text: str, secret: str) -> None:
    assert any(secret in text[h.start:h.end] or text[h.start:h.end] in secret for h in find_secrets(text))
    assert secret not in Redactor().redact(text)


@pytest.mark.parametrize("text", ISSUE_TOKENS)
def test_tokens_the_tables_disagreed_on_are_redacted_and_masked(text: str) -> None:
    secret = text.split("=", 1)[-1].split(": ", 1)[-1]
    assert secret not in Redactor().redact(text)
    assert secret not in mask_secrets(text) and "[redacted secret]" in mask_secrets(text)
