"""Deterministic facts per artifact: computed from records, each carrying its source ids.

A drafting backend only turns these into prose; guardrails check drafts against them.
"""

from copilot.facts.brief import BriefFacts, build_brief_facts
from copilot.facts.common import (
    Fact,
    Sourced,
    format_duration,
    format_time,
    quarter_bounds,
)
from copilot.facts.metrics import METRIC_LABELS, QuarterMetrics, compute_quarter_metrics
from copilot.facts.pir import PirFacts, build_pir_facts
from copilot.facts.qbr import QbrFacts, build_qbr_facts
from copilot.facts.update import UpdateFacts, build_update_facts

__all__ = [
    "METRIC_LABELS",
    "BriefFacts",
    "Fact",
    "PirFacts",
    "QbrFacts",
    "QuarterMetrics",
    "Sourced",
    "UpdateFacts",
    "build_brief_facts",
    "build_pir_facts",
    "build_qbr_facts",
    "build_update_facts",
    "compute_quarter_metrics",
    "format_duration",
    "format_time",
    "quarter_bounds",
]
