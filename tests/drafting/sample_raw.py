"""An independent reading of the raw sample files, for checking the QBR's numbers.

Plain Python over the JSON/CSV/YAML in ``data/sample`` — deliberately NOT using copilot's
ingest, models or metrics — following the formats in docs/formats.md and the metric
definitions documented in ``copilot.facts.metrics``.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

__all__ = ["RawTicket", "expected_service_lines", "read_sample"]

_WORDS = {"urgent": "P1", "highest": "P1", "blocker": "P1", "critical": "P2", "high": "P2", "normal": "P3",
          "medium": "P3", "major": "P3", "moderate": "P3", "low": "P4", "lowest": "P4", "minor": "P4",
          "trivial": "P4"}


def _priority(raw: str) -> str:
    text = raw.strip().lower()
    m = re.match(r"^(?:p|sev)\s*([1-4])$", text) or re.match(r"^([1-4])\s*-", text)
    if m:
        return f"P{m.group(1)}"
    return _WORDS[text]


def _ts(raw: str | None) -> datetime | None:
    if not raw:
        return None
    value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    assert value.tzinfo is not None, raw
    return value.astimezone(timezone.utc)


@dataclass
class RawTicket:
    id: str
    account: str
    priority: str
    created: datetime
    resolved: datetime | None
    component: str
    first_response: datetime | None = None
    agent_public: list[datetime] = field(default_factory=list)


@dataclass
class RawIncident:
    id: str
    account: str
    started: datetime
    mitigated: datetime | None


def read_sample(root: Path) -> tuple[dict, list[RawTicket], list[RawIncident]]:
    """``(plans by account id, tickets, incidents)`` from the raw files under ``root``."""
    plans = {}
    for path in sorted((root / "plans").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        plans[doc["account"]["id"]] = doc
    by_org = {org: a for a, p in plans.items() for org in p.get("mappings", {}).get("zendesk_organization_ids", [])}
    by_key = {k: a for a, p in plans.items() for k in p.get("mappings", {}).get("jira_project_keys", [])}
    by_customer = {}
    for a, p in plans.items():
        for name in p.get("mappings", {}).get("csv_customer_names", []) + [p["account"]["name"]]:
            by_customer[name] = a
    tickets: list[RawTicket] = []

    for path in sorted((root / "zendesk").glob("*.json")):
        doc = json.loads(path.read_text())
        roles = {str(u["id"]): u.get("role") for u in doc.get("users", [])}
        for t in doc["tickets"]:
            comments = doc.get("comments", {}).get(str(t["id"]), [])
            agent = sorted(_ts(c["created_at"]) for c in comments
                           if c.get("public", True) and roles.get(str(c["author_id"])) in ("agent", "admin"))
            resolved = _ts(t.get("solved_at") or t.get("resolved_at"))
            if resolved is None and t["status"] in ("solved", "closed"):
                resolved = _ts(t["updated_at"])
            component = next((tag.split(":", 1)[1] for tag in t.get("tags", []) if tag.startswith("component:")), "")
            tickets.append(RawTicket(f"ZD-{t['id']}", by_org[t["organization_id"]], _priority(t["priority"]),
                                     _ts(t["created_at"]), resolved, component,
                                     _ts(t.get("first_response_at")) or (agent[0] if agent else None), agent))

    for path in sorted((root / "jira").glob("*.json")):
        for issue in json.loads(path.read_text())["issues"]:
            f = issue["fields"]
            account = by_key[issue["key"].split("-")[0]]
            domains = plans[account]["account"].get("email_domains", [])
            customers = {s["name"] for s in plans[account].get("stakeholders", []) if not s.get("internal")}

            def is_agent(author: dict, domains: list = domains, customers: set = customers) -> bool:
                email = (author.get("emailAddress") or "").lower()
                if email:
                    domain = email.rpartition("@")[2]
                    return not any(domain == d or domain.endswith("." + d) for d in domains)
                return author.get("displayName") not in customers

            agent = sorted(_ts(c["created"]) for c in (f.get("comment") or {}).get("comments", [])
                           if c.get("jsdPublic", True) and is_agent(c.get("author") or {}))
            components = [c["name"] for c in f.get("components") or []]
            tickets.append(RawTicket(issue["key"], account, _priority(f["priority"]["name"]), _ts(f["created"]),
                                     _ts(f.get("resolutiondate")), components[0] if components else "",
                                     agent[0] if agent else None, agent))

    comments_by_ticket: dict[str, list[dict]] = {}
    for path in sorted((root / "csv").glob("comments-*.csv")):
        with path.open(newline="") as fh:
            for row in csv.DictReader(fh):
                comments_by_ticket.setdefault(row["ticket_id"], []).append(row)
    for path in sorted((root / "csv").glob("tickets-*.csv")):
        with path.open(newline="") as fh:
            for row in csv.DictReader(fh):
                agent = sorted(_ts(c["created_at"]) for c in comments_by_ticket.get(row["ticket_id"], [])
                               if c["public"].strip().lower() == "true" and c["author_role"].strip() == "agent")
                tickets.append(RawTicket(row["ticket_id"], by_customer[row["customer"]], _priority(row["priority"]),
                                         _ts(row["created_at"]), _ts(row.get("resolved_at")), row.get("component", ""),
                                         _ts(row.get("first_response_at")) or (agent[0] if agent else None), agent))

    incidents = []
    for path in sorted((root / "incidents").glob("*.yaml")):
        inc = yaml.safe_load(path.read_text())["incident"]

        def dt(value: object) -> datetime | None:
            if value is None:
                return None
            if isinstance(value, datetime):
                return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
            return _ts(str(value))

        incidents.append(RawIncident(inc["id"], inc["account"], dt(inc["started_at"]), dt(inc.get("mitigated_at"))))
    return plans, tickets, incidents


# --- the metrics, recomputed by hand -------------------------------------------------------


def _quarter(q: str) -> tuple[datetime, datetime]:
    year, n = int(q[:4]), int(q[-1])
    start = datetime(year, 3 * n - 2, 1, tzinfo=timezone.utc)
    end = datetime(year + (n == 4), 1 if n == 4 else 3 * n + 1, 1, tzinfo=timezone.utc)
    return start, end


def _pct(a: int, b: int) -> str:
    value = round(a * 100 / b + 1e-9, 1)  # half up at one decimal (no exact .x5 ties occur with these counts)
    return f"{value:.1f}%"


def _dur(minutes: int) -> str:
    d, rest = divmod(minutes, 1440)
    h, m = divmod(rest, 60)
    return f"{d}d {h}h {m:02d}m" if d else (f"{h}h {m:02d}m" if h else f"{m}m")


def _mean_minutes(seconds: list[float]) -> int:
    mean = sum(seconds) / len(seconds) / 60
    return int(mean + 0.5)


def expected_mttr_high(account: str, quarter: str, tickets: list[RawTicket]) -> str | None:
    """The KPI "MTTR (P1/P2)": mean creation-to-resolution of the quarter's resolved P1/P2 tickets."""
    start, end = _quarter(quarter)
    done = [(t.resolved - t.created).total_seconds() for t in tickets if t.account == account
            and start <= t.created < end and t.priority in ("P1", "P2") and t.resolved]
    return f"{_dur(_mean_minutes(done))} ({len(done)} measured)" if done else None


