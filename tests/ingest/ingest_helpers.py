"""Helpers for the ingestor tests: plan documents, UTC datetimes, fixture-file writers."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

NORTHWIND: dict[str, Any] = {
    "account": {
        "id": "northwind",
        "name": "Northwind Freight",
        "aliases": ["Northwind", "NWF"],
        "email_domains": ["northwindfreight.com"],
        "region": "eu-west-1",
        "health": "yellow",
    },
    "contract": {
        "arr": 480000,
        "tier": "enterprise",
        "start_date": "2024-03-01",
        "renewal_date": "2027-02-28",
    },
    "sla": {
        "P1": {"first_response_minutes": 30, "update_cadence_minutes": 60},
        "P2": {"first_response_minutes": 120, "update_cadence_minutes": 240},
        "P3": {"first_response_minutes": 480, "update_cadence_minutes": 1440},
        "P4": {"first_response_minutes": 1440, "update_cadence_minutes": 4320},
    },
    "mappings": {
        "zendesk_organization_ids": [360001],
        "jira_project_keys": ["NWF"],
        "csv_customer_names": ["Northwind Freight Ltd"],
        "slack_channels": ["inc-northwind-0412"],
    },
    "stakeholders": [
        {"name": "Dana Reyes", "email": "dana.reyes@northwindfreight.com"},
        {"name": "Sam Okafor", "email": "sam@ourco.example", "internal": True},
    ],
}


def plan_dict(account_id: str = "northwind", name: str = "Northwind Freight", **mappings: Any) -> dict[str, Any]:
    """A valid plan document; ``mappings`` override the Northwind mappings."""
    doc = copy.deepcopy(NORTHWIND)
    doc["account"]["id"] = account_id
    doc["account"]["name"] = name
    if account_id != "northwind":
        doc["account"]["aliases"] = []
        doc["account"]["email_domains"] = [f"{account_id}.example"]
        doc["mappings"] = {"zendesk_organization_ids": [], "jira_project_keys": [],
                           "csv_customer_names": [], "slack_channels": []}
        doc["stakeholders"] = []
    doc["mappings"].update(mappings)
    return doc


def utc(text: str) -> datetime:
    """``"2026-04-12 09:14"`` -> aware UTC datetime."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)


def write_json(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def write_yaml(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
