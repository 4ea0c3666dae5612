"""Claim kind `people`: a person's part in the named record (requester, assignee, reporter,
resolver) and their title in the account plan, as exact spans. Dana Reyes is ZD-101's requester and
Acme's VP Engineering (customer); Sam Okafor is the assignee and our TAM (internal)."""

from __future__ import annotations

import re

import pytest
from claim_cases import blocked, messages

CASES = [
    # the record's people
    ("Dana Reyes (assignee) is driving the fix.", "ZD-101", ["assignee"]),
    ("Sam Okafor (requester) opened it.", "ZD-101", ["requester"]),
    ("ZD-101 was requested by Sam Okafor.", "ZD-101", ["requested by Sam Okafor"]),
    ("ZD-101 is assigned to Dana Reyes.", "ZD-101", ["assigned to Dana Reyes"]),
    ("Escalated by Sam Okafor this morning.", "ZD-101", ["Escalated by Sam Okafor"]),
    ("ZD-101 was resolved by Dana Reyes.", "ZD-101", ["resolved", "resolved by Dana Reyes"]),  # and it is open
    ("Sam Okafor opened the ticket at 10:00.", "ZD-101", ["Sam Okafor opened the ticket"]),
    ("Sam Okafor, who raised the issue, wants updates.", "ZD-101", ["Sam Okafor, who raised the issue"]),
    ("Sam Okafor is the requester.", "ZD-101", ["Sam Okafor is the requester"]),
    ("Dana Reyes opened the ticket at 10:00.", "ZD-101", []),
    ("Sam Okafor reported that the gateway logs are clean.", "ZD-101", []),  # speech, not raising the ticket
    ("Dana Reyes (requester) asked for hourly updates.", "ZD-101", []),
    ("ZD-101 is assigned to Sam Okafor.", "ZD-101", []),
    ("Escalated by Dana Reyes this morning.", "ZD-101", []),
    # titles in the plan
    ("Dana Reyes (TAM) asked for updates.", "ZD-101", ["TAM"]),
    ("Sam Okafor (VP Engineering) signed off.", "ZD-101", ["VP Engineering"]),  # exactly Dana Reyes's title
    ("Escalated by Dana Reyes, the customer's TAM (account side).", "ZD-101", ["the customer's TAM"]),
    ("Escalated by Dana Reyes, the customer's TAM.", "ZD-101", ["the customer's TAM"]),
    ("Sam Okafor, the customer's VP Engineering, confirmed it.", "ZD-101", ["the customer's VP Engineering"]),
    ("Dana Reyes, our VP Engineering, confirmed it.", "ZD-101", ["our VP Engineering"]),
    ("Dana Reyes, the customer's engineering lead, confirmed it.", "ZD-101", []),  # a paraphrase of her title
    ("Sam Okafor, our TAM, owns the comms.", "ZD-101", []),
    ("Dana Reyes (economic buyer) signs the renewal.", "ZD-101", []),
    ("Keep informed: Dana Reyes (dana.reyes@acme.example), customer", "ZD-101", []),  # an e-mail is no role
    ("Sam Okafor (public reply): we are checking the logs.", "ZD-101", []),  # a timeline label, not a title
    # an incident record names no requester or assignee: not judged; its people may resolve it
    ("Sam Okafor (resolver) raised the pool limit.", "INC-2026-0412", []),
    ("Dana Reyes (requester) reported it.", "INC-2026-0412", []),
]


@pytest.mark.parametrize("sentence, subject, expected", CASES)
def test_people_claims(sentence: str, subject: str, expected: list[str]) -> None:
    assert blocked(sentence, subject) == expected


def test_a_comment_that_says_so_is_the_records_own_words() -> None:
    # ZD-101's comment by Dana Reyes is a customer comment: she took part, so "raised by" her holds
    assert blocked("The timeouts were raised by Dana Reyes.") == []


def test_the_message_says_what_the_record_says_instead() -> None:
    assert messages("ZD-101 is assigned to Dana Reyes.") == [
        "'assigned to Dana Reyes' is not true of ZD-101: per the ticket record the assignee is Sam Okafor. "
        "(Someone named elsewhere in the account is not this record's assignee.)"
    ]
    (title,) = messages("Dana Reyes (TAM) asked for updates.")
    assert "per the account plan Dana Reyes is VP Engineering" in title and "Sam Okafor" in title


@pytest.mark.parametrize("sentence, expected", [
    # a plan title holding a comma is read whole, so it is recognised as someone else's exactly
    ("Lee Park, the customer's Engineering Manager, Fulfilment Systems, asked for updates.",
     ["the customer's Engineering Manager, Fulfilment Systems"]),
    ("Lee Park (Engineering Manager, Fulfilment Systems) asked for updates.", ["Engineering Manager, Fulfilment Systems"]),
    ("Kim Lo, the customer's Engineering Manager, Fulfilment Systems, asked for updates.", []),  # her own title
])
def test_a_title_with_a_comma_is_read_whole(sentence: str, expected: list[str]) -> None:
    from guardrail_records import records

    from copilot.guardrails.claims import Roster, role_claims
    from copilot.records.models import Contact

    plan = records()["plan"]
    plan = plan.model_copy(update={"stakeholders": [*plan.stakeholders,
                                                    Contact(name="Kim Lo", title="Engineering Manager, Fulfilment Systems"),
                                                    Contact(name="Lee Park", title="Senior SRE")]})
    names = [(m.start(), m.end(), m.group()) for m in re.finditer(r"Kim Lo|Lee Park", sentence)]
    claims = role_claims(sentence, names, lambda _: None, Roster(plan))
    assert [sentence[c.span[0]:c.span[1]] for c in claims if not c.ok] == expected
