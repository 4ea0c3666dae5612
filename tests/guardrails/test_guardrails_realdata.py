"""No false blocks on real public material: PIRs built from every post-mortem of the real-data
development set (``$COPILOT_REALDATA``, default ../shared/realdata beside the checkout) pass every guardrail.

The reports' texts are not in this repository (they belong to their authors); the test skips
when the folder is absent.
"""

from __future__ import annotations

import pytest
from realdata_drafts import postmortems, realdata_case

from copilot.guardrails.context import context_from_records
from copilot.guardrails.engine import run_context

TIMELINES = postmortems()


@pytest.mark.skipif(not TIMELINES, reason="the real-data development set is not on this machine")
@pytest.mark.parametrize("timeline", TIMELINES, ids=lambda p: p.name.removesuffix(".timeline.json"))
def test_pirs_from_real_post_mortems_are_not_blocked(timeline) -> None:
    plan, incident, drafts = realdata_case(timeline)
    for draft in drafts:  # the template PIR, and the same PIR quoting each entry verbatim
        report = run_context(context_from_records(draft, plan, [], [incident]))
        blocking = [(f.check, f.message, draft.markdown[slice(*f.span)] if f.span else "") for f in report.blocking]
        assert blocking == [], blocking


def test_the_real_data_set_is_read_whole() -> None:
    if not TIMELINES:
        pytest.skip("the real-data development set is not on this machine")
    assert len(TIMELINES) >= 14
