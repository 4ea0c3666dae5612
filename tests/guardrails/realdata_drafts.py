"""PIR drafts built from real public post-mortems (``$REALDATA/postmortems``, see its SOURCES.md).

Each report's own timeline (``<name>.timeline.json``: times and events as the report wrote them)
becomes an incident of a made-up account; from it come a template PIR and a hand-written PIR
that quotes every timeline entry verbatim with its citation. Nothing in them is invented, so no
guardrail may block them. The texts stay outside this repository (they belong to their authors).
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path

from copilot.drafting.base import DraftRequest
from copilot.drafting.draft import Draft
from copilot.drafting.template import TemplateBackend
from copilot.facts.pir import pir_facts
from copilot.records.models import Account, AccountPlan, Contract, Incident, IncidentEvent, SlaPolicy, SlaTarget

__all__ = ["REALDATA", "postmortems", "realdata_case"]

REALDATA = Path(os.environ.get("COPILOT_REALDATA") or Path(__file__).resolve().parents[2].parent / "shared" / "realdata")


def postmortems() -> list[Path]:
    folder = REALDATA / "postmortems"
    return sorted(folder.glob("*.timeline.json")) if folder.is_dir() else []


def _plan() -> AccountPlan:
    return AccountPlan(
        account=Account(id="realco", name="Realco Shipping", email_domains=["realco.example"]),
        contract=Contract(arr=100000, tier="enterprise", start_date="2024-01-01", renewal_date="2027-01-01"),
        sla=SlaPolicy(**{p: SlaTarget(first_response_minutes=m, update_cadence_minutes=m * 2)
                         for p, m in (("P1", 30), ("P2", 120), ("P3", 480), ("P4", 1440))}),
    )


def _title(report: Path) -> str:
    for line in report.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return report.stem.replace("-", " ")


def realdata_case(timeline: Path) -> tuple[AccountPlan, Incident, list[Draft]]:
    """The records and the two clean PIR drafts of one post-mortem."""
    entries = [e for e in json.loads(timeline.read_text(encoding="utf-8")) if e.get("time_iso_utc")]
    incident_id = "INC-" + re.sub(r"[^A-Za-z0-9]+", "-", timeline.name.removesuffix(".timeline.json")).upper()
    events = [
        IncidentEvent(
            id=f"{incident_id}-e{n}",
            incident_id=incident_id,
            at=datetime.fromisoformat(e["time_iso_utc"].replace("Z", "+00:00")),
            kind="message",
            text=e["event"],
        )
        for n, e in enumerate(entries, 1)
    ]
    events.sort(key=lambda e: e.at)
    title = _title(timeline.with_name(timeline.name.removesuffix(".timeline.json") + ".md"))
    incident = Incident(
        id=incident_id, account_id="realco", title=title, priority="P2", status="resolved",
        started_at=events[0].at, resolved_at=events[-1].at, events=events,
    )
    plan = _plan()
    facts = pir_facts(plan, incident, [], [plan]).model_dump(mode="json")
    request = DraftRequest(kind="pir_timeline", account_id="realco", subject_id=incident_id,
                           title=f"Post-incident review: {title} ({incident_id})", facts=facts)
    template = TemplateBackend().draft(request)
    template.facts = facts
    # the same PIR with every event quoted and attributed, as a person would paste it
    markdown = template.markdown
    for event in events:
        markdown = markdown.replace(f"UTC — {event.text} [source: {event.id}]",
                                    f'UTC — the report\'s timeline reads: "{event.text}" [source: {event.id}]', 1)
    quoted = Draft(kind="pir_timeline", account_id="realco", subject_id=incident_id, markdown=markdown,
                   facts=facts)
    return plan, incident, [template.finalize(), quoted.finalize()]