def expected_service_lines(account: str, quarter: str, plans: dict, tickets: list[RawTicket],
                           incidents: list[RawIncident]) -> dict[str, str]:
    """``{label: value text}`` for the account's ``## Service performance`` in ``quarter``."""
    sla = plans[account]["sla"]
    start, end = _quarter(quarter)
    prev = f"{int(quarter[:4]) - (quarter[-1] == '1')}Q{4 if quarter[-1] == '1' else int(quarter[-1]) - 1}"
    p_start, p_end = _quarter(prev)
    mine = [t for t in tickets if t.account == account]
    now = sorted([t for t in mine if start <= t.created < end], key=lambda t: (t.created, t.id))
    before = sorted([t for t in mine if p_start <= t.created < p_end], key=lambda t: (t.created, t.id))
    mix = lambda ts: ", ".join(f"P{n} {sum(t.priority == f'P{n}' for t in ts)}" for n in range(1, 5))  # noqa: E731

    met = sum(1 for t in now if t.first_response is not None
              and (t.first_response - t.created) <= timedelta(minutes=sla[t.priority]["first_response_minutes"]))
    high = [t for t in now if t.priority in ("P1", "P2")]
    cad_met = 0
    for t in high:
        limit = timedelta(minutes=sla[t.priority]["update_cadence_minutes"])
        ups = [u for u in t.agent_public if t.resolved is None or u <= t.resolved]
        points = ups + ([t.resolved] if t.resolved and ups else [])
        if ups and all(b - a <= limit for a, b in zip(points, points[1:])):
            cad_met += 1
    lines = {
        "Tickets opened": f"{len(now)} (previous quarter {len(before)})",
        "Severity mix": f"{mix(now)} (previous quarter {mix(before)})",
        "First-response SLA compliance": f"{_pct(met, len(now))} ({met} of {len(now)})" if now else "no tickets opened",
        "P1/P2 update-cadence compliance": f"{_pct(cad_met, len(high))} ({cad_met} of {len(high)})" if high
        else "no P1/P2 tickets",
    }
    for n in range(1, 5):
        done = [(t.resolved - t.created).total_seconds() for t in now if t.priority == f"P{n}" and t.resolved]
        lines[f"MTTR P{n}"] = f"{_dur(_mean_minutes(done))} ({len(done)} resolved)" if done \
            else f"no resolved P{n} tickets"
    incs = [i for i in incidents if i.account == account and start <= i.started < end]
    lines["Incidents"] = str(len(incs))
    mitigated = [(i.mitigated - i.started).total_seconds() for i in incs if i.mitigated]
    lines["MTTM (incidents)"] = _dur(_mean_minutes(mitigated)) if mitigated else "no mitigated incidents"
    # repeats: a quarter P1/P2 whose component an earlier P1/P2 (this or the previous quarter) shares
    ordered = [t for t in before if t.priority in ("P1", "P2")] + high
    groups: dict[str, list[str]] = {}
    for t in ordered:
        if t.component:
            groups.setdefault(t.component, []).append(t.id)
    high_ids = {t.id for t in high}
    repeats = {tid for ids in groups.values() for tid in ids[1:] if tid in high_ids}
    named = sorted((c, ids) for c, ids in groups.items() if any(i in high_ids for i in ids[1:]))
    text = str(len(repeats))
    if named:
        text += " (" + "; ".join(f"component {c}: {', '.join(ids)}" for c, ids in named) + ")"
    lines["Repeat incidents"] = text
    return lines
