"""Batch QBR: every account's QBR draft, guardrail report and charts, plus an index.

``run_qbr_batch`` is the API (``qbr-batch`` is its CLI); see :mod:`copilot.batch.runner`.
"""

from __future__ import annotations

from copilot.batch.estimate import BatchEstimate
from copilot.batch.manifest import AccountManifest
from copilot.batch.runner import BatchFailure, BatchResult, ProgressEvent, prompt_version_for, run_qbr_batch

__all__ = ["AccountManifest", "BatchEstimate", "BatchFailure", "BatchResult", "ProgressEvent", "prompt_version_for",
           "run_qbr_batch"]
