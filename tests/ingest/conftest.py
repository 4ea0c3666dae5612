"""Shared fixtures for the ingestor tests: two account plans and a resolver over them."""

from __future__ import annotations

import pytest
from ingest_helpers import plan_dict

from copilot.ingest import AccountResolver
from copilot.records.models import AccountPlan


@pytest.fixture
def resolver() -> AccountResolver:
    """Northwind (org 360001, NWF, inc-northwind-0412) and Contoso (org 360002, CON)."""
    return AccountResolver([
        AccountPlan.model_validate(plan_dict()),
        AccountPlan.model_validate(plan_dict(
            "contoso", "Contoso Ltd", zendesk_organization_ids=[360002], jira_project_keys=["CON"],
            csv_customer_names=["Contoso"], slack_channels=["inc-contoso-0501"])),
    ])
