"""Account plans: a valid plan parses; invalid ones are quarantined with the field named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from ingest_helpers import plan_dict, write_yaml

from copilot.ingest import AccountResolver, detect, load_file


def _parse(path: Path):
    data, error = load_file(path)
    assert error is None
    ingestor = detect(path, data)
    assert ingestor is not None and ingestor.name == "plans"
    return ingestor.parse(path, data, AccountResolver())


def test_plan_parses(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "northwind.yaml", plan_dict())
    result = _parse(path)
    assert result.quarantine == []
    [plan] = result.plans
    assert plan.account.id == "northwind"
    assert plan.contract.renewal_date == date(2027, 2, 28)
    assert plan.mappings.zendesk_organization_ids == [360001]
    assert plan.sla.for_priority("P1").first_response_minutes == 30
    assert plan.source_file == str(path)


def test_plan_from_formats_md_yaml(tmp_path: Path) -> None:
    """The plan written the way docs/formats.md shows it (YAML dates, flow mappings)."""
    path = tmp_path / "plan.yaml"
    path.write_text(
        "account:\n  id: northwind\n  name: Northwind Freight\n  health: yellow\n"
        "contract: {arr: 480000, tier: enterprise, start_date: 2024-03-01, renewal_date: 2027-02-28}\n"
        "sla:\n"
        "  P1: {first_response_minutes: 30, update_cadence_minutes: 60}\n"
        "  P2: {first_response_minutes: 120, update_cadence_minutes: 240}\n"
        "  P3: {first_response_minutes: 480, update_cadence_minutes: 1440}\n"
        "  P4: {first_response_minutes: 1440, update_cadence_minutes: 4320}\n"
        "success_plan:\n"
        "  - {id: S1, item: Migrate to 5.x, owner: Dana Reyes, due: 2026-12-15, status: in_progress}\n",
        encoding="utf-8",
    )
    [plan] = _parse(path).plans
    assert plan.success_plan[0].due == date(2026, 12, 15)


@pytest.mark.parametrize(
    ("mutate", "row", "reason"),
    [
        (lambda d: d["contract"].update(tier="gold"), "northwind",
         "contract.tier: Input should be 'strategic', 'enterprise', 'growth' or 'standard' (got 'gold')"),
        (lambda d: d["account"].update(id="North Wind"), "North Wind", "account.id: String should match pattern"),
        (lambda d: d["sla"].pop("P4"), "northwind", "sla.P4: Field required"),
        (lambda d: d.update(owner="me"), "northwind", "owner: Extra inputs are not permitted"),
        (lambda d: d.update(account="northwind"), "", "account: Input should be a valid dictionary"),
    ],
)
def test_invalid_plan_quarantined(tmp_path: Path, mutate, row: str, reason: str) -> None:
    doc = plan_dict()
    mutate(doc)
    path = write_yaml(tmp_path / "bad.yaml", doc)
    result = _parse(path)
    assert result.plans == []
    [entry] = result.quarantine
    assert (entry.file, entry.row) == (str(path), row)
    assert reason in entry.reason
    assert entry.action
