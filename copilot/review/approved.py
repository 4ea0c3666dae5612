"""Which subjects have an approved draft of a kind: a read-only look-up that creates nothing.

The KPIs ask it which incidents have an approved PIR. Unlike ``ReviewQueue`` (which creates its
tables, audit key and checkpoint on first use) it only reads, so a home nobody has reviewed in
stays untouched.
"""

from __future__ import annotations

from copilot.records.store import Store

__all__ = ["approved_subjects"]


def approved_subjects(store: Store, kind: str) -> dict[str, str]:
    """``{subject id: review id}`` of approved reviews of ``kind`` (the newest when several)."""
    exists = store.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='reviews'")
    if not exists:
        return {}
    rows = store.execute("SELECT subject_id, id FROM reviews WHERE kind=? AND status='approved' ORDER BY seq",
                         (kind,))
    return {row[0]: row[1] for row in rows}
