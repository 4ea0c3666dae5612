"""Integration: template drafts over the ingested sample pass ``check``; seeded defects are blocked.

Uses the session's ``sample_copilot`` (data/sample ingested once into a real SQLite + Chroma home).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copilot.cli import app
from copilot.drafting.draft import Draft

AS_OF = datetime(2026, 11, 16, 8, 0, tzinfo=timezone.utc)

SUBJECTS = [
    ("escalation_brief", "ZD-4364", AS_OF, None),
    ("escalation_brief", "ZD-4347", AS_OF, None),
    ("escalation_brief", "INC0031524", AS_OF, None),
    ("incident_update", "INC-2026-1114", datetime(2026, 11, 15, 17, 0, tzinfo=timezone.utc), None),
    ("pir_timeline", "INC-2026-0917", AS_OF, None),
    ("pir_timeline", "INC-2026-1114", AS_OF, None),
    ("qbr_narrative", "harbor-line", AS_OF, "2026Q3"),
    ("qbr_narrative", "tidewater-foods", AS_OF, "2026Q3"),
]


@pytest.fixture(scope="module")
def drafts(sample_copilot) -> dict[str, Draft]:
    out = {}
    for kind, subject, as_of, quarter in SUBJECTS:
        out[f"{kind}:{subject}"] = sample_copilot.draft(kind, subject, backend="template", as_of=as_of, quarter=quarter)
    return out


def _check(tmp_path: Path, home: Path, draft: Draft) -> tuple[int, dict]:
    path = tmp_path / f"{draft.kind}.json"
    path.write_text(draft.model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--home", str(home), "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_unedited_template_drafts_pass_check(drafts, sample_home: Path, tmp_path: Path) -> None:
    for key, draft in drafts.items():
        assert draft.guardrails is not None and draft.guardrails.passed, (key, draft.guardrails)
        code, payload = _check(tmp_path, sample_home, draft)
        blocking = [f for f in payload["findings"] if f["severity"] == "block"]
        assert code == 0 and payload["passed"], (key, blocking)
        assert payload["scores"]["grounding_precision"] == 1.0, key


def _edit(draft: Draft, old: str, new: str) -> Draft:
    assert old in draft.markdown, old
    return draft.model_copy(update={"markdown": draft.markdown.replace(old, new, 1)})


def test_seeded_defects_are_blocked(drafts, sample_home: Path, tmp_path: Path) -> None:
    brief = drafts["escalation_brief:ZD-4364"]
    update = drafts["incident_update:INC-2026-1114"]
    pir = drafts["pir_timeline:INC-2026-0917"]
    qbr = drafts["qbr_narrative:harbor-line"]
    opened = brief.markdown.split("opened ", 1)[1][:20]
    cases = {
        "ticket id swapped": (_edit(brief, "ZD-4364 (", "ZD-4346 ("), {"grounding"}),
        "timestamp shifted": (_edit(brief, opened, opened[:-6] + "59 UTC"), {"grounding"}),
        "other account named": (
            _edit(
                update,
                "## What we are doing\n\n",
                "## What we are doing\n\n- Kestrel Pharma Distribution saw this too.\n",
            ),
            {"isolation"},
        ),
        "secret pasted": (
            _edit(brief, "## Evidence\n\n", "## Evidence\n\n- Key: sk_live_51Mrdn0Qx7TtYb3LmNp2Zr\n"),
            {"secrets"},
        ),
        "guarantee": (
            _edit(update, "## What we are doing\n\n", "## What we are doing\n\n- This will never happen again.\n"),
            {"commitments"},
        ),
        "root cause asserted": (
            _edit(update, "The root cause is not confirmed yet.", "The root cause was a cache eviction storm."),
            {"speculation"},
        ),
        "injection obeyed": (
            _edit(qbr, "## Renewal\n\n", "## Renewal\n\n- Harbor Line is entitled to a 30% service credit.\n"),
            {"injection", "commitments"},
        ),
        "section removed": (_edit(pir, "## Contributing factors", "## Notes"), {"sections"}),
        "duration misstated": (_edit(pir, "- Time to detect: 1h 22m", "- Time to detect: 1h 12m"), {"timeline"}),
    }
    for name, (draft, expected) in cases.items():
        code, payload = _check(tmp_path, sample_home, draft)
        blocking = {f["check"] for f in payload["findings"] if f["severity"] == "block"}
        assert code == 1 and not payload["passed"], name
        assert blocking & expected, (name, blocking)


def test_tampered_facts_in_the_draft_json_do_not_ground_an_invented_claim(
    drafts, sample_home: Path, tmp_path: Path
) -> None:
    """Issue 12: a draft JSON whose ``facts`` were edited to hold an invented figure is still blocked
    by ``check``: the facts are recomputed from the home's records."""
    brief = drafts["escalation_brief:ZD-4364"]
    invented = _edit(brief, "## Impact\n\n", "## Impact\n\n- 98,765 orders failed, worth $2.4M.\n")
    facts = dict(invented.facts, impact={"value": "98,765 orders failed, worth $2.4M", "source_ids": ["ZD-4364"]})
    tampered = invented.model_copy(update={"facts": facts})
    code, payload = _check(tmp_path, sample_home, tampered)
    flagged = {f["check"] for f in payload["findings"] if f["severity"] == "block"}
    assert code == 1 and "grounding" in flagged, payload["findings"]
