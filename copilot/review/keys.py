"""The audit log's secret key and its checkpointed head, both kept outside the database.

The key turns the audit chain into an HMAC chain: someone who can write the SQLite file but
cannot read the key cannot recompute the chain after changing a row. The head (the last entry's
id and hash, MAC'd with the same key) lives in a small file beside the database, so deleting the
tail of the log, or the whole log, is noticed.

The key comes from ``Settings.audit_key`` (``$COPILOT_AUDIT_KEY``, for a team sharing one
database) or from ``<home>/audit.key``, created with mode 0600 on first use.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from copilot.config import Settings
from copilot.errors import InvalidInput

__all__ = ["AuditKey", "Checkpoint", "MIN_KEY_CHARS"]

MIN_KEY_CHARS = 32


@dataclass(frozen=True)
class AuditKey:
    """An HMAC-SHA256 key and where it came from (``env`` or the key file's path)."""

    secret: bytes
    source: str
    loose_permissions: bool = False  # the key file is readable by others than its owner

    def mac(self, message: str) -> str:
        return hmac.new(self.secret, message.encode("utf-8"), hashlib.sha256).hexdigest()

    @classmethod
    def load(cls, settings: Settings) -> AuditKey:
        """The team key from the settings, else the home's key file (made, 0600, when missing)."""
        if settings.audit_key is not None:
            value = settings.audit_key.get_secret_value()
            if len(value) < MIN_KEY_CHARS:
                raise InvalidInput(f"COPILOT_AUDIT_KEY is {len(value)} characters; use at least {MIN_KEY_CHARS} "
                                   "random characters (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)")
            return cls(value.encode("utf-8"), "env:COPILOT_AUDIT_KEY")
        return cls._from_file(settings.audit_key_path)

    @classmethod
    def _from_file(cls, path: Path) -> AuditKey:
        if not path.exists():
            _create_key_file(path)
        try:
            value = path.read_text(encoding="utf-8").strip()
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError as exc:
            raise InvalidInput(f"cannot read the audit key {path}: {exc.strerror or exc}") from None
        if len(value) < MIN_KEY_CHARS:
            raise InvalidInput(f"the audit key {path} is shorter than {MIN_KEY_CHARS} characters; restore it "
                               "from your backup (the audit log cannot be verified without it)")
        return cls(value.encode("utf-8"), str(path), loose_permissions=bool(mode & 0o077))


def _create_key_file(path: Path) -> None:
    """Write a new random key, mode 0600, appearing whole or not at all (another process may be
    making the same file at the same moment: the first one's key wins)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_hex(32) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Checkpoint:
    """The head of the audit chain, kept in a file: ``{"id", "entry_hash", "mac"}``."""

    path: Path
    key: AuditKey

    def read(self) -> tuple[int, str] | None:
        """``(id, entry_hash)`` of the last checkpointed entry; None when there is none yet.

        Raises:
            ValueError: the file exists but is not a checkpoint this key signed.
        """
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise ValueError(f"the checkpoint {self.path} is unreadable ({exc})") from None
        try:
            head_id, head_hash, mac = int(data["id"]), str(data["entry_hash"]), str(data["mac"])
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"the checkpoint {self.path} is not a checkpoint") from None
        if not hmac.compare_digest(mac, self.key.mac(f"{head_id}:{head_hash}")):
            raise ValueError(f"the checkpoint {self.path} was not written with this audit key")
        return head_id, head_hash

    def advance(self, head_id: int, head_hash: str) -> None:
        """Move the checkpoint to ``head_id`` unless it already stands at or past it (another
        process may have appended after us)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a", encoding="utf-8") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                current = self.read()
            except ValueError:
                current = None  # a damaged checkpoint is reported by verify; never made worse
                if self.path.exists():
                    return
            if current is not None and current[0] >= head_id:
                return
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"id": head_id, "entry_hash": head_hash,
                                       "mac": self.key.mac(f"{head_id}:{head_hash}")}) + "\n", encoding="utf-8")
            os.replace(tmp, self.path)
