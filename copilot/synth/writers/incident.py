"""The incident record YAML of docs/formats.md."""

from __future__ import annotations

from typing import Any

from copilot.synth.ids import resolve_refs
from copilot.synth.specs import IncidentSpec

__all__ = ["incident_document"]


def incident_document(inc: IncidentSpec, key_map: dict[str, str]) -> dict[str, Any]:
    """The incident record, with ticket references resolved to ids."""
    doc: dict[str, Any] = {
        "id": inc.id, "account": inc.account_id, "title": inc.title,
        "priority": inc.priority_label or inc.priority, "status": inc.status, "channel": inc.channel,
        "summary": inc.summary, "customer_impact": inc.customer_impact, "workaround": inc.workaround,
        "started_at": inc.started_at, "detected_at": inc.detected_at, "engaged_at": inc.engaged_at,
    }
    if inc.mitigated_at:
        doc["mitigated_at"] = inc.mitigated_at
    if inc.resolved_at:
        doc["resolved_at"] = inc.resolved_at
    if inc.last_customer_update_at:
        doc["last_customer_update_at"] = inc.last_customer_update_at
    doc["related_tickets"] = [t.record_id for t in inc.related]
    doc["root_cause"] = dict(inc.root_cause)
    doc["contributing_factors"] = list(inc.contributing_factors)
    doc["corrective_actions"] = list(inc.corrective_actions)
    doc["status_events"] = list(inc.status_events)
    return {"incident": resolve_refs(doc, key_map)}
