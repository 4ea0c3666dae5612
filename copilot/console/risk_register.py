"""The risk register, per account and for the portfolio, with CSV and Markdown export.

Entries come from three places, each citing its records:

- ``plan_risk``: the account plan's risks (likelihood, impact, mitigation, owner, status as written);
- ``churn_signal``: churn signals in customer text and the plan (``copilot.facts.signals``, read over
  the portfolio's signal window); owner: the account's TAM, mitigation: the playbook step in
  ``CHURN_MITIGATION``; status ``open``;
- ``incident_follow_up``: corrective actions not done (owner, due date and status from the incident
  record; ``overdue`` once the due date has passed) and root causes not yet confirmed.

Order: overdue first, then by severity (high before low), then due date, account and id.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from copilot.console.portfolio import recent_churn_signals, signal_kinds
from copilot.records.models import AccountPlan, Incident, Ticket, ensure_utc

__all__ = ["CHURN_MITIGATION", "COLUMNS", "RegisterEntry", "register_csv", "register_markdown", "risk_register",
           "tam_of"]

CHURN_MITIGATION: dict[str, str] = {
    "champion_left": "Find and build a new champion; re-map the stakeholders and brief the economic buyer",
    "competitor_mention": "Executive alignment call; restate the value delivered and the success plan",
    "data_export": "Ask what the export is for; offer help and confirm the renewal intent",
    "usage_decline": "Adoption review with the users; find the blockers behind the drop",
    "engagement_decline": "Check in with the practitioners; confirm the integration is still in use",
    "adversarial_tone": "Call the customer; agree an action plan and an update cadence",
}
"""Churn-signal kind -> the playbook step the register proposes as mitigation."""

COLUMNS = ["account_id", "id", "source", "risk", "severity", "evidence", "owner", "mitigation", "due", "status"]
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


class RegisterEntry(BaseModel):
    """One risk: what it is, the records that show it, who owns it, what is being done, by when."""

    model_config = ConfigDict(extra="forbid")

    account_id: str
    id: str  # unique in the portfolio, e.g. harbor-line:R1, harbor-line:churn:champion_left, INC-2026-0822:CA-1
    source: Literal["plan_risk", "churn_signal", "incident_follow_up"]
    risk: str
    severity: Literal["high", "medium", "low"]
    evidence: list[str] = Field(default_factory=list)  # cited record ids
    owner: str = ""
    mitigation: str = ""
    due: date | None = None
    status: Literal["open", "mitigating", "in_progress", "overdue", "closed"]


def tam_of(plan: AccountPlan) -> str:
    """The account's TAM: the internal contact titled Technical Account Manager (else the first internal one)."""
    internal = [c for c in plan.stakeholders if c.internal]
    tam = [c for c in internal if "technical account manager" in c.title.lower()]
    return (tam or internal)[0].name if (tam or internal) else ""


def _plan_risks(plan: AccountPlan) -> list[RegisterEntry]:
    severity = lambda r: "high" if "high" in (r.impact, r.likelihood) and r.impact != "low" else (  # noqa: E731
        "low" if r.impact == "low" and r.likelihood != "high" else "medium")
    return [RegisterEntry(account_id=plan.account.id, id=f"{plan.account.id}:{r.id}", source="plan_risk",
                          risk=f"{r.title} (likelihood {r.likelihood}, impact {r.impact})", severity=severity(r),
                          evidence=[f"plan:{plan.account.id}#risks"], owner=r.owner, mitigation=r.mitigation,
                          status=r.status) for r in plan.risks]


def _churn(plan: AccountPlan, tickets: list[Ticket], as_of: datetime) -> list[RegisterEntry]:
    return [RegisterEntry(
        account_id=plan.account.id, id=f"{plan.account.id}:churn:{kind}", source="churn_signal",
        risk=f"Churn signal ({kind.replace('_', ' ')}): {first}",
        severity="high" if kind in ("champion_left", "competitor_mention", "data_export") else "medium",
        evidence=ids, owner=tam_of(plan), mitigation=CHURN_MITIGATION.get(kind, ""), status="open")
        for kind, first, ids in signal_kinds(recent_churn_signals(plan, tickets, as_of))]


def _follow_ups(plan: AccountPlan, incidents: list[Incident], today: date) -> list[RegisterEntry]:
    out = []
    for i in incidents:
        high = i.priority in ("P1", "P2")
        for a in i.corrective_actions:
            if a.status == "done":
                continue
            overdue = a.due is not None and a.due < today
            out.append(RegisterEntry(
                account_id=plan.account.id, id=f"{i.id}:{a.id}", source="incident_follow_up",
                risk=f"Corrective action for {i.id} ({i.priority}, {i.title}) not done: {a.action}",
                severity="high" if high and overdue else "medium", evidence=[i.id], owner=a.owner, mitigation=a.action,
                due=a.due, status="overdue" if overdue else a.status))
        if i.root_cause.status != "confirmed":
            out.append(RegisterEntry(
                account_id=plan.account.id, id=f"{i.id}:root-cause", source="incident_follow_up",
                risk=f"Root cause of {i.id} ({i.priority}, {i.title}) is {i.root_cause.status}: it may recur",
                severity="high" if high else "medium", evidence=[i.id], owner=tam_of(plan),
                mitigation="Confirm the root cause with Engineering before the PIR", status="open"))
    return out


def risk_register(plans: Iterable[AccountPlan], tickets: list[Ticket], incidents: list[Incident],
                  as_of: datetime) -> list[RegisterEntry]:
    """The register for ``plans``' accounts (one plan: that account's register) at ``as_of``."""
    as_of = ensure_utc(as_of)
    out: list[RegisterEntry] = []
    for plan in plans:
        account = plan.account.id
        mine_t = [t for t in tickets if t.account_id == account and t.created_at <= as_of]
        mine_i = [i for i in incidents if i.account_id == account and i.started_at <= as_of]
        out += _plan_risks(plan) + _churn(plan, mine_t, as_of) + _follow_ups(plan, mine_i, as_of.date())
    far = as_of.date() + timedelta(days=36500)
    out.sort(key=lambda e: (e.status != "overdue", e.status == "closed", _SEVERITY_ORDER[e.severity],
                            e.due or far, e.account_id, e.id))
    return out


def _cells(entry: RegisterEntry) -> list[str]:
    data = entry.model_dump(mode="json")
    data["evidence"] = " ".join(entry.evidence)
    return [str(data[c] if data[c] is not None else "") for c in COLUMNS]


def _csv_safe(cell: str) -> str:
    # a spreadsheet runs a cell that starts with = + - @ as a formula: record text must stay text
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def register_csv(entries: list[RegisterEntry]) -> str:
    """The register as CSV (header row first; cells that a spreadsheet would run as formulas are quoted with ')."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        writer.writerow([_csv_safe(c) for c in _cells(entry)])
    return out.getvalue()


def _md_cell(cell: str) -> str:
    text = " ".join(cell.split()).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("<", "&lt;").replace(">", "&gt;")


def register_markdown(entries: list[RegisterEntry], title: str = "Risk register") -> str:
    """The register as a Markdown document: a heading and one table row per entry."""
    lines = [f"# {title}", "", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(_md_cell(c) for c in _cells(e)) + " |" for e in entries]
    if not entries:
        lines.append("| " + " | ".join(["—"] * len(COLUMNS)) + " |")
    return "\n".join(lines) + "\n"
