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
| ``COPILOT_AUDIT_KEY`` | the audit log's HMAC key, shared by a team (at least 32 characters) | ``<home>/audit.key`` (mode 0600, made on first use) |
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from copilot.errors import InvalidInput

__all__ = ["IngestLimits", "Settings", "resolve_home"]


class Settings(BaseSettings):
    """Where the home is and which components to use; fields come from ``COPILOT_*`` variables."""

    model_config = SettingsConfigDict(env_prefix="COPILOT_", extra="forbid", populate_by_name=True)

    home: Path = Path(".copilot")
    backend: str = "template"
    llm_base_url: str | None = None
    llm_api_key: str | None = Field(default=None, validation_alias=AliasChoices("COPILOT_LLM_API_KEY",
                                                                              "OPENAI_API_KEY"))
    llm_context_tokens: int = 8192
    llm_max_tokens: int = 1024
    llm_timeout: float = 120.0
    llm_retries: int = 3
    llm_malformed_retries: int = 1
    llm_slots: bool = True  # LLM drafts name facts by key (fact slots); False: the free-prose path
    llm_price: str | None = None
    embeddings: str = "local"
    model_cache: Path | None = None
    chroma_url: str | None = None
    eval_home: Path | None = None
    as_of: datetime | None = None
    audit_key: SecretStr | None = None

    @classmethod
    def load(cls, home: str | Path | None = None, **overrides: object) -> Settings:
        """The environment's settings, with ``home`` (created if missing) and ``overrides`` on top."""
        values = {k: v for k, v in overrides.items() if v is not None}
        try:
            settings = cls(**values) if home is None else cls(home=home, **values)
        except ValidationError as exc:
            problems = "; ".join(f"COPILOT_{'.'.join(map(str, e['loc'])).upper()}={e.get('input')!r}: {e['msg']}"
                                 for e in exc.errors())
            raise InvalidInput(f"bad setting: {problems}") from None
        settings.home = resolve_home(settings.home)
        return settings

    def worker_json(self) -> str:
        """These settings as JSON for a worker process, secrets included (passed in memory, never written)."""
        data = self.model_dump(mode="json")
        if self.audit_key is not None:
            data["audit_key"] = self.audit_key.get_secret_value()
        return json.dumps(data)

    @property
    def db_path(self) -> Path:
        return self.home / "records.sqlite3"

    @property
    def index_path(self) -> Path:
        return self.home / "index"

    @property
    def search_cache_path(self) -> Path:
        """Each account's saved BM25 index and chunk vectors (``copilot.search.account_cache``)."""
        return self.home / "search"

    @property
    def model_cache_path(self) -> Path:
        """``COPILOT_MODEL_CACHE``, else the user cache (``$XDG_CACHE_HOME`` or ``~/.cache``) + ``tam-copilot``."""
        if self.model_cache is not None:
            return Path(self.model_cache).expanduser()
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base).expanduser() / "tam-copilot"

    @property
    def audit_key_path(self) -> Path:
        """The audit log's HMAC key when ``COPILOT_AUDIT_KEY`` is not set: outside the database."""
        return self.home / "audit.key"

    @property
    def audit_head_path(self) -> Path:
        """The audit log's checkpointed head (last entry id and hash), outside the database."""
        return self.home / "audit.head"


class IngestLimits(BaseSettings):
    """The limits of one ingest run, from ``COPILOT_INGEST_*`` variables (``copilot/ingest/limits.py``
    explains each; every error that enforces one names it)."""

    model_config = SettingsConfigDict(env_prefix="COPILOT_INGEST_", extra="forbid")

    max_file_mb: float = Field(50.0, gt=0)
    max_depth: int = Field(64, ge=2)
    future_days: int = Field(30, ge=0)
    prune_share: float = Field(0.5, ge=0, le=1)
    quarantine_rows: int = Field(10_000, ge=1)

    @classmethod
    def from_env(cls, **overrides: object) -> IngestLimits:
        """Defaults, then ``COPILOT_INGEST_*`` variables, then ``overrides`` that are not None."""
        return cls(**{k: v for k, v in overrides.items() if v is not None})

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


def resolve_home(home: str | Path | None = None) -> Path:
    """The home folder, absolute and created: the argument, else ``$COPILOT_HOME``, else ``./.copilot``."""
    path = Path(home if home is not None else Settings().home).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
