"""The clean drafts of the guardrail benchmark: template drafts over the sample and hand-written ones.

Template drafts are produced by ``Copilot.draft`` (the template backend) for a fixed list of
subjects and ``as_of`` times, so a run is reproducible. Hand-written drafts are Markdown files in
``handwritten/`` with a small front matter (``kind``, ``account``, ``subject``, optional
``as_of``): written the way a TAM writes, using only facts from the sample's records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from copilot.drafting.draft import Draft

if TYPE_CHECKING:
    from copilot.service import Copilot

__all__ = ["HANDWRITTEN_DIR", "SAMPLE_NOW", "Case", "handwritten_cases", "template_cases", "template_subjects"]

HANDWRITTEN_DIR = Path(__file__).parent / "handwritten"
SAMPLE_NOW = datetime(2026, 11, 16, 8, 0, tzinfo=timezone.utc)
"""The sample's notional 'now' (data/sample/README.md): drafts are written as of then."""
QUARTERS = ("2026Q2", "2026Q3")
SOLVED_BRIEFS_PER_ACCOUNT = 2


@dataclass
class Case:
    """One labelled draft: ``label`` is ``clean`` or a mutation class."""

    id: str
    origin: str  # template | handwritten
    label: str
    draft: Draft
    expected_checks: frozenset[str] = frozenset()  # for mutations: checks that should block it
    note: str = ""
    span: tuple[int, int] | None = None  # where the mutation is (in the mutated markdown)
    meta: dict[str, Any] = field(default_factory=dict)


def template_subjects(copilot: "Copilot") -> list[tuple[str, str, datetime, str | None]]:
    """``(kind, subject id, as_of, quarter)`` for every template draft of the benchmark.

    Briefs: every open P1/P2 ticket plus the latest solved P1/P2 tickets per account; incident
    updates at detection, engagement, mitigation and resolution of each incident (a few minutes
    after each); a PIR per incident; a QBR per account for 2026Q2 and 2026Q3.
    """
    store = copilot.store
    out: list[tuple[str, str, datetime, str | None]] = []
    tickets = store.tickets()
    for t in tickets:
        if t.priority in ("P1", "P2") and t.is_open:
            out.append(("escalation_brief", t.id, SAMPLE_NOW, None))
    by_account: dict[str, list] = {}
    for t in tickets:
        if t.priority in ("P1", "P2") and not t.is_open:
            by_account.setdefault(t.account_id, []).append(t)
    for account in sorted(by_account):
        latest = sorted(by_account[account], key=lambda t: (t.created_at, t.id))[-SOLVED_BRIEFS_PER_ACCOUNT:]
        out += [("escalation_brief", t.id, SAMPLE_NOW, None) for t in latest]
    for incident in store.incidents():
        moments = [incident.detected_at, incident.engaged_at, incident.mitigated_at, incident.resolved_at]
        for at in [m for m in moments if m is not None]:
            as_of = min(at + timedelta(minutes=12), SAMPLE_NOW)
            out.append(("incident_update", incident.id, as_of, None))
        out.append(("pir_timeline", incident.id, SAMPLE_NOW, None))
    for plan in store.plans():
        out += [("qbr_narrative", plan.account.id, SAMPLE_NOW, q) for q in QUARTERS]
    return out


def template_cases(copilot: "Copilot") -> list[Case]:
    """Clean template drafts (drafted without guardrails: the benchmark checks them itself)."""
    from copilot.drafting.pipeline import make_draft

    out = []
    for kind, subject, as_of, quarter in template_subjects(copilot):
        draft = make_draft(copilot, kind, subject, backend="template", as_of=as_of, quarter=quarter)
        stamp = as_of.strftime("%m%dT%H%M") if kind == "incident_update" else (quarter or "")
        out.append(
            Case(
                id=f"template:{kind}:{subject}{':' + stamp if stamp else ''}",
                origin="template",
                label="clean",
                draft=draft,
            )
        )
    return out


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---\n"):
        raise ValueError("a hand-written draft starts with a --- front matter block")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head) or {}, body.lstrip("\n")


def handwritten_cases(directory: Path = HANDWRITTEN_DIR) -> list[Case]:
    """The hand-written clean drafts (``*.md`` with front matter) as cases."""
    out = []
    for path in sorted(directory.glob("*.md")):
        meta, body = _front_matter(path.read_text(encoding="utf-8"))
        facts: dict[str, Any] = {}
        if meta.get("as_of"):
            as_of = meta["as_of"]
            facts["as_of"] = as_of.isoformat() if isinstance(as_of, datetime) else str(as_of)
        if meta.get("quarter"):
            facts["quarter"] = str(meta["quarter"])
        draft = Draft(
            kind=meta["kind"],
            account_id=meta["account"],
            subject_id=str(meta["subject"]),
            markdown=body,
            facts=facts,
            backend="hand-written",
        ).finalize()
        out.append(
            Case(
                id=f"handwritten:{path.stem}",
                origin="handwritten",
                label="clean",
                draft=draft,
                meta={"file": str(path)},
            )
        )
    return out
