"""The quarantine of one run, summarised: counts by kind of reason and the first rows.

A run over a large broken export can refuse hundreds of thousands of rows; a person needs
the kinds of problem and a few examples, and a file with the full list.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from copilot.records.models import QuarantineEntry

__all__ = ["reason_kind", "reason_counts"]

_VALUE = re.compile(r"'[^']*'|\"[^\"]*\"|\b\d[\d:.\-T+Z]*\b|\(got [^)]*\)")


@lru_cache(maxsize=4096)
def reason_kind(reason: str) -> str:
    """A reason with its row-specific values (quoted text, numbers, times) masked as ``…``."""
    return re.sub(r"\s+", " ", _VALUE.sub("…", reason)).strip()


def reason_counts(entries: Iterable[QuarantineEntry], top: int = 50) -> dict[str, int]:
    """``{reason kind: rows}``, most frequent first; past ``top`` kinds, one ``(other reasons)``."""
    ranked = Counter(reason_kind(e.reason) for e in entries).most_common()
    counts = dict(ranked[:top])
    if len(ranked) > top:
        counts["(other reasons)"] = sum(n for _, n in ranked[top:])
    return counts
