"""Configuration: the one place that reads the environment.

Everything has an offline default; environment variables switch to the options.

| variable | meaning | default |
|---|---|---|
| ``COPILOT_HOME`` | records, index, drafts, audit log | ``./.copilot`` |
| ``COPILOT_BACKEND`` | drafting backend spec (``template``, ``openai:MODEL``, ``openai:MODEL@URL``) | ``template`` |
| ``COPILOT_LLM_BASE_URL`` | an OpenAI-compatible server for ``openai:MODEL`` | unset (OpenAI) |
| ``COPILOT_LLM_API_KEY`` / ``OPENAI_API_KEY`` | the key for the LLM server | unset |
| ``COPILOT_LLM_CONTEXT_TOKENS`` / ``COPILOT_LLM_MAX_TOKENS`` | the LLM's token budget | ``8192`` / ``1024`` |
| ``COPILOT_LLM_TIMEOUT`` / ``COPILOT_LLM_RETRIES`` | seconds per request / retries (the OpenAI SDK's) | ``120`` / ``3`` |
| ``COPILOT_LLM_PRICE`` | ``IN,OUT`` USD per 1M tokens, for batch cost estimates | built-in table |
| ``COPILOT_EMBEDDINGS`` | ``local`` (packaged MiniLM on onnxruntime), ``local:torch`` or ``openai:MODEL`` | ``local`` |
| ``COPILOT_MODEL_CACHE`` | where the ONNX export of the packaged MiniLM is cached | ``$XDG_CACHE_HOME/tam-copilot`` or ``~/.cache/tam-copilot`` |
| ``COPILOT_CHROMA_URL`` | a Chroma server (``http://host:port``) instead of the local folder | unset |
| ``COPILOT_EVAL_HOME`` | the home ``eval`` ingests the sample into | ``./.copilot/eval`` |
| ``COPILOT_AS_OF`` | "now" for drafts and SLA clocks (ISO 8601 with timezone) | wall clock, or the data's snapshot time |
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "resolve_home"]


class Settings(BaseSettings):
    """Where the home is and which components to use; fields come from ``COPILOT_*`` variables."""

    model_config = SettingsConfigDict(env_prefix="COPILOT_", extra="forbid", frozen=False)

    home: Path = Path(".copilot")
    backend: str = "template"
    llm_base_url: str | None = None
    llm_api_key: str | None = Field(default=None, validation_alias=AliasChoices("COPILOT_LLM_API_KEY",
                                                                              "OPENAI_API_KEY"))
    llm_context_tokens: int = 8192
    llm_max_tokens: int = 1024
    llm_timeout: float = 120.0
    llm_retries: int = 3
    llm_price: str | None = None
    embeddings: str = "local"
    model_cache: Path | None = None
    chroma_url: str | None = None
    eval_home: Path | None = None
    as_of: datetime | None = None

    @classmethod
    def load(cls, home: str | Path | None = None, **overrides: object) -> Settings:
        """The environment's settings, with ``home`` (created if missing) and ``overrides`` on top."""
        values = {k: v for k, v in overrides.items() if v is not None}
        settings = cls(**values) if home is None else cls(home=home, **values)
        settings.home = resolve_home(settings.home)
        return settings

    @property
    def db_path(self) -> Path:
        return self.home / "records.sqlite3"

    @property
    def index_path(self) -> Path:
        return self.home / "index"

    @property
    def model_cache_path(self) -> Path:
        """``COPILOT_MODEL_CACHE``, else the user cache (``$XDG_CACHE_HOME`` or ``~/.cache``) + ``tam-copilot``."""
        if self.model_cache is not None:
            return Path(self.model_cache).expanduser()
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base).expanduser() / "tam-copilot"


def resolve_home(home: str | Path | None = None) -> Path:
    """The home folder, absolute and created: the argument, else ``$COPILOT_HOME``, else ``./.copilot``."""
    path = Path(home if home is not None else Settings().home).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
