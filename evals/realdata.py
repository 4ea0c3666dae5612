"""Real post-mortems as documents: PIR timeline recall of the published UTC times.

Copies every ``*.md`` post-mortem of a folder (each with ``<name>.timeline.json``, the
report's own timeline with ``time_iso_utc`` per entry) into a scratch home under a
folder named after one account, ingests them with the real pipeline, drafts a PIR per
incident with the given backend and compares the UTC minutes written in the draft's
``## Timeline`` with the published ones (a multiset: two entries at 14:33 need two).

Run: ``python -m evals.realdata [POSTMORTEM_DIR] [--home DIR]`` (prints one JSON document).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from copilot.service import Copilot

__all__ = ["DEFAULT_POSTMORTEMS", "PLAN_YAML", "eval_postmortems", "eval_realdata", "pir_substance",
           "published_minutes", "timeline_minutes"]

DEFAULT_POSTMORTEMS = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "postmortems"
ACCOUNT_ID = "realdata"
PLAN_YAML = f"""account:
  id: {ACCOUNT_ID}
  name: Real Data Eval
  region: eu-west-1
contract: {{arr: 100000, currency: USD, tier: enterprise, start_date: 2024-01-01, renewal_date: 2027-01-01}}
sla:
  P1: {{first_response_minutes: 30, update_cadence_minutes: 60}}
  P2: {{first_response_minutes: 120, update_cadence_minutes: 240}}
  P3: {{first_response_minutes: 480, update_cadence_minutes: 1440}}
  P4: {{first_response_minutes: 1440, update_cadence_minutes: 4320}}
"""
_UTC_MINUTE = re.compile(r"\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC\b")
_DURATION_LINE = re.compile(r"^- Time to (?:detect|engage|mitigate|resolve):\s*(?P<value>.*)$", re.MULTILINE)
_NO_CAUSE = "The root cause has not been confirmed yet."


def _section(markdown: str, title: str) -> str:
    match = re.search(rf"^## {title}\s*$(.*?)(?=^## |\Z)", markdown, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


def pir_substance(markdown: str) -> dict[str, Any]:
    """What a PIR draft gives beyond its timeline: how many of the four durations have a value
    (not "not recorded"), and whether its root cause is stated (as fact, or as an
    "Unconfirmed:" line) rather than "not confirmed yet" alone."""
    values = [m.group("value") for m in _DURATION_LINE.finditer(_section(markdown, "Durations"))]
    cause = _section(markdown, "Root cause")
    stated = bool(cause.strip()) and (_NO_CAUSE not in cause or "Unconfirmed:" in cause)
    return {"durations_given": sum(not v.startswith("not recorded") for v in values), "durations": len(values),
            "cause_stated": stated}


def published_minutes(timeline_json: Path) -> list[str]:
    """``YYYY-MM-DD HH:MM`` of every published entry that has a UTC time."""
    entries = json.loads(timeline_json.read_text(encoding="utf-8"))
    return [e["time_iso_utc"][:16].replace("T", " ") for e in entries if e.get("time_iso_utc")]


def timeline_minutes(markdown: str) -> list[str]:
    """``YYYY-MM-DD HH:MM`` of every bullet in a draft's ``## Timeline`` section."""
    body = _section(markdown, "Timeline")
    return [" ".join(m.groups()) for line in body.splitlines() if line.lstrip().startswith("- ")
            if (m := _UTC_MINUTE.search(line))]


def stage(source: Path, root: Path) -> Path:
    """Copy the post-mortems of ``source`` under ``root/<account>/`` next to a plan; returns ``root``."""
    folder = root / ACCOUNT_ID
    folder.mkdir(parents=True, exist_ok=True)
    (root / "plan.yaml").write_text(PLAN_YAML, encoding="utf-8")
    for md in sorted(source.glob("*.md")):
        shutil.copy(md, folder / md.name)
    return root


