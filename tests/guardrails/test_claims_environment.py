"""Claim kind `environment`: version, region and component of the named record, as exact spans.
ZD-101 runs 5.2.1 in eu-west-1 (component label-api); the account's other records and the runbooks
give other values (ZD-201 in the extra records below: 5.3.0, eu-central-1, billing-api)."""

from __future__ import annotations

import pytest
from claim_cases import blocked, messages

CASES = [
    ("ZD-101 is on 5.3.0 in eu-central-1.", ["5.3.0", "eu-central-1"]),
    ("ZD-101 (P2, open) runs version 5.3.0.", ["5.3.0"]),
    ("ZD-101 sits in the billing-api component.", ["billing-api"]),
    ("ZD-101 is limited to eu-central-1.", ["eu-central-1"]),
    ("ZD-101 is on 5.2.1 in eu-west-1.", []),
    ("ZD-101 sits in the label-api component.", []),
    ("Region: eu-central-1", ["eu-central-1"]),  # a labelled line speaks of the subject
    ("Component: billing-api", ["billing-api"]),
    ("Region: eu-west-1", []),
    ("Upgrading to 5.3.0 is the next step.", []),  # not a statement of ZD-101's environment
]


@pytest.mark.parametrize("sentence, expected", CASES)
def test_environment_claims(sentence: str, expected: list[str]) -> None:
    assert blocked(sentence) == expected


def test_the_message_names_the_record_value_and_whose_value_it_is() -> None:
    (msg,) = messages("ZD-101 is limited to eu-central-1.")
    assert msg.startswith("'eu-central-1' is not ZD-101's region: per the ticket record it is eu-west-1 "
                          "(eu-central-1 is ZD-201's region).")


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("About 120 users in eu-central-1 see timeouts.", ["eu-central-1"]),  # no id: the subject's
        ("Requests on v5.3.0 time out.", ["v5.3.0"]),
        ("Unlike eu-central-1, eu-west-1 is affected.", []),  # not a statement of where it is
        ("The customer plans to upgrade to 5.3.0.", []),
        ("ZD-201 is the one in eu-central-1.", []),  # names another record: that record's own
    ],
)
def test_a_line_of_the_subjects_sections_that_names_no_record_speaks_of_the_subject(
    sentence: str, expected: list[str]
) -> None:
    assert blocked(sentence) == expected


def test_a_line_citing_another_record_is_not_the_subjects() -> None:
    from claim_cases import blocked_line

    assert blocked_line("- Same timeouts in eu-central-1 [source: ZD-201]") == []
