"""Person names: every known full name, plus ``Known-first-name Capitalised`` pairs that are not
a known person (a likely wrong or invented name)."""

from __future__ import annotations

from copilot.guardrails.recognizers.people_matcher import PeopleMatcher
from copilot.guardrails.recognizers.scan import Scan

__all__ = ["KIND", "PeopleMatcher", "recognize"]

KIND = "person"


def recognize(scan: Scan) -> None:
    if scan.people is None:
        return
    for a, b, name, _known in sorted(scan.people.find(scan.text), key=lambda t: (t[0], -(t[1] - t[0]))):
        scan.claim(KIND, a, b, name)
