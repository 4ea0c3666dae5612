"""normalize_priority / normalize_status / parse_timestamp over every source dialect."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from copilot.ingest.severity import (
    normalize_incident_status,
    normalize_priority,
    normalize_status,
    parse_timestamp,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("urgent", "P1"), ("high", "P2"), ("normal", "P3"), ("low", "P4"),
        ("Highest", "P1"), ("Blocker", "P1"), ("High", "P2"), ("Critical", "P2"),
        ("Medium", "P3"), ("Major", "P3"), ("Low", "P4"), ("Lowest", "P4"),
        ("Minor", "P4"), ("Trivial", "P4"),
        ("Sev1", "P1"), ("SEV-2", "P2"), ("sev 3", "P3"), ("Sev4", "P4"),
        ("P1", "P1"), ("p4", "P4"), (" P2 ", "P2"),
        ("1 - Critical", "P1"), ("2 - High", "P2"), ("3 - Moderate", "P3"), ("4 - Low", "P4"),
    ],
)
def test_normalize_priority(raw: str, expected: str) -> None:
    assert normalize_priority(raw) == expected


@pytest.mark.parametrize("raw", ["P5", "Sev0", "5 - Planning", "1 - Low", "whenever", "", "1"])
def test_normalize_priority_refuses_unknown(raw: str) -> None:
    with pytest.raises(ValueError, match="accepted: P1-P4, Sev1-Sev4"):
        normalize_priority(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("new", "new"), ("open", "open"), ("pending", "pending"), ("hold", "on_hold"),
        ("solved", "solved"), ("closed", "closed"),
        ("To Do", "open"), ("Backlog", "open"), ("In Progress", "open"),
        ("Waiting for customer", "pending"), ("Done", "solved"), ("Resolved", "solved"),
        ("On Hold", "on_hold"), ("on_hold", "on_hold"), ("Canceled", "closed"),
    ],
)
def test_normalize_status(raw: str, expected: str) -> None:
    assert normalize_status(raw) == expected


def test_normalize_status_refuses_unknown() -> None:
    with pytest.raises(ValueError, match=r"unknown status 'Triaged'; accepted: new, open"):
        normalize_status("Triaged")


@pytest.mark.parametrize("raw", ["investigating", "Identified", "MONITORING", "resolved"])
def test_normalize_incident_status(raw: str) -> None:
    assert normalize_incident_status(raw) == raw.lower()


def test_normalize_incident_status_refuses_unknown() -> None:
    with pytest.raises(ValueError, match="accepted: investigating, identified, monitoring, resolved"):
        normalize_incident_status("mitigated")


UTC = timezone.utc


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-04-12T09:14:00Z", datetime(2026, 4, 12, 9, 14, tzinfo=UTC)),
        ("2026-04-12T11:14:00+02:00", datetime(2026, 4, 12, 9, 14, tzinfo=UTC)),
        ("2026-04-12T09:14:00.000+0000", datetime(2026, 4, 12, 9, 14, tzinfo=UTC)),
        ("2026-04-12T04:14:00.500-0500", datetime(2026, 4, 12, 9, 14, 0, 500000, tzinfo=UTC)),
        ("1776000000.000100", datetime(2026, 4, 12, 13, 20, 0, 100, tzinfo=UTC)),
        ("1776000000", datetime(2026, 4, 12, 13, 20, tzinfo=UTC)),
        (datetime(2026, 4, 12, 11, 14, tzinfo=timezone(timedelta(hours=2))),
         datetime(2026, 4, 12, 9, 14, tzinfo=UTC)),
    ],
)
def test_parse_timestamp(raw: object, expected: datetime) -> None:
    parsed = parse_timestamp(raw)  # type: ignore[arg-type]
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2026-04-12T09:14:00", "has no timezone"),
        ("2026-04-12 09:14", "has no timezone"),
        ("2026-04-12", "has no timezone"),
        (datetime(2026, 4, 12, 9, 14), "has no timezone"),
        (date(2026, 4, 12), "date without a time"),
        ("12/04/2026 09:14", "unparseable timestamp"),
        ("1776000000000", "looks like epoch milliseconds"),
        ("", "timestamp is empty"),
    ],
)
def test_parse_timestamp_refuses(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_timestamp(raw)  # type: ignore[arg-type]
