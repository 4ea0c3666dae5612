"""The out folder's run-level files: an exclusive lock for the duration of a run, and the run log."""

from __future__ import annotations

import fcntl
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from copilot.errors import InvalidInput

__all__ = ["LOCK_FILE", "RUN_LOG", "OutLock", "RunLog"]

LOCK_FILE = ".qbr-batch.lock"
RUN_LOG = "run-log.jsonl"


class OutLock:
    """An exclusive advisory lock on the out folder for the duration of a run (released by the
    kernel if the process dies, so a killed run never blocks the next one)."""

    def __init__(self, out: Path) -> None:
        self.path = out / LOCK_FILE
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self.fd, 64, 0).decode(errors="replace").strip() or "another process"
            os.close(self.fd)
            raise InvalidInput(f"{out} is being written by another qbr-batch run (pid {holder}); wait for it "
                               "or use another --out") from None
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, str(os.getpid()).encode(), 0)

    def release(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)


class RunLog:
    """Append-only JSON lines, flushed per event (a kill loses at most the line being written)."""

    def __init__(self, path: Path, run_id: str) -> None:
        self.run_id = run_id
        self.fh = path.open("a", encoding="utf-8")

    def write(self, event: str, **fields: Any) -> None:
        line = {"run_id": self.run_id, "at": datetime.now(timezone.utc).isoformat(), "event": event, **fields}
        self.fh.write(json.dumps(line, default=str) + "\n")
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()
