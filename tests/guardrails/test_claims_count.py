"""Claim kind `count`: counts of what the named record lists, as exact spans. INC-2026-0412 lists
one related ticket, one corrective action and one region (eu-west-1); ZD-101 has 2 comments."""

from __future__ import annotations

import pytest
from claim_cases import blocked, messages

INC = "INC-2026-0412"
CASES = [
    ("INC-2026-0412 has 3 related tickets.", INC, ["3 related tickets"]),
    ("Two corrective actions are open.", INC, ["Two corrective actions"]),
    ("It hit 3 affected regions.", INC, ["3 affected regions"]),
    ("ZD-101 has five comments on the ticket.", "ZD-101", ["five comments on the ticket"]),
    ("Customers opened 47 tickets about it.", INC, ["47 tickets"]),
    ("INC-2026-0412 has 1 related ticket.", INC, []),
    ("One corrective action is done.", INC, []),
    ("ZD-101 has two comments.", "ZD-101", []),
    ("About 3 regions saw errors.", INC, []),  # approximate: not judged
    ("2 of 3 regions saw errors.", INC, []),  # "of": not a count of the record's regions
]


@pytest.mark.parametrize("sentence, subject, expected", CASES)
def test_count_claims(sentence: str, subject: str, expected: list[str]) -> None:
    assert blocked(sentence, subject) == expected


def test_the_message_says_what_the_record_lists() -> None:
    assert messages("INC-2026-0412 has 3 related tickets.", INC) == [
        "INC-2026-0412 lists 1 related ticket in the incident record, not 3 related tickets."
    ]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("ZD-101 rests on three customer reports.", ["three customer reports"]),  # the description + 1 customer comment
        ("ZD-101 rests on two customers' reports.", []),
        ("We read 3 reports in the wiki.", []),  # reports of what: not judged
    ],
)
def test_customer_reports_are_the_customers_texts_in_the_ticket(sentence: str, expected: list[str]) -> None:
    assert blocked(sentence) == expected
