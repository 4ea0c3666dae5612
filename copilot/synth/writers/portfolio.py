"""Writing a whole portfolio: assign ids, resolve references, write every file in its format."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from copilot.synth.ids import IdCounter, assign_ticket_ids, resolve_refs
from copilot.synth.specs import SynthPortfolio, TicketSpec
from copilot.synth.writers.csv_export import csv_documents
from copilot.synth.writers.files import dump_json, dump_yaml
from copilot.synth.writers.incident import incident_document
from copilot.synth.writers.jira import jira_document
from copilot.synth.writers.plan import plan_document
from copilot.synth.writers.runbook import write_runbooks
from copilot.synth.writers.slack import slack_documents
from copilot.synth.writers.zendesk import zendesk_document

__all__ = ["write_portfolio"]


def write_portfolio(out_dir: Path, portfolio: SynthPortfolio, rng: random.Random) -> dict[str, Any]:
    """Assign ids, resolve references and write every file of the portfolio. Returns counts."""
    out_dir = Path(out_dir)
    accounts, tickets, incidents = portfolio.accounts, portfolio.tickets, portfolio.incidents
    assign_ticket_ids(rng, accounts, tickets)
    key_map = {t.key: t.record_id for t in tickets if t.key}
    by_account: dict[str, list[TicketSpec]] = {}
    for t in tickets:
        by_account.setdefault(t.account_id, []).append(t)
    counts: dict[str, Any] = {"accounts": len(accounts), "plans": 0, "tickets": 0, "comments": 0,
                              "tickets_by_source": {"zendesk": 0, "jira": 0, "csv": 0}, "incidents": 0,
                              "slack_channels": 0, "slack_messages": 0, "runbooks": 0}
    zd_comments, jira_issues, jira_comments = IdCounter(18_200_000_000), IdCounter(10000), IdCounter(100000)
    csv_comments = IdCounter(700000)
    for acc in sorted(accounts, key=lambda a: a.id):
        plan = resolve_refs(plan_document(acc), key_map)
        dump_yaml(out_dir / "plans" / f"{acc.id}.yaml", plan)
        counts["plans"] += 1
        mine = by_account.get(acc.id, [])
        zd = [t for t in mine if t.source == "zendesk"]
        if zd:
            dump_json(out_dir / "zendesk" / f"tickets-{acc.id}.json",
                       zendesk_document(acc, zd, key_map, zd_comments))
        jr = [t for t in mine if t.source == "jira"]
        if jr:
            dump_json(out_dir / "jira" / f"{acc.jira_key}-search.json",
                       jira_document(acc, jr, key_map, jira_issues, jira_comments))
        cs = [t for t in mine if t.source == "csv"]
        if cs:
            ttext, ctext = csv_documents(acc, cs, key_map, csv_comments)
            (out_dir / "csv").mkdir(parents=True, exist_ok=True)
            (out_dir / "csv" / f"tickets-{acc.id}.csv").write_text(ttext, encoding="utf-8")
            (out_dir / "csv" / f"comments-{acc.id}.csv").write_text(ctext, encoding="utf-8")
        for t in mine:
            counts["tickets"] += 1
            counts["comments"] += len(t.comments)
            counts["tickets_by_source"][t.source] += 1
    for inc in incidents:
        dump_yaml(out_dir / "incidents" / f"{inc.id}.yaml", incident_document(inc, key_map))
        counts["incidents"] += 1
    if incidents:
        channels, users, days = slack_documents(incidents, key_map)
        dump_json(out_dir / "slack" / "channels.json", channels)
        dump_json(out_dir / "slack" / "users.json", users)
        for channel, per_day in days.items():
            for day, msgs in per_day.items():
                dump_json(out_dir / "slack" / channel / f"{day}.json", msgs)
                counts["slack_messages"] += len(msgs)
        counts["slack_channels"] = len(channels)
    counts["runbooks"] = write_runbooks(out_dir)
    return counts
