"""Configuration: where the home folder is and which components to use.

Everything has an offline default; environment variables switch to the options.

| variable | meaning | default |
|---|---|---|
| ``COPILOT_HOME`` | records, index, drafts, audit log | ``./.copilot`` |
| ``COPILOT_BACKEND`` | drafting backend spec (``template``, ``openai:MODEL``) | ``template`` |
| ``COPILOT_LLM_BASE_URL`` | OpenAI-compatible server URL | unset (OpenAI) |
| ``COPILOT_EMBEDDINGS`` | ``local`` (packaged MiniLM) or ``openai:MODEL`` | ``local`` |
| ``COPILOT_CHROMA_URL`` | a Chroma server (``http://host:port``) instead of the local folder | unset |
| ``COPILOT_AUDIT_KEY`` | the audit log's HMAC key, shared by a team (at least 32 characters) | ``<home>/audit.key`` (mode 0600, made on first use) |
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, SecretStr

__all__ = ["Settings", "resolve_home"]


def resolve_home(home: str | Path | None = None) -> Path:
    """The home folder: the argument, else ``$COPILOT_HOME``, else ``./.copilot``."""
    raw = home or os.environ.get("COPILOT_HOME") or ".copilot"
    path = Path(raw).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    home: Path
    backend: str = "template"
    llm_base_url: str | None = None
    embeddings: str = "local"
    chroma_url: str | None = None
    audit_key: SecretStr | None = None

    @classmethod
    def load(cls, home: str | Path | None = None, **overrides: object) -> "Settings":
        values: dict[str, object] = {
            "home": resolve_home(home),
            "backend": os.environ.get("COPILOT_BACKEND", "template"),
            "llm_base_url": os.environ.get("COPILOT_LLM_BASE_URL") or None,
            "embeddings": os.environ.get("COPILOT_EMBEDDINGS", "local"),
            "chroma_url": os.environ.get("COPILOT_CHROMA_URL") or None,
            "audit_key": os.environ.get("COPILOT_AUDIT_KEY") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(values)

    @property
    def db_path(self) -> Path:
        return self.home / "records.sqlite3"

    @property
    def index_path(self) -> Path:
        return self.home / "index"

    @property
    def audit_key_path(self) -> Path:
        """The audit log's HMAC key when ``COPILOT_AUDIT_KEY`` is not set: outside the database."""
        return self.home / "audit.key"

    @property
    def audit_head_path(self) -> Path:
        """The audit log's checkpointed head (last entry id and hash), outside the database."""
        return self.home / "audit.head"