def eval_postmortems(source: Path = DEFAULT_POSTMORTEMS, home: Path | None = None,
                     backend: str = "template") -> dict[str, Any]:
    """Ingest ``source``'s post-mortems as documents, draft PIRs, measure published-time recall.

    Returns ``{"pir_time_recall", "pir_durations_given", "pir_cause_stated", "published", "matched", "documents", "ingested",
    "guardrails_passed", "quarantined", "per_document": [...]}``.
    """
    work = Path(home or tempfile.mkdtemp(prefix="realdata-"))
    data = stage(source, work / "data")
    copilot = Copilot(work / "home")
    report = copilot.ingest([data])
    by_file = {Path(i.source_file).name: i for i in copilot.incidents(ACCOUNT_ID)}
    rows, published_total, matched_total, passed = [], 0, 0, 0
    for md in sorted(source.glob("*.md")):
        published = published_minutes(md.with_suffix(".timeline.json"))
        incident = by_file.get(md.name)
        if incident is None:
            rows.append({"document": md.name, "published": len(published), "matched": 0, "error": "not ingested"})
            published_total += len(published)
            continue
        draft = copilot.draft("pir", incident.id, backend=backend)
        found = Counter(timeline_minutes(draft.markdown))
        matched = sum((Counter(published) & found).values())
        missing = sorted((Counter(published) - found).elements())
        passed += bool(draft.guardrails.passed)
        substance = pir_substance(draft.markdown)
        published_total += len(published)
        matched_total += matched
        rows.append({"document": md.name, "incident": incident.id, "published": len(published), "matched": matched,
                     "missing": missing, "unresolved_events": sum(not e.time_resolved for e in incident.events),
                     "guardrails_passed": draft.guardrails.passed, **substance,
                     "blocking": [f"{f.check}: {f.message}" for f in draft.guardrails.findings
                                  if f.severity == "block"]})
    drafted = [r for r in rows if "durations" in r]
    return {
        "pir_time_recall": matched_total / published_total if published_total else None,
        "pir_durations_given": (sum(r["durations_given"] for r in drafted) / sum(r["durations"] for r in drafted)
                                if drafted and sum(r["durations"] for r in drafted) else None),
        "pir_cause_stated": sum(r["cause_stated"] for r in drafted) / len(drafted) if drafted else None,
        "published": published_total, "matched": matched_total, "documents": len(rows),
        "ingested": len(by_file), "guardrails_passed": passed,
        "quarantined": [q.model_dump() for q in report.quarantined],
        "per_document": rows,
    }


def eval_realdata(run: Any, source: Path = DEFAULT_POSTMORTEMS) -> None:
    """The ``realdata`` part of the eval runner: metrics ``realdata.pir_time_recall``,
    ``realdata.pir_guardrail_pass_rate``, ``realdata.pir_durations_given`` (share of the PIRs'
    four durations that have a value) and ``realdata.pir_cause_stated`` (share of PIRs stating a
    cause, confirmed or marked unconfirmed); per-document rows in ``details["realdata.postmortems"]``."""
    if not source.is_dir():
        run.notes.append(f"realdata: {source} is not on this machine; nothing measured")
        return
    backend = run.backend if isinstance(run.backend, str) else "template"
    with tempfile.TemporaryDirectory(prefix="realdata-") as scratch:
        result = eval_postmortems(source, Path(scratch), backend=backend)
    run.metrics["realdata.pir_time_recall"] = result["pir_time_recall"]
    run.metrics["realdata.pir_guardrail_pass_rate"] = result["guardrails_passed"] / max(result["documents"], 1)
    run.metrics["realdata.pir_durations_given"] = result["pir_durations_given"]
    run.metrics["realdata.pir_cause_stated"] = result["pir_cause_stated"]
    run.details["realdata.postmortems"] = result["per_document"]


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv and not argv[0].startswith("--") else DEFAULT_POSTMORTEMS
    home = Path(argv[argv.index("--home") + 1]) if "--home" in argv else None
    result = eval_postmortems(source, home)
    print(json.dumps(result, indent=2, default=str))
    return 0 if (result["pir_time_recall"] or 0) >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
