"""Fact-atom extraction: exact spans and normalised values."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from copilot.guardrails.atoms import PeopleMatcher, Universe, extract_atoms


def one(text: str, kind: str):
    atoms = [a for a in extract_atoms(text, people=PeopleMatcher.from_names(["Dana Reyes"])) if a.kind == kind]
    assert len(atoms) == 1, atoms
    return atoms[0]


@pytest.mark.parametrize(
    "text, span, value",
    [
        ("at 2026-04-12 14:05 UTC.", "2026-04-12 14:05 UTC", datetime(2026, 4, 12, 14, 5, tzinfo=timezone.utc)),
        ("at 2026-04-12T14:05:33.120Z", "2026-04-12T14:05:33.120Z", datetime(2026, 4, 12, 14, 5, tzinfo=timezone.utc)),
        (
            "on April 12, 2026 at 2:05 PM UTC",
            "April 12, 2026 at 2:05 PM UTC",
            datetime(2026, 4, 12, 14, 5, tzinfo=timezone.utc),
        ),
        ("2026-04-12 16:05+02:00", "2026-04-12 16:05+02:00", datetime(2026, 4, 12, 14, 5, tzinfo=timezone.utc)),
        ("2026-04-12 10:05 EDT ok", "2026-04-12 10:05 EDT", datetime(2026, 4, 12, 14, 5, tzinfo=timezone.utc)),
    ],
)
def test_datetimes_normalise_to_utc_minutes(text: str, span: str, value: datetime) -> None:
    atom = one(text, "datetime")
    assert atom.text == span and text[atom.start : atom.end] == span
    assert atom.value == value


@pytest.mark.parametrize("text, value", [("2:05 PM UTC", (14, 5)), ("14:05Z", (14, 5)), ("16:05 (CEST)", (14, 5))])
def test_times_of_day(text: str, value: tuple[int, int]) -> None:
    assert one(f"seen at {text} today", "time").value == value


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("35%", "percent", 35.0),
        ("35 percent", "percent", 35.0),
        ("92.3%", "percent", 92.3),
        ("$1.2M", "money", 1_200_000.0),
        ("$480,000", "money", 480_000.0),
        ("$480k", "money", 480_000.0),
        ("3h 20m", "duration", 200.0),
        ("200 minutes", "duration", 200.0),
        ("2d 3h 10m", "duration", 3070.0),
        ("1.5 hours", "duration", 90.0),
        ("v5.2.1", "version", "5.2.1"),
        ("release 4.2", "version", "4.2"),
        ("ZD-4123-c9001", "id", "ZD-4123-C9001"),
        ("INC0012345", "id", "INC0012345"),
        ("INC-2026-0412", "id", "INC-2026-0412"),
        ("ACME-88", "id", "ACME-88"),
        ("RB-label-api-504#mitigation", "id", "RB-LABEL-API-504#MITIGATION"),
        ("dana.reyes@acme.example", "email", "dana.reyes@acme.example"),
        ("api.acme.example", "hostname", "api.acme.example"),
        ("https://status.acme.example/x", "url", "https://status.acme.example/x"),
        ("Dana Reyes", "person", "Dana Reyes"),
        ("Dana Rivera", "person", "Dana Rivera"),
        ("eu-west-1", "region", "eu-west-1"),
        ("1,240", "number", 1240.0),
    ],
)
def test_atom_kinds_and_values(text: str, kind: str, value: object) -> None:
    atom = one(f"note: {text} here", kind)
    assert atom.text == text and atom.value == value


def test_numbers_inside_ids_dates_and_markers_are_not_numbers() -> None:
    atoms = extract_atoms("ZD-4123 on 2026-04-12 in eu-west-1 for 24/7 ops, p95 latency")
    assert [a.kind for a in atoms] == ["id", "date", "region"]


def test_universe_grounds_equivalent_spellings() -> None:
    u = Universe().add_text("At 2026-04-12 14:05 UTC, 35 percent of $1,200,000 over 200 minutes.")
    for text in ("2:05 PM UTC", "35%", "$1.2M", "3h 20m", "2026-04-12 16:05 CEST"):
        atoms = [a for a in extract_atoms(text) if a.kind != "year"]
        assert atoms and all(u.grounds(a) for a in atoms), text
    for text in ("2:15 PM UTC", "36%", "$1.3M", "3h 25m"):
        assert not any(u.grounds(a) for a in extract_atoms(text)), text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("step 2: see RB-check_status.gcp-mirror for steps", "RB-check_status.gcp-mirror"),
        ("follow RB-api-gateway-5xx.", "RB-api-gateway-5xx"),
        ("step 3: RB-alerts__publisher.html#mitigation applies", "RB-alerts__publisher.html#mitigation"),
    ],
)
def test_runbook_ids_from_file_names_are_read_whole(text: str, expected: str) -> None:
    ids = [a.text for a in extract_atoms(text) if a.kind == "id"]
    assert ids == [expected]
