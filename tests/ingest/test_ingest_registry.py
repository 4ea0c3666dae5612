"""detect: the ingestor chosen by location and content, and its fixed order."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.ingest import INGESTORS, Ingestor, detect, ingestor, unrecognized


@pytest.mark.parametrize(
    ("path", "data", "expected"),
    [
        ("plans/northwind.yaml", {"account": {"id": "northwind"}}, "plans"),
        ("plans/northwind.yml", {"account": {}}, "plans"),
        ("incidents/inc.yaml", {"incident": {"id": "INC-1"}}, "incidents"),
        ("zendesk/export.json", {"tickets": [], "users": []}, "zendesk"),
        ("jira/search.json", {"issues": []}, "jira"),
        ("slack/channels.json", [{"id": "C1", "name": "inc-x"}], "slack-export-meta"),
        ("slack/users.json", [], "slack-export-meta"),
        ("slack/inc-northwind-0412/2026-04-12.json", [{"ts": "1.0"}], "slack"),
        ("csv/tickets.csv", None, "csv"),
        ("runbooks/label-api.md", None, "runbooks"),
        ("README.md", None, None),
        ("other.yaml", {"something": 1}, None),
        ("other.json", {"tickets": "not a list"}, None),
        ("notes.json", [1, 2], None),
        ("image.png", None, None),
    ],
)
def test_detect(path: str, data: object, expected: str | None) -> None:
    found = detect(Path(path), data)
    assert (found.name if found else None) == expected


def test_registry_order_and_protocol() -> None:
    assert [i.name for i in INGESTORS] == [
        "plans", "incidents", "zendesk", "jira", "slack-export-meta", "slack", "csv", "postmortems", "runbooks",
    ]
    assert all(isinstance(i, Ingestor) for i in INGESTORS)
    assert ingestor("jira") is INGESTORS[3]
    with pytest.raises(KeyError, match="no ingestor named 'xml'"):
        ingestor("xml")


def test_unrecognized_entry() -> None:
    entry = unrecognized(Path("data/other.yaml"))
    assert (entry.file, entry.row, entry.reason) == (
        "data/other.yaml", "", "no ingestor recognises this file's shape")
    assert "docs/formats.md" in entry.action
