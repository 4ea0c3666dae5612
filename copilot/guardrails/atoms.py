"""Fact atoms: the public names of the atom pieces, importable from one place.

The pieces live in small modules: :mod:`copilot.guardrails.atom` (what an atom is),
:mod:`copilot.guardrails.recognizers` (one recognizer per kind of value),
:mod:`copilot.guardrails.extraction` (``extract_atoms``) and :mod:`copilot.guardrails.universe`
(what grounds an atom).
"""

from __future__ import annotations

from copilot.guardrails.atom import ATOM_KINDS, Atom
from copilot.guardrails.extraction import extract_atoms
from copilot.guardrails.recognizers.instant import parse_datetime_value
from copilot.guardrails.recognizers.person import PeopleMatcher
from copilot.guardrails.recognizers.record_id import normalize_id
from copilot.guardrails.universe import AtomMemo, Universe

__all__ = [
    "ATOM_KINDS",
    "Atom",
    "AtomMemo",
    "PeopleMatcher",
    "Universe",
    "atoms_of",
    "extract_atoms",
    "normalize_id",
    "parse_datetime_value",
]


def atoms_of(text: str) -> tuple[Atom, ...]:
    """``extract_atoms(text)`` without people, as a tuple (memoise with an ``AtomMemo``)."""
    return tuple(extract_atoms(text))
