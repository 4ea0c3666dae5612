"""The ``values`` check: weekday and quarter labels, instants without a year and relative durations
are compared with the records (INC-2026-0412: started 08:52, detected 09:05, engaged 09:20,
mitigated 11:10, resolved 13:45 UTC on Sunday 2026-04-12), and each finding says what the record
says instead."""

from __future__ import annotations

import pytest
from guardrail_helpers import spans

INC = "INC-2026-0412"
SRC = f" [source: {INC}]"


def run(check_one, line: str) -> tuple[str, list]:
    return check_one("values", "pir_timeline", f"# PIR: {INC}\n\n## Summary\n\n{line}\n", subject_id=INC)


@pytest.mark.parametrize(
    "line, flagged, says",
    [
        (f"- Impact began Monday 2026-04-12 08:52 UTC.{SRC}", "Monday", "is a Sunday"),
        (f"- Impact began Sunday 2026-04-12 08:52 UTC.{SRC}", None, ""),
        (f"- The outage on 2026-04-12 (Tuesday) hit labels.{SRC}", "Tuesday", "is a Sunday"),
        (f"- Impact began Mon, Apr 12 at 08:52 UTC.{SRC}", "Mon", "is a Sunday"),
        (f"- Impact began 2026-04-12 08:52 UTC (Q3).{SRC}", "Q3", "Q2 2026"),
        (f"- In Q2, on 2026-04-12, labels failed.{SRC}", None, ""),
        (f"- The 2026 Q2 outage on 2026-04-12 hit labels.{SRC}", None, ""),
        ("- We met for the Q3 QBR on 2026-10-14.", None, ""),
    ],
)
def test_weekday_and_quarter_labels(check_one, line: str, flagged: str | None, says: str) -> None:
    md, findings = run(check_one, line)
    assert spans(md, findings) == ([flagged] if flagged else [])
    assert all(says in f.message for f in findings)


@pytest.mark.parametrize(
    "line, flagged, says",
    [
        (f"- {INC} was mitigated two hours after detection.", None, ""),
        (f"- {INC} was mitigated three hours after detection.", "three hours after detection", "2h 05m after detection"),
        (f"- {INC} was resolved 4h 53m after the start of impact.", None, ""),
        (f"- {INC} was resolved 3h 20m after the start of impact.", "3h 20m after the start of impact", "4h 53m"),
        (f"- {INC} was mitigated about 2 hours after detection.", None, ""),
        (f"- Engineering was engaged 15 minutes after detection.{SRC}", None, ""),
        (f"- Engineering was engaged 45 minutes after detection.{SRC}", "45 minutes after detection", "engaged at 09:20"),
        (f"- {INC} was detected 13 minutes after the incident started.", None, ""),
        (f"- We posted in the channel 85 minutes after detection.{SRC}", None, ""),  # an event of the record
        (f"- We posted in the channel 70 minutes after detection.{SRC}", "70 minutes after detection", "engaged"),
        (f"- {INC} was detected within 10 minutes of the start of impact.", "10 minutes of the start of impact", "13m"),
    ],
)
def test_relative_durations_are_recomputed_from_the_record(check_one, line: str, flagged: str | None, says: str) -> None:
    md, findings = run(check_one, line)
    assert spans(md, findings) == ([flagged] if flagged else [])
    assert all(says in f.message for f in findings)


def test_a_day_and_a_time_from_different_events_are_not_one_instant(check_one) -> None:
    line = f"- Detected Apr 12, 09:05 UTC; the Aug 20 alert fired Aug 20, 09:05 UTC. [source: {INC}, INC-2026-0820]"
    md, findings = run(check_one, line)
    assert spans(md, findings) == ["Aug 20, 09:05 UTC"]
    assert "09:40" in findings[0].evidence and "09:55" in findings[0].evidence


@pytest.mark.parametrize(
    "line, flagged, evidence",
    [
        ("- The renewal covers $480,000 in ARR.", None, ""),
        ("- The renewal covers USD 480k in ARR.", None, ""),
        ("- The renewal covers €480,000 in ARR.", "€480,000", "in USD, not EUR"),
        ("- The renewal covers 480,000 GBP in ARR.", "480,000 GBP", "in USD, not GBP"),
    ],
)
def test_the_right_amount_in_the_wrong_currency_is_not_grounded(check_one, line, flagged, evidence) -> None:
    md, findings = check_one("grounding", "escalation_brief", f"# Brief\n\n## Summary\n\n{line}\n")
    assert spans(md, findings) == ([flagged] if flagged else [])
    assert all(evidence in f.evidence for f in findings)


@pytest.mark.parametrize(
    "line, flagged",
    [
        (f"- {INC} was detected thirteen minutes after impact began.", None),
        (f"- About 120 users see timeouts on {INC}.", None),
        (f"- Roughly 130 users see timeouts on {INC}.", "130"),  # 130 is no rounding of 120
        (f"- Impact lasted roughly 4h 50m on {INC}.", None),  # 4h 53m rounded to ten minutes
        (f"- Impact lasted 4h 50m on {INC}.", "4h 50m"),
        (f"- Nearly 2.5k users see timeouts on {INC}.", "2.5k"),
        (f"- Seventeen tickets were reopened after {INC}.", "Seventeen"),
    ],
)
def test_values_in_words_suffixes_and_hedges_are_grounded(check_one, line: str, flagged: str | None) -> None:
    md, findings = check_one("grounding", "pir_timeline", f"# PIR\n\n## Summary\n\n{line}\n", subject_id=INC)
    assert spans(md, findings) == ([flagged] if flagged else [])
