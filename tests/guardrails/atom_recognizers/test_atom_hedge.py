"""Hedge words: the documented range each gives the value written after it (exact spans)."""

from __future__ import annotations

import pytest

from copilot.guardrails.atoms import Universe, extract_atoms

CASES = [
    ("about 40 minutes", "duration", (0.9, 1.1)),
    ("nearly 92%", "percent", (0.9, 1.0)),
    ("more than 3 hours", "duration", None),  # a bound is compared as written
    ("roughly twelve tickets", "number", (0.9, 1.1)),
    ("40 minutes", "duration", None),
]


@pytest.mark.parametrize("text, kind, hedge", CASES)
def test_hedge_range(text: str, kind: str, hedge: tuple[float, float] | None) -> None:
    atoms = [a for a in extract_atoms(text) if a.kind == kind]
    assert len(atoms) == 1 and atoms[0].hedge == hedge


@pytest.mark.parametrize(
    "text, grounded",
    [
        ("about 40 minutes", True),  # 43 rounds to 40 and is within 10%
        ("about 42 minutes", False),  # 42 is no rounding of 43
        ("about 30 minutes", False),
        ("nearly 45 minutes", True),
        ("nearly 40 minutes", False),  # nearly 40 is below 40, the record says 43
        ("over 40 minutes", False),
        ("43 minutes", True),
        ("40 minutes", False),
    ],
)
def test_hedged_durations_against_a_record_value(text: str, grounded: bool) -> None:
    universe = Universe()
    universe.durations.add(43.0)
    atom = next(a for a in extract_atoms(text) if a.kind == "duration")
    assert universe.grounds(atom) is grounded
