"""Helpers for the per-recognizer tests: expected atoms written as the exact substring and value."""

from __future__ import annotations

from typing import Any

from copilot.guardrails.atoms import PeopleMatcher, extract_atoms

__all__ = ["check_atoms"]

PEOPLE = PeopleMatcher.from_names(["Dana Reyes", "Priya Nair"])


def check_atoms(text: str, kinds: set[str], expected: list[tuple[str, str, Any]], **options: Any) -> None:
    """The atoms of ``kinds`` in ``text`` are exactly ``[(kind, substring, value)]`` (first occurrences)."""
    found = [(a.kind, a.start, a.end, a.value) for a in extract_atoms(text, people=PEOPLE, **options) if a.kind in kinds]
    want = []
    for kind, sub, value in expected:
        start = text.index(sub)
        want.append((kind, start, start + len(sub), value))
    assert found == sorted(want, key=lambda w: w[1]), f"{text!r}: {found}"
