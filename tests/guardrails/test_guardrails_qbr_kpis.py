"""A QBR that quotes a KPI: the guardrail recomputes it from the records, like the metrics.

Hand check on the fixture: INC-2026-0412 (P1) impact 08:52, engaged 09:20, mitigated 11:10 UTC,
so time to engage 28m and mean time to mitigation (P1) 2h 18m for 2026Q2.
"""

from __future__ import annotations

from guardrail_helpers import spans
from guardrail_records import acme_incidents, acme_plan, acme_tickets

from copilot.facts.metrics import compute_quarter_metrics

FACTS = {"quarter": "2026Q2"}


def qbr_markdown(extra: str) -> str:
    metrics = compute_quarter_metrics(acme_plan(), acme_tickets(), acme_incidents(), "2026Q2")
    lines = "\n".join(f"- {line.label}: {line.text}" for line in metrics.lines)
    return f"""# Quarterly business review: Acme Logistics, 2026Q2

## Value delivered

- Label API p95 latency cut from 900 ms to 280 ms, achieved 2026-08-14. [source: plan:acme#value]

## Service performance

{lines}
{extra}

## Top issues

- INC-2026-0412 (P1, resolved): Label API outage. [source: INC-2026-0412]
"""


def test_quoted_kpis_that_match_the_records_pass(check_one) -> None:
    md = qbr_markdown("- Time to engage: 28m (1 measured)\n- Mean time to mitigation (P1): 2h 18m (1 measured)")
    _, findings = check_one("qbr", "qbr_narrative", md, "acme:2026Q2", FACTS)
    assert [f for f in findings if f.severity == "block"] == []


def test_a_changed_kpi_blocks_with_the_recomputed_value(check_one) -> None:
    md = qbr_markdown("- Time to engage: 18m (1 measured)")
    md, findings = check_one("qbr", "qbr_narrative", md, "acme:2026Q2", FACTS)
    assert spans(md, findings, "block") == ["18m (1 measured)"]
    assert "'28m (1 measured)'" in findings[0].message


def test_a_figure_for_a_kpi_the_records_cannot_give_blocks(check_one) -> None:
    md = qbr_markdown("- MTTR (P1/P2): 3h 10m (2 measured)")
    md, findings = check_one("qbr", "qbr_narrative", md, "acme:2026Q2", FACTS)
    assert spans(md, findings, "block") == ["3h 10m (2 measured)"]
    assert "no data: no P1/P2 ticket created in 2026Q2" in findings[0].message


def test_the_kpi_is_recomputed_as_of_the_drafts_time(check_one) -> None:
    md = qbr_markdown("- Time to engage: 28m (1 measured)")  # engagement at 09:20 had not happened at 09:00
    md, findings = check_one("qbr", "qbr_narrative", md, "acme:2026Q2",
                             {**FACTS, "as_of": "2026-04-12T09:00:00+00:00"})
    assert spans(md, findings, "block") == ["28m (1 measured)"]
