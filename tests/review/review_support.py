"""Shared helpers for the review tests: a real (simple, deterministic) checker and draft builders.

The checker is a real function injected into ``ReviewQueue``, not a mock: it blocks on markers in
the markdown, so a test controls findings by what it writes. Module-level so that worker
processes (multiprocessing, spawn) can import it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from copilot.drafting.draft import Draft, Finding, GuardrailReport, Section
from copilot.review import ReviewQueue

__all__ = ["make_draft", "marker_checker", "open_queue", "race_worker", "seed_account", "sha256"]

_RULES = [
    ("grounding", "block", re.compile(r"\b999\b"), "999 does not appear in the account's records"),
    ("secrets", "block", re.compile(r"AKIA[0-9A-Z]{16}"), "an AWS access key in a customer-facing draft"),
    ("tone", "warn", re.compile(r"\bobviously\b", re.IGNORECASE), "sounds dismissive"),
]


def marker_checker(draft: Draft) -> GuardrailReport:
    """Block on ``999`` (grounding) and AWS-style keys (secrets); warn on "obviously" (tone)."""
    findings = []
    for check, severity, pattern, message in _RULES:
        for match in pattern.finditer(draft.markdown):
            findings.append(Finding(check=check, severity=severity, message=message, span=match.span()))
    if "CRASH" in draft.markdown:
        return GuardrailReport(passed=False, findings=findings, crashed=["commitments"])
    return GuardrailReport(passed=not any(f.severity == "block" for f in findings), findings=findings)


def make_draft(known: str = "Requests to the EU API fail with 502 since 10:00 UTC.", *,
               account_id: str = "acme", subject_id: str = "INC-1", **extra: object) -> Draft:
    """An incident update with all five sections; ``known`` is the first section's text."""
    texts = {
        "known": known,
        "unknown": "We do not yet know the cause.",
        "actions": "Engineering is rolling back the latest deploy.",
        "workaround": "Retry failed requests.",
        "next_update": "Next update by 11:00 UTC.",
    }
    titles = {"known": "What we know", "unknown": "What we don't know yet", "actions": "What we are doing",
              "workaround": "Workaround", "next_update": "Next update"}
    sections = [Section(name=n, title=titles[n], text=t, citations=[f"{subject_id}#c{i}"])
                for i, (n, t) in enumerate(texts.items())]
    return Draft(kind="incident_update", account_id=account_id, subject_id=subject_id,
                 title=f"Incident update: {subject_id}", sections=sections, **extra).finalize()


def open_queue(db: Path) -> ReviewQueue:
    return ReviewQueue(db, marker_checker)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def race_worker(db: str, name: str, plan: list[tuple[str, tuple]], barrier: object, results: object) -> None:
    """Run in its own process: for each round, wait at ``barrier``, then call one queue method.

    Puts ``(round, name, "ok" | "conflict" | "error", detail)`` on ``results``.
    """
    from copilot.errors import Conflict

    queue = open_queue(Path(db))
    for n, (method, args) in enumerate(plan):
        barrier.wait(timeout=60)  # type: ignore[attr-defined]
        try:
            item = getattr(queue, method)(*args)
            results.put((n, name, "ok", item.version))  # type: ignore[attr-defined]
        except Conflict as exc:
            results.put((n, name, "conflict", str(exc)))  # type: ignore[attr-defined]
        except Exception as exc:
            results.put((n, name, "error", repr(exc)))  # type: ignore[attr-defined]


def seed_account(home: Path, account_id: str = "acme") -> None:
    """Put a minimal account plan into ``home``'s store (no ingest, no embeddings), so the
    product's guardrails, which check a draft against its account's records, can run."""
    from datetime import date

    from copilot.records.models import Account, AccountPlan, Contract, SlaPolicy, SlaTarget
    from copilot.records.store import Store

    targets = {p: SlaTarget(first_response_minutes=m, update_cadence_minutes=m)
               for p, m in (("P1", 30), ("P2", 60), ("P3", 240), ("P4", 480))}
    plan = AccountPlan(account=Account(id=account_id, name=account_id.title() + " Corp"),
                       contract=Contract(arr=100000, tier="enterprise", start_date=date(2025, 1, 1),
                                         renewal_date=date(2027, 1, 1)),
                       sla=SlaPolicy(**targets))
    store = Store(home / "records.sqlite3")
    try:
        with store.transaction():
            store.put_plan(plan, "seed")
    finally:
        store.close()
