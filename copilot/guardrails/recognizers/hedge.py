"""Hedge words before a value ("about 40 minutes", "nearly 92%") and the range each allows.

This is the documented tolerance (docs/guardrails.md): a hedged value is grounded by a record
value it is a rounding of (``Universe``: to 1, 5, 10, 50… or to 5/10/15/30 minutes, an hour)
that lies inside ``[low × written, high × written]``, widened by the precision written. "about
57%" for a record's 60% is not a rounding of it and is not grounded. Bounds ("over", "more than",
"up to", "under") are compared as the exact value written: a one-sided bound would ground
almost any number.
"""

from __future__ import annotations

import dataclasses
import re

from copilot.guardrails.atom import Atom

__all__ = ["HEDGES", "NUMERIC_KINDS", "apply_hedges"]

HEDGES: dict[str, tuple[float, float]] = {
    "about": (0.9, 1.1), "around": (0.9, 1.1), "roughly": (0.9, 1.1), "approximately": (0.9, 1.1),
    "approx.": (0.9, 1.1), "approx": (0.9, 1.1), "some": (0.9, 1.1), "~": (0.9, 1.1), "≈": (0.9, 1.1),
    "circa": (0.9, 1.1), "close to": (0.9, 1.0), "nearly": (0.9, 1.0), "almost": (0.9, 1.0),
    "just under": (0.9, 1.0), "just over": (1.0, 1.1),
}  # fmt: skip
"""Hedge (lower case) -> ``(low, high)`` factors of the written value a record value may take."""
NUMERIC_KINDS = frozenset({"number", "percent", "money", "duration", "points"})
_BEFORE = re.compile(
    r"(?i)(?<![\w])(?P<h>" + "|".join(re.escape(h) for h in sorted(HEDGES, key=len, reverse=True)) + r")\s?$"
)


def apply_hedges(text: str, atoms: list[Atom]) -> list[Atom]:
    """``atoms`` with ``hedge`` set on the numeric ones written right after a hedge word."""
    out = []
    for atom in atoms:
        if atom.kind in NUMERIC_KINDS:
            match = _BEFORE.search(text, max(0, atom.start - 16), atom.start)
            if match is not None:
                atom = dataclasses.replace(atom, hedge=HEDGES[match.group("h").lower()])
        out.append(atom)
    return out
