"""Shared by the ``bench_*.py`` scripts that print one JSON document: the machine, percentiles, output."""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import datetime, timezone

__all__ = ["emit", "load", "machine", "note", "percentiles"]


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages (other work on a shared machine skews every time)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def machine() -> dict:
    """What a figure was measured on, and when."""
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%MZ"), "load_at_start": load()}


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50 / p95 / max of ``samples_ms`` (nearest rank), rounded to 0.1 ms."""
    if not samples_ms:
        return {"n": 0}
    ordered = sorted(samples_ms)

    def rank(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, max(0, int(round(p * len(ordered) + 0.5)) - 1))], 1)

    return {"n": len(ordered), "p50": rank(0.50), "p95": rank(0.95), "max": round(ordered[-1], 1)}


def emit(document: dict) -> None:
    """Print ``document`` as one JSON document on stdout (progress goes to stderr), with the load at the end."""
    document.setdefault("machine", machine())["load_at_end"] = load()
    print(json.dumps(document, indent=2, default=str))


def note(message: str) -> None:
    """A progress line on stderr (stdout is kept for the JSON document)."""
    print(message, file=sys.stderr, flush=True)
