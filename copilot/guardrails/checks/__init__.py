"""The built-in checks, one module per family; importing this package registers them all."""

from copilot.guardrails.checks import (
    citations,
    claims,
    commitments,
    grounding,
    injection,
    isolation,
    metric_names,
    qbr,
    raw_html,
    secrets,
    sections,
    speculation,
    timeline,
    tone,
    update_form,
    values,
)

__all__ = [
    "citations",
    "claims",
    "commitments",
    "grounding",
    "injection",
    "isolation",
    "metric_names",
    "qbr",
    "raw_html",
    "sections",
    "secrets",
    "speculation",
    "timeline",
    "tone",
    "update_form",
    "values",
]
