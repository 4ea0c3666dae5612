"""The built-in checks, one module per family; importing this package registers them all."""

from copilot.guardrails.checks import (  # noqa: F401
    citations,
    claims,
    commitments,
    grounding,
    injection,
    isolation,
    qbr,
    secrets,
    sections,
    speculation,
    timeline,
    tone,
    update_form,
)

__all__ = [
    "citations",
    "claims",
    "commitments",
    "grounding",
    "injection",
    "isolation",
    "qbr",
    "sections",
    "secrets",
    "speculation",
    "timeline",
    "tone",
    "update_form",
]
