"""No false blocks on realistic threads: the template brief of every thread in
``evals/datasets/threads`` (written in the style of public issue trackers: customers say "because",
"due to", quote stack traces, engineers give ETAs) passes every guardrail unedited
(``realdata.threads.guardrail_pass_rate`` in ``eval --suite realdata``).

Fast: the threads are parsed, not indexed; the records go to the checks directly.
"""

from __future__ import annotations

import pytest

from evals.threads import brief_blocks, load_threads

PLAN, TICKETS, _LABELS = load_threads()


@pytest.mark.parametrize("ticket", TICKETS, ids=lambda t: t.id)
def test_thread_briefs_are_not_blocked(ticket) -> None:
    assert brief_blocks(PLAN, ticket, TICKETS) == []


def test_the_thread_set_is_read_whole() -> None:
    assert len(TICKETS) >= 10
