"""Synthetic portfolio generator: account history in the source formats of docs/formats.md.

``generate_portfolio(out_dir, accounts=N, seed=S)`` writes a complete, deterministic portfolio
(plans, Zendesk / Jira / CSV tickets with comment threads, incident records with their Slack
channel exports, shared runbooks). ``scripts/build_sample_data.py`` reuses the same building
blocks to write the hand-curated ``data/sample`` dataset.

Everything is derived from ``random.Random(seed)`` (stdlib only, no network), so the same
arguments always produce byte-identical files. The story data (ticket archetypes, incident
scenarios, runbooks, phrases, people, account vocabulary) lives in ``stories/*.yaml``.

Layout of a portfolio folder::

    plans/<account>.yaml
    zendesk/tickets-<account>.json
    jira/<PROJECT>-search.json
    csv/tickets-<account>.csv + csv/comments-<account>.csv
    slack/channels.json, slack/users.json, slack/<channel>/<YYYY-MM-DD>.json
    incidents/<INC-id>.yaml
    runbooks/<id>.md
"""

from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path
from typing import Any

from copilot.synth.accounts import generate_accounts
from copilot.synth.incidents import build_incident
from copilot.synth.specs import IncidentSpec, SynthPortfolio, TicketSpec
from copilot.synth.tickets import generate_tickets
from copilot.synth.world import UTC
from copilot.synth.writers.portfolio import write_portfolio

__all__ = ["generate_portfolio"]


def generate_portfolio(out_dir: Path, accounts: int, seed: int) -> dict[str, Any]:
    """Write a synthetic portfolio of ``accounts`` accounts to ``out_dir``; returns counts.

    Deterministic: the same (accounts, seed) always produces byte-identical files.
    """
    if accounts < 1:
        raise ValueError("accounts must be at least 1")
    rng = random.Random(seed)
    specs = generate_accounts(rng, accounts)
    tickets: list[TicketSpec] = []
    incidents: list[IncidentSpec] = []
    seq = 2000
    for spec in specs:
        arng = random.Random(f"{seed}:{spec.id}")
        tickets += generate_tickets(arng, spec)
        n_inc = {"green": (0, 1), "yellow": (0, 2), "red": (1, 3)}[spec.health]
        used_days: set[date] = set()
        for _ in range(arng.randint(*n_inc)):
            seq += 1
            if arng.random() < 0.12:
                key = "rates-latency"
                started = datetime(2026, 11, arng.randint(12, 14), arng.randint(8, 16), arng.randint(0, 59),
                                   tzinfo=UTC)
            else:
                key = arng.choice(["label-504", "webhook-lag", "tracking-cert", "export-stall"])
                started = datetime(2026, arng.randint(2, 10), arng.randint(1, 28), arng.randint(0, 20),
                                   arng.randint(0, 59), tzinfo=UTC)
            if started.date() in used_days:
                continue
            used_days.add(started.date())
            inc, related = build_incident(arng, spec, key, f"INC-2026-{seq:04d}", started)
            incidents.append(inc)
            tickets += related
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return write_portfolio(out, SynthPortfolio(specs, tickets, incidents), rng)
