"""Batch QBR: every account's QBR draft, guardrail report and charts, plus an index.

``run_qbr_batch`` is the API (``qbr-batch`` is its CLI); see :mod:`copilot.batch.runner`.
The OpenAI Batch API path (``qbr-batch --openai-batch``) is ``run_openai_batch`` in
:mod:`copilot.batch.openai_batch` (imported on use: it loads the LLM client).
"""

from __future__ import annotations

from copilot.batch.estimate import BatchEstimate
from copilot.batch.manifest import AccountManifest
from copilot.batch.runner import BatchFailure, BatchResult, ProgressEvent, prompt_version_for, run_qbr_batch

__all__ = ["AccountManifest", "BatchEstimate", "BatchFailure", "BatchResult", "ProgressEvent", "prompt_version_for",
           "run_qbr_batch"]
