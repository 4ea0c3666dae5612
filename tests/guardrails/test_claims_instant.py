"""Claim kind `instant`: opened/started/detected/engaged/mitigated/resolved instants of the named
record, as exact spans. INC-2026-0412: detected 09:05, mitigated 11:10, resolved 13:45 UTC on
2026-04-12; INC-2026-0820 (another incident): detected 2026-08-20 09:55; ZD-101 opened
2026-08-20 10:00."""

from __future__ import annotations

import pytest
from claim_cases import blocked, messages

INC = "INC-2026-0412"
CASES = [
    ("Detection: 2026-04-12 09:15 UTC.", INC, ["2026-04-12 09:15 UTC"]),
    ("Resolution at 2026-04-12 14:45 UTC.", INC, ["2026-04-12 14:45 UTC"]),
    ("Mitigation was at 11:40 UTC.", INC, ["11:40 UTC"]),
    ("INC-2026-0412 was resolved on 2026-04-13.", INC, ["2026-04-13"]),
    ("INC-2026-0412 was detected by the latency alert at 2026-04-12 09:25 UTC.", INC, ["2026-04-12 09:25 UTC"]),
    ("The impact was mitigated by 2026-04-12 11:00 UTC.", INC, ["2026-04-12 11:00 UTC"]),  # by = no later than
    # the detection time of another incident is no grounding for this one
    ("Detection: 2026-08-20 09:55 UTC.", INC, ["2026-08-20 09:55 UTC"]),
    ("ZD-101 was opened on 2026-08-21.", "ZD-101", ["2026-08-21"]),
    ("First response: 2026-08-20 10:50 UTC.", "ZD-101", []),  # ZD-101 records no first response: not judged
    ("Escalation to engineering at 2026-04-12 09:40 UTC.", INC, ["2026-04-12 09:40 UTC"]),
    # right
    ("Escalation to engineering at 2026-04-12 09:20 UTC.", INC, []),
    ("Detection: 2026-04-12 09:05 UTC.", INC, []),
    ("The impact was mitigated by 2026-04-12 11:30 UTC.", INC, []),
    ("INC-2026-0412 was resolved on 2026-04-12.", INC, []),
    ("INC-2026-0820 was detected by its alert at 2026-08-20 09:55 UTC.", INC, []),  # the named record's own
    ("ZD-101 was opened on 2026-08-20.", "ZD-101", []),
    # a ticket has no detection time: not judged here
    ("Detection: 2026-08-20 09:05 UTC.", "ZD-101", []),
]


@pytest.mark.parametrize("sentence, subject, expected", CASES)
def test_instant_claims(sentence: str, subject: str, expected: list[str]) -> None:
    assert blocked(sentence, subject) == expected


def test_the_message_says_what_the_record_says_instead() -> None:
    assert messages("Detection: 2026-04-12 09:15 UTC.", INC) == [
        "INC-2026-0412 was detected at 2026-04-12 09:05 UTC per the incident record, not 2026-04-12 09:15 UTC. "
        "(An instant of another record does not ground a claim about INC-2026-0412.)"
    ]


def test_a_first_response_is_the_tickets_own() -> None:
    from claim_cases import OTHER_TICKET, blocked_with

    answered = OTHER_TICKET.model_copy(update={"first_response_at": OTHER_TICKET.created_at.replace(hour=9, minute=30)})
    assert blocked_with("ZD-201 got its first response at 2026-08-21 09:50 UTC.", answered) == ["2026-08-21 09:50 UTC"]
    assert blocked_with("ZD-201 got its first response at 2026-08-21 09:30 UTC.", answered) == []
