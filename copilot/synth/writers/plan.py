"""The account plan YAML of docs/formats.md."""

from __future__ import annotations

from typing import Any

from copilot.synth.specs import AccountSpec
from copilot.synth.world import severity_policy_for_tier

__all__ = ["plan_document"]


def plan_document(spec: AccountSpec) -> dict[str, Any]:
    """The account plan in the YAML shape of docs/formats.md."""
    mappings: dict[str, Any] = {
        "zendesk_organization_ids": [spec.zendesk_org_id] if spec.zendesk_org_id else [],
        "jira_project_keys": [spec.jira_key] if spec.jira_key and "jira" in spec.sources else [],
        "csv_customer_names": [spec.csv_customer] if spec.csv_customer and "csv" in spec.sources else [],
        "slack_channels": sorted(spec.slack_channels),
    }
    return {
        "account": {
            "id": spec.id, "name": spec.name, "aliases": list(spec.aliases), "email_domains": [spec.domain],
            "industry": spec.industry, "region": spec.region, "health": spec.health,
        },
        "contract": {
            "arr": spec.arr, "currency": spec.currency, "tier": spec.tier, "start_date": spec.start_date,
            "renewal_date": spec.renewal_date, "renewal_stage": spec.renewal_stage,
        },
        "sla": spec.sla_policy(),
        "severity_policy": spec.severity_policy or severity_policy_for_tier(spec.tier),
        "mappings": mappings,
        "stakeholders": list(spec.stakeholders),
        "objectives": list(spec.objectives),
        "value_realization": list(spec.value_realization),
        "risks": list(spec.risks),
        "whitespace": list(spec.whitespace),
        "success_plan": list(spec.success_plan),
        "roadmap": list(spec.roadmap),
        "internal_codenames": list(spec.internal_codenames),
    }
