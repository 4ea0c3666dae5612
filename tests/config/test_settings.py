"""``Settings`` is the one reader of the environment: what each variable does, and that a worker
process gets exactly the parent's settings."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from copilot.config import Settings
from copilot.errors import InvalidInput


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("COPILOT_HOME", "COPILOT_BACKEND", "COPILOT_LLM_BASE_URL", "COPILOT_LLM_API_KEY", "OPENAI_API_KEY",
                 "COPILOT_AS_OF", "COPILOT_LLM_RETRIES", "COPILOT_AUDIT_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_are_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.load()
    assert settings.home == tmp_path / ".copilot" and settings.home.is_dir()
    assert settings.backend == "template" and settings.embeddings == "local"
    assert settings.llm_base_url is None and settings.chroma_url is None and settings.as_of is None


def test_environment_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path / "h"))
    monkeypatch.setenv("COPILOT_BACKEND", "openai:m@http://127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "k-openai")
    monkeypatch.setenv("COPILOT_AS_OF", "2026-04-12T10:00:00Z")
    monkeypatch.setenv("COPILOT_LLM_RETRIES", "5")
    settings = Settings.load()
    assert settings.home == (tmp_path / "h").resolve()
    assert settings.backend == "openai:m@http://127.0.0.1:9/v1"
    assert settings.llm_api_key == "k-openai" and settings.llm_retries == 5
    assert settings.as_of == datetime(2026, 4, 12, 10, tzinfo=timezone.utc)
    monkeypatch.setenv("COPILOT_LLM_API_KEY", "k-copilot")  # the product's own name wins
    assert Settings.load().llm_api_key == "k-copilot"


def test_argument_beats_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path / "env-home"))
    assert Settings.load(tmp_path / "arg-home").home == (tmp_path / "arg-home").resolve()
    assert Settings.load(tmp_path / "x", backend="openai:m").backend == "openai:m"


def test_a_worker_process_rebuilds_the_same_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batch workers receive the parent's settings as JSON (a regression: the key's alias was refused)."""
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("COPILOT_AUDIT_KEY", "a-team-key-of-at-least-32-characters!")
    settings = Settings.load(tmp_path)
    again = Settings.model_validate_json(settings.worker_json())
    assert again == settings and again.audit_key.get_secret_value() == "a-team-key-of-at-least-32-characters!"
    assert "a-team-key" not in settings.model_dump_json()  # only the worker hand-off carries it


def test_a_bad_value_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPILOT_LLM_RETRIES", "many")
    with pytest.raises(InvalidInput, match="COPILOT_LLM_RETRIES='many'"):
        Settings.load(tmp_path)
