"""TAM Copilot: drafts escalation briefs, incident updates, PIR timelines and QBR narratives from an
account's own records, checked by deterministic guardrails before a person approves them.

The public API is what ``__all__`` lists; surfaces (``ui/``, ``evals/``, scripts) import from here.
Names load on first use, so ``import copilot`` stays cheap (no Chroma, no torch).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from copilot.config import Settings
    from copilot.console.charts import default_quarter
    from copilot.console.money import format_money, short_money
    from copilot.console.overview import stage_uploads
    from copilot.console.pir_edit import durations_from_rows, timeline_problems
    from copilot.console.provenance import (
        ProvenanceView,
        change_rows,
        provenance_view,
        redraft_backends,
        section_writers,
    )
    from copilot.console.risk_register import register_csv, register_markdown
    from copilot.console.safe_text import allowed_hosts_of, defuse, inert
    from copilot.console.sla_queue import format_minutes
    from copilot.drafting.answer import EXTRACTIVE_NOTE, Answer
    from copilot.drafting.draft import ARTIFACT_KINDS, SECTION_NAMES, Draft, Finding, GuardrailReport
    from copilot.errors import Conflict, CopilotError, InvalidInput, NotFound, Refused
    from copilot.facts.kpis import Kpi, KpiReport
    from copilot.service import Copilot

_EXPORTS: dict[str, str] = {
    "format_money": "copilot.console.money",
    "short_money": "copilot.console.money",
    "allowed_hosts_of": "copilot.console.safe_text",
    "defuse": "copilot.console.safe_text",
    "inert": "copilot.console.safe_text",
    "Copilot": "copilot.service",
    "Kpi": "copilot.facts.kpis",
    "KpiReport": "copilot.facts.kpis",
    "Settings": "copilot.config",
    "CopilotError": "copilot.errors",
    "Conflict": "copilot.errors",
    "InvalidInput": "copilot.errors",
    "NotFound": "copilot.errors",
    "Refused": "copilot.errors",
    "ARTIFACT_KINDS": "copilot.drafting.draft",
    "SECTION_NAMES": "copilot.drafting.draft",
    "Draft": "copilot.drafting.draft",
    "Finding": "copilot.drafting.draft",
    "GuardrailReport": "copilot.drafting.draft",
    "Answer": "copilot.drafting.answer",
    "EXTRACTIVE_NOTE": "copilot.drafting.answer",
    "default_quarter": "copilot.console.charts",
    "stage_uploads": "copilot.console.overview",
    "durations_from_rows": "copilot.console.pir_edit",
    "timeline_problems": "copilot.console.pir_edit",
    "ProvenanceView": "copilot.console.provenance",
    "change_rows": "copilot.console.provenance",
    "provenance_view": "copilot.console.provenance",
    "redraft_backends": "copilot.console.provenance",
    "section_writers": "copilot.console.provenance",
    "format_minutes": "copilot.console.sla_queue",
    "register_csv": "copilot.console.risk_register",
    "register_markdown": "copilot.console.risk_register",
}

__all__ = [
    "ARTIFACT_KINDS",
    "Answer",
    "Conflict",
    "Copilot",
    "CopilotError",
    "Draft",
    "EXTRACTIVE_NOTE",
    "Finding",
    "GuardrailReport",
    "InvalidInput",
    "Kpi",
    "KpiReport",
    "NotFound",
    "ProvenanceView",
    "Refused",
    "SECTION_NAMES",
    "Settings",
    "allowed_hosts_of",
    "change_rows",
    "default_quarter",
    "defuse",
    "durations_from_rows",
    "format_minutes",
    "format_money",
    "inert",
    "provenance_view",
    "redraft_backends",
    "register_csv",
    "register_markdown",
    "section_writers",
    "short_money",
    "stage_uploads",
    "timeline_problems",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'copilot' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
