"""AccountResolver: mappings to account ids, case rules, conflicts resolve to None."""

from __future__ import annotations

import pytest
from ingest_helpers import plan_dict

from copilot.ingest import AccountResolver, ParseResult
from copilot.records.models import AccountPlan


@pytest.mark.parametrize(
    ("method", "key", "expected"),
    [
        ("by_zendesk_org", 360001, "northwind"),
        ("by_zendesk_org", "360002", "contoso"),
        ("by_zendesk_org", 999, None),
        ("by_zendesk_org", None, None),
        ("by_jira_project", "NWF", "northwind"),
        ("by_jira_project", "nwf", "northwind"),
        ("by_jira_project", "ACME", None),
        ("by_customer_name", "Northwind Freight", "northwind"),
        ("by_customer_name", "  northwind   FREIGHT ", "northwind"),
        ("by_customer_name", "nwf", "northwind"),  # alias
        ("by_customer_name", "Northwind Freight Ltd", "northwind"),  # csv_customer_names
        ("by_customer_name", "Contoso", "contoso"),
        ("by_customer_name", "Northwind Freight GmbH", None),  # never guessed
        ("by_slack_channel", "inc-northwind-0412", "northwind"),
        ("by_slack_channel", "#inc-northwind-0412", "northwind"),
        ("by_slack_channel", "inc-other", None),
    ],
)
def test_resolver_lookups(resolver: AccountResolver, method: str, key: object, expected: str | None) -> None:
    assert getattr(resolver, method)(key) == expected


def test_resolver_known_and_domains(resolver: AccountResolver) -> None:
    assert resolver.known("northwind") and not resolver.known("acme")
    assert resolver.account_ids == ["contoso", "northwind"]
    assert resolver.email_domains("northwind") == ["northwindfreight.com"]
    assert resolver.email_domains("acme") == []


def test_conflicting_mapping_resolves_to_none() -> None:
    resolver = AccountResolver([
        AccountPlan.model_validate(plan_dict()),
        AccountPlan.model_validate(plan_dict("acme", "Acme", zendesk_organization_ids=[360001])),
    ])
    assert resolver.by_zendesk_org(360001) is None
    assert resolver.claimants("zendesk_org", 360001) == ["acme", "northwind"]


def test_parse_result_forbids_unknown_fields() -> None:
    with pytest.raises(ValueError):
        ParseResult(accounts=[])  # type: ignore[call-arg]
    assert ParseResult().record_count == 0
