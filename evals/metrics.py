"""Pure metric functions. No I/O, no copilot imports: each is checked against hand-computed values.

Retrieval metrics use binary relevance. A ranking may name the same source twice (two chunks of
one ticket); only its first occurrence counts, so a system cannot score twice for one relevant
source, and later positions move up (:func:`dedupe`). The ideal DCG at ``k`` puts
``min(|relevant|, k)`` relevant items at the top. Mapping a ranked passage onto the id it is
relevant as (a comment onto its ticket, a runbook section onto its runbook) is the caller's job.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

__all__ = [
    "dcg",
    "dedupe",
    "fact_present",
    "fact_recall",
    "first_relevant_rank",
    "hit_at_k",
    "ideal_dcg",
    "mean",
    "ndcg_at_k",
    "percentile",
    "reciprocal_rank",
]

def dedupe(ranked: Iterable[str]) -> list[str]:
    """``ranked`` with repeats removed, first occurrence kept, order kept."""
    return list(dict.fromkeys(ranked))


def _gains(ranked: Sequence[str], relevant: Iterable[str], k: int | None) -> list[int]:
    """Binary gain per position of the deduplicated ranking (cut at ``k``)."""
    wanted = set(relevant)
    gains = [1 if item in wanted else 0 for item in dedupe(ranked)]
    return gains if k is None else gains[:k]


def first_relevant_rank(ranked: Sequence[str], relevant: Iterable[str]) -> int | None:
    """1-based rank of the first relevant item (after dedupe), or None."""
    for rank, gain in enumerate(_gains(ranked, relevant, None), 1):
        if gain:
            return rank
    return None


def hit_at_k(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """1.0 when a relevant item is among the first ``k`` (after dedupe), else 0.0."""
    rank = first_relevant_rank(ranked, relevant)
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: Iterable[str], k: int | None = None) -> float:
    """``1 / rank`` of the first relevant item (0 when none, or none within ``k``)."""
    rank = first_relevant_rank(ranked, relevant)
    if rank is None or (k is not None and rank > k):
        return 0.0
    return 1.0 / rank


def dcg(gains: Sequence[float]) -> float:
    """``sum gain_i / log2(i + 1)`` over positions ``i`` from 1."""
    return sum(g / math.log2(i + 1) for i, g in enumerate(gains, 1))


def ideal_dcg(n_relevant: int, k: int) -> float:
    """DCG of the ideal ranking: ``min(n_relevant, k)`` relevant items first."""
    return dcg([1.0] * min(n_relevant, k))


def ndcg_at_k(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """Normalised DCG at ``k`` with binary relevance; 0.0 when nothing is relevant."""
    relevant = list(dict.fromkeys(relevant))
    ideal = ideal_dcg(len(relevant), k)
    if ideal == 0:
        return 0.0
    return dcg(_gains(ranked, relevant, k)) / ideal


def mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def percentile(values: Iterable[float], p: float) -> float:
    """The ``p``-th percentile (0–100) with linear interpolation between closest ranks.

    Same as ``numpy.percentile(values, p)`` (method "linear"); 0.0 for no values.
    """
    data = sorted(values)
    if not data:
        return 0.0
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is outside 0..100")
    pos = (len(data) - 1) * p / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def _normal(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


def fact_present(text: str, fact: str) -> bool:
    """Whether ``fact`` is stated in ``text``: case- and whitespace-insensitive; an id-like or
    numeric fact must stand alone (``ZD-41`` is not found in ``ZD-4123``, ``99`` not in ``99.5``,
    ``2.1`` not in ``5.2.1``)."""
    haystack, needle = _normal(text), _normal(fact)
    if not needle:
        return True
    # an id or number must not continue a longer one: "ZD-41" is not in "ZD-4123", "2.1" not in
    # "5.2.1"; a name may follow a dot ("max_conns" is in "carrier.http.max_conns")
    left = (r"(?<![\w-])" + (r"(?<!\d\.)" if needle[0].isdigit() else "")) if re.match(r"\w", needle) else ""
    right = r"(?![\w-]|\.\d)" if re.search(r"[\w]$", needle) else ""
    return re.search(left + re.escape(needle) + right, haystack) is not None


def fact_recall(text: str, facts: Sequence[str]) -> tuple[float, list[str]]:
    """``(share of facts present, the missing ones)``; 1.0 for no facts."""
    missing = [f for f in facts if not fact_present(text, f)]
    return (1.0 if not facts else (len(facts) - len(missing)) / len(facts)), missing
