"""Helpers for the batch tests: run the CLI as a user would, read outputs, break a record."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONPATH=str(REPO))
    return env


def batch_command(home: Path, out: Path, *extra: str, quarter: str = "2026Q3") -> list[str]:
    return [sys.executable, "-m", "copilot", "qbr-batch", "--home", str(home), "--quarter", quarter,
            "--out", str(out), "--as-of", "2026-11-16T08:00:00Z", *extra]


def run_cli(args: list[str], timeout: float = 600) -> tuple[int, Any, str]:
    """``(exit code, parsed JSON stdout or None, stderr)``."""
    proc = subprocess.run(args, capture_output=True, text=True, env=cli_env(), timeout=timeout, cwd=REPO)
    try:
        payload = json.loads(proc.stdout) if proc.stdout.strip() else None
    except json.JSONDecodeError:
        payload = None
    return proc.returncode, payload, proc.stderr


def manifests(out: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text()) for p in sorted((out / "accounts").glob("*/manifest.json"))}


def manifest_mtimes(out: Path) -> dict[str, int]:
    return {p.parent.name: p.stat().st_mtime_ns for p in (out / "accounts").glob("*/manifest.json")}


def corrupt_ticket(home: Path, account_id: str) -> str:
    """Break one of the account's stored tickets in place (its JSON loses ``created_at``)."""
    with sqlite3.connect(home / "records.sqlite3") as conn:
        ticket_id, doc = conn.execute("SELECT id, json FROM tickets WHERE account_id=? ORDER BY id LIMIT 1",
                                      (account_id,)).fetchone()
        data = json.loads(doc)
        del data["created_at"]
        conn.execute("UPDATE tickets SET json=? WHERE id=?", (json.dumps(data), ticket_id))
    return ticket_id


def qbr_reviews(home: Path) -> list[tuple[str, str, str]]:
    """``(review id, account id, status)`` of every QBR in the home's review queue."""
    with sqlite3.connect(home / "records.sqlite3") as conn:
        return conn.execute("SELECT id, account_id, status FROM reviews WHERE kind='qbr_narrative' ORDER BY seq"
                            ).fetchall()
