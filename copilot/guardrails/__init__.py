"""Deterministic guardrails and scorers for drafts.

- ``run_checks(store, draft)`` / ``check_draft(store, draft)`` -> ``GuardrailReport``;
- ``evaluate_draft(store, draft)`` -> ``(draft, report, scores)`` in one pass;
- ``score_draft(ctx_or_copilot, draft, report)`` -> scores dict;
- ``find_secrets(text)`` / ``redact(text)`` for any text (e.g. before it reaches an LLM).

One module per family of checks in ``copilot.guardrails.checks``; ``registry`` maps names to
checks and the kinds/audiences they apply to.
"""

from copilot.guardrails.context import CheckContext, build_context, context_from_records
from copilot.guardrails.engine import check_draft, evaluate_draft, run_checks, run_context
from copilot.guardrails.scorers import score_draft
from copilot.records.secrets import SecretHit, find_secrets, redact

__all__ = [
    "CheckContext",
    "SecretHit",
    "build_context",
    "check_draft",
    "context_from_records",
    "evaluate_draft",
    "find_secrets",
    "redact",
    "run_checks",
    "run_context",
    "score_draft",
]
