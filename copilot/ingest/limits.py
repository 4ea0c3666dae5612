"""Ingest limits: what one source file may cost, and how far a run may reach.

Each limit is named in the error that enforces it, so a person who hits one knows which
knob to turn. Defaults suit real exports; every limit can be changed per run (the
``ingest`` command's options) or by environment variable (see ``docs/formats.md``).

| limit | default | environment variable |
|---|---|---|
| ``max_file_mb`` — largest source file read | 50 MB | ``COPILOT_INGEST_MAX_FILE_MB`` |
| ``max_depth`` — deepest JSON/YAML nesting | 64 levels | ``COPILOT_INGEST_MAX_DEPTH`` |
| ``future_days`` — latest accepted timestamp, after the run's clock | 30 days | ``COPILOT_INGEST_FUTURE_DAYS`` |
| ``prune_share`` — largest share of a home ``--prune`` removes without ``--yes`` | 0.5 | ``COPILOT_INGEST_PRUNE_SHARE`` |
| ``quarantine_rows`` — quarantine rows kept in the database per run | 10,000 | ``COPILOT_INGEST_QUARANTINE_ROWS`` |

YAML aliases (``*name``) are never accepted: they are how a 1 KB file expands to gigabytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from copilot.config import IngestLimits

__all__ = ["IngestLimits", "LimitExceeded", "check_depth", "check_size", "depth_error"]

class LimitExceeded(Exception):
    """A file over one of the limits: ``reason`` names the limit, ``action`` how to raise it."""

    def __init__(self, reason: str, action: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.action = action




def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 100 * 1024 else f"{n:,} bytes"


def check_size(path: Path, limits: IngestLimits) -> None:
    """Refuse a file larger than ``limits.max_file_mb``.

    Raises:
        LimitExceeded: naming the size, the limit and how to raise it.
    """
    size = Path(path).stat().st_size
    if size > limits.max_file_bytes:
        raise LimitExceeded(
            f"file is {_size(size)}, over the max_file_mb limit of {limits.max_file_mb:g} MB",
            "split the export into smaller files, or raise the limit with "
            "`ingest --max-file-mb N` (COPILOT_INGEST_MAX_FILE_MB) and re-ingest",
        )


def depth_error(limit: int) -> LimitExceeded:
    """The error for a document nested deeper than ``limit`` levels."""
    return LimitExceeded(
        f"document is nested more than {limit} levels deep (max_depth limit of {limit})",
        "flatten or re-export the file; raise the limit with "
        "COPILOT_INGEST_MAX_DEPTH only if the nesting is genuine",
    )


def check_depth(data: object, limit: int) -> None:
    """Refuse parsed JSON/YAML nested deeper than ``limit`` (iterative: no recursion).

    Shared sub-objects are visited once per place they appear, so the walk also stops a
    document that would expand past ``limit`` levels.

    Raises:
        LimitExceeded: the document is nested too deep.
    """
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, Mapping):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            raise depth_error(limit)
        stack.extend((child, depth + 1) for child in children)
