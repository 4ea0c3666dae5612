"""Everything is checked, as what it reads as: the title line, unknown headings, and text written
with look-alike letters, invisible characters or full-width digits. Findings point at the
characters as submitted."""

from __future__ import annotations

import pytest
from guardrail_drafts import BRIEF, UPDATE
from guardrail_helpers import spans
from guardrail_records import ctx_for

from copilot.guardrails.engine import run_context
from copilot.guardrails.text import normalize


@pytest.mark.parametrize(
    "written, reads",
    [
        ("\u0422idewater", "Tidewater"),  # Cyrillic capital Te
        ("tide\u00adwater", "tidewater"),  # soft hyphen
        ("Tide\u200bwa\u200dter", "Tidewater"),  # zero-width space and joiner
        ("\uff19\uff18,\uff17\uff16\uff15", "98,765"),  # full-width digits
        ("\u0410\u0441\u0435", "Ace"),  # all Cyrillic
        ("cafe\u0301", "caf\u00e9"),  # combining accent composed
    ],
)
def test_normalized_text_reads_as_the_plain_letters(written: str, reads: str) -> None:
    text = normalize(f"x {written} y")
    assert text.text == f"x {reads} y"
    assert text.original[slice(*text.to_original((2, 2 + len(reads))))] == written


def test_plain_ascii_is_not_copied() -> None:
    text = normalize("plain text")
    assert not text.changed and text.to_original((0, 5)) == (0, 5)


def _blocking(markdown: str, kind: str = "escalation_brief", subject: str = "ZD-101") -> list:
    ctx = ctx_for(kind, markdown, subject)
    report = run_context(ctx)
    return [f for f in report.findings if f.severity == "block"]


def test_the_title_line_is_checked() -> None:
    md = BRIEF.replace(
        "# Escalation brief: ZD-101 Label API timeouts",
        "# Escalation brief: ZD-101 Label API timeouts since 10:13 UTC — Globex Corporation also affected",
    )
    found = _blocking(md)
    assert spans(md, [f for f in found if f.check == "isolation"]) == ["Globex Corporation"]
    assert spans(md, [f for f in found if f.check == "grounding"]) == ["10:13 UTC"]
    update = UPDATE.replace("# Incident update: Label API timeouts", "# Incident update: Label API timeouts, fix guaranteed")
    found = _blocking(update, "incident_update", "INC-2026-0820")
    assert "guaranteed" in " ".join(spans(update, [f for f in found if f.check == "commitments"]))


def test_text_under_an_unknown_heading_is_checked() -> None:
    md = BRIEF.replace("## Hypotheses", "## Globex Corporation notes\n\nNothing.\n\n## Hypotheses")
    assert "Globex Corporation" in spans(md, [f for f in _blocking(md) if f.check == "isolation"])


def test_a_look_alike_customer_name_is_found_at_its_original_characters() -> None:
    spoofed = "Gl\u043ebex C\u043erporation"  # Cyrillic o twice
    md = BRIEF.replace("Label API timeouts. [", f"Label API timeouts, like {spoofed}. [")
    found = [f for f in _blocking(md) if f.check == "isolation"]
    assert spans(md, found) == [spoofed]
    assert "look-alike" in found[0].message


def test_an_invisible_character_does_not_hide_an_invented_number() -> None:
    md = BRIEF.replace("About 120 users", "About 1\u200b50 users")
    found = [f for f in _blocking(md) if f.check == "grounding"]
    assert spans(md, found) == ["1\u200b50"]


@pytest.mark.parametrize(
    "written",
    [
        "globex corporation",  # lower case
        "globex-corporation",  # slug
        "GlobexCorporation",  # joined
        "globex_corporation",
        "glo\u00adbex",  # soft hyphen
        "Gl\u043ebex",  # one Cyrillic letter
        "GLOBEX",
        "hank scorpio",  # their contact, lower case
        "inc-globex-0901",  # their incident channel
    ],
)
@pytest.mark.parametrize("kind, subject", [("escalation_brief", "ZD-101"), ("incident_update", "INC-2026-0820")])
def test_another_customer_by_any_name_form_is_blocked_in_every_kind(written: str, kind: str, subject: str) -> None:
    base = BRIEF if kind == "escalation_brief" else UPDATE
    anchor = "## Summary\n\n" if kind == "escalation_brief" else "## What we know\n\n"
    md = base.replace(anchor, f"{anchor}- Also seen at {written} this week.\n")
    found = [f for f in _blocking(md, kind, subject) if f.check == "isolation"]
    assert spans(md, found) == [written]
    assert "Globex Corporation" in found[0].message
