"""Account plans: ``*.yaml`` / ``*.yml`` with a top-level ``account:`` key.

A plan defines an account and the mappings that attach every other record to it, so
the pipeline parses plans first and builds the :class:`AccountResolver` from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError

from copilot.ingest.base import AccountResolver, ParseResult
from copilot.ingest.files import YAML_SUFFIXES
from copilot.ingest.rows import describe_validation_error, entry
from copilot.records.models import AccountPlan

__all__ = ["PlanIngestor", "parse_plan"]


def parse_plan(path: Path, data: object) -> ParseResult:
    """Validate one plan document into an :class:`AccountPlan` (or quarantine it)."""
    if not isinstance(data, Mapping):
        return ParseResult(quarantine=[entry(path, "", "account plan is not a YAML mapping")])
    account = data.get("account")
    row = str(account.get("id", "")) if isinstance(account, Mapping) else ""
    try:
        plan = AccountPlan.model_validate({**data, "source_file": str(path)})
    except ValidationError as exc:
        return ParseResult(
            quarantine=[
                entry(
                    path,
                    row,
                    f"invalid account plan: {describe_validation_error(exc)}",
                    "fix the listed fields (see docs/formats.md, Account plans) and re-ingest",
                )
            ]
        )
    return ParseResult(plans=[plan])


class PlanIngestor:
    """YAML documents whose top level has an ``account`` key."""

    name = "plans"

    def matches(self, path: Path, data: object | None) -> bool:
        return (
            path.suffix.lower() in YAML_SUFFIXES
            and isinstance(data, Mapping)
            and "account" in data
        )

    def parse(self, path: Path, data: object | None, resolver: AccountResolver) -> ParseResult:
        return parse_plan(path, data)
