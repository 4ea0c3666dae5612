"""Version, region and component of the named record: ``ZD-101 (P2, open) on 5.3.0 in eu-central-1``,
``Region: eu-central-1`` under ``## Environment``, ``the billing-api component``.

Where a sentence speaks of a record's environment (the words right after its id, a line of the
brief's Environment section, a ``Version:``/``Region:``/``Component:`` line), a version or region
must be one that record states (its field or its own text; for an incident, also its related
tickets'), and a component must be the record's. A value true of another record is not grounding.
A record that states no value of that kind is not judged. Data first, then one recognizer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from copilot.guardrails.claims.claim import Claim, RecordView

__all__ = ["ENV_LINE", "KINDS", "OTHER_THAN", "Known", "component_mentions", "environment_claims"]

KINDS: dict[str, tuple[str, str]] = {"version": ("product_version", "version"), "region": ("region", "region"),
                                     "component": ("component", "component")}
"""Atom kind -> (the ticket field, the word for the message)."""

ENV_LINE = re.compile(
    r"^[ \t>*-]*(?:\*\*)?(?:product\s+)?(?:version|release|region|regions|affected\s+regions?|component|components|"
    r"environment|deployment)(?:\*\*)?\s*:", re.IGNORECASE | re.MULTILINE)
"""A line that states the environment of the record it names (or of the draft's subject)."""
OTHER_THAN = re.compile(
    r"(?:\b(?:not|no|unaffected|except|unlike|other\s+than|outside|besides|than|before|after|until|since|"
    r"fixed\s+in|fix\s+in|released\s+(?:in|as)|upgrad\w*|downgrad\w*|migrat\w*|mov\w*)\b[^.;,\n]{0,12})$",
    re.IGNORECASE)
"""Words before a value that make it something other than the record's current environment
("unlike eu-central-1", "upgrade to 5.3.0", "fixed in 5.3.1")."""
COMPONENT = re.compile(r"\bcomponents?\s*[:=]?\s*`?(?P<a>[a-z][\w.-]*[\w])|`?(?P<b>[a-z][\w.-]*[\w])`?\s+component\b",
                       re.IGNORECASE)


@dataclass
class Known:
    """What one record states about its environment."""

    grounds: Callable[[Any], bool]
    """Whether the record (its fields, own text, related tickets) states a version/region atom."""
    values: dict[str, set[str]] = field(default_factory=dict)
    """Atom kind -> the values the record states (empty: the record does not say)."""
    owner_of: Callable[[str, str], str | None] = lambda kind, value: None
    """Another record whose field is ``value`` (for the message)."""


def component_mentions(text: str, lo: int, hi: int, components: frozenset[str]) -> list[tuple[int, int, str]]:
    """``(start, end, name)`` of each known component named as such between ``lo`` and ``hi``."""
    out = []
    for match in COMPONENT.finditer(text, lo, hi):
        group = "a" if match.group("a") else "b"
        if match.group(group).lower() in components:
            out.append((match.start(group), match.end(group), match.group(group).lower()))
    return out


def environment_claims(
    view: RecordView, text: str, atoms: Iterable[Any], components: Iterable[tuple[int, int, str]], known: Known,
) -> list[Claim]:
    """Claims of the version/region ``atoms`` and the named ``components`` about ``view``."""
    out = []
    for atom in atoms:
        if OTHER_THAN.search(text, max(0, atom.start - 30), atom.start):
            continue
        if atom.kind in ("version", "region") and known.values.get(atom.kind):
            out.append(_claim(view, text, (atom.start, atom.end), atom.kind, str(atom.value), known.grounds(atom), known))
    for start, end, name in components:
        if known.values.get("component"):
            out.append(_claim(view, text, (start, end), "component", name, name in known.values["component"], known))
    return out


def _claim(view: RecordView, text: str, span: tuple[int, int], kind: str, value: str, ok: bool, known: Known) -> Claim:
    ticket_field, word = KINDS[kind]
    recorded = str(view.field(ticket_field) or "") or ", ".join(sorted(known.values[kind]))
    message = ""
    if not ok:
        owner = known.owner_of(kind, value)
        whose = f" ({value} is {owner}'s {word})" if owner and owner != view.id else ""
        message = (f"'{text[span[0]:span[1]]}' is not {view.id}'s {word}: per the {view.kind} record it is "
                   f"{recorded}{whose}. A {word} found elsewhere in the account does not ground a claim about {view.id}.")
    return Claim(view.id, word, text[span[0] : span[1]], span, ok, recorded, message)
