"""Incident records: milestones and status events, attach_channel, quarantine of bad records."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from ingest_helpers import utc

from copilot.ingest import AccountResolver, ParseResult, SlackMessage, attach_channel, detect, load_file

INCIDENT_YAML = """\
incident:
  id: INC-2026-0412
  account: northwind
  title: Label API returning 504 in eu-west-1
  priority: Sev1
  status: resolved
  channel: "#inc-northwind-0412"
  summary: "Gateway timeouts"
  customer_impact: "Label creation failed for 38% of requests"
  workaround: "Retry with backoff"
  started_at: 2026-04-12T08:52:00Z
  detected_at: 2026-04-12T09:05:00Z
  engaged_at: 2026-04-12T11:20:00+02:00
  mitigated_at: 2026-04-12T11:10:00Z
  resolved_at: 2026-04-12T13:45:00Z
  last_customer_update_at: 2026-04-12T12:00:00Z
  related_tickets: [ZD-4123, NWF-101]
  root_cause: {status: confirmed, summary: "Connection pool exhausted", source: "slack:inc-northwind-0412:1776000000.000100"}
  contributing_factors: ["No alert on pool saturation"]
  corrective_actions:
    - {id: CA-1, action: "Alert on pool saturation", owner: "Sam Okafor", due: 2026-05-15, status: done}
  status_events:
    - {at: 2026-04-12T09:20:00Z, status: identified, text: "Pool exhaustion identified", author: Sam Okafor}
    - {at: 2026-04-12T11:10:00Z, status: Monitoring}
    - {at: 2026-04-12T12:00:00Z, status: fixed, text: "bad status"}
    - {at: 2026-04-12 12:30:00, status: monitoring, text: "naive time"}
"""


def _parse(tmp_path: Path, text: str, resolver: AccountResolver) -> tuple[Path, ParseResult]:
    path = tmp_path / "incidents" / "inc.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    data, error = load_file(path)
    assert error is None, error
    ingestor = detect(path, data)
    assert ingestor is not None and ingestor.name == "incidents"
    return path, ingestor.parse(path, data, resolver)


def test_incident_parses_with_events(tmp_path: Path, resolver: AccountResolver) -> None:
    path, result = _parse(tmp_path, INCIDENT_YAML, resolver)
    [incident] = result.incidents
    assert (incident.id, incident.account_id, incident.priority, incident.status, incident.channel) == (
        "INC-2026-0412", "northwind", "P1", "resolved", "inc-northwind-0412")
    assert incident.source_file == str(path)
    assert incident.engaged_at == utc("2026-04-12 09:20")
    assert incident.related_tickets == ["ZD-4123", "NWF-101"]
    assert incident.root_cause.status == "confirmed"
    assert incident.corrective_actions[0].due == date(2026, 5, 15)
    assert [(e.id, e.kind, e.milestone, e.status, e.at) for e in incident.events] == [
        ("INC-2026-0412:milestone:impact_start", "milestone", "impact_start", "", utc("2026-04-12 08:52")),
        ("INC-2026-0412:milestone:detected", "milestone", "detected", "", utc("2026-04-12 09:05")),
        ("INC-2026-0412:milestone:engaged", "milestone", "engaged", "", utc("2026-04-12 09:20")),
        ("INC-2026-0412:status:0", "status", "", "identified", utc("2026-04-12 09:20")),
        ("INC-2026-0412:milestone:mitigated", "milestone", "mitigated", "", utc("2026-04-12 11:10")),
        ("INC-2026-0412:status:1", "status", "", "monitoring", utc("2026-04-12 11:10")),
        ("INC-2026-0412:milestone:resolved", "milestone", "resolved", "", utc("2026-04-12 13:45")),
    ]
    status0 = incident.events[3]
    assert (status0.author, status0.text, status0.source_id) == (
        "Sam Okafor", "Pool exhaustion identified", "INC-2026-0412")
    assert incident.events[5].text == "Status changed to monitoring"
    assert [(q.row, q.reason) for q in result.quarantine] == [
        ("INC-2026-0412 status_events[2]",
         "unknown incident status 'fixed'; accepted: investigating, identified, monitoring, resolved"),
        ("INC-2026-0412 status_events[3]",
         "at: timestamp 2026-04-12T12:30:00 has no timezone; add Z or an offset (we never guess a timezone)"),
    ]


def _msg(channel: str, ts: str, text: str, name: str = "Sam Okafor") -> SlackMessage:
    at = datetime.fromtimestamp(float(ts), tz=timezone.utc)
    return SlackMessage(channel=channel, ts=ts, user="U1", real_name=name, text=text, at=at)


def test_attach_channel(tmp_path: Path, resolver: AccountResolver) -> None:
    _, result = _parse(tmp_path, INCIDENT_YAML, resolver)
    [incident] = result.incidents
    messages = [
        _msg("inc-northwind-0412", "1776000000.000100", "pool at 100%"),        # 13:20:00
        _msg("inc-northwind-0412", "1775984400.000000", "first page", name=""),  # 09:00:00
        _msg("inc-contoso-0501", "1775984500.000000", "other account"),
        _msg("inc-northwind-0412", "1776000000.000100", "pool at 100%"),        # duplicate
    ]
    attached = attach_channel(incident, messages)
    slack = [e for e in attached.events if e.kind == "message"]
    assert [(e.id, e.author, e.text, e.source_id, e.at) for e in slack] == [
        ("slack:inc-northwind-0412:1775984400.000000", "U1", "first page",
         "slack:inc-northwind-0412:1775984400.000000", utc("2026-04-12 09:00")),
        ("slack:inc-northwind-0412:1776000000.000100", "Sam Okafor", "pool at 100%",
         "slack:inc-northwind-0412:1776000000.000100", datetime(2026, 4, 12, 13, 20, 0, 100, tzinfo=timezone.utc)),
    ]
    assert [e.at for e in attached.events] == sorted(e.at for e in attached.events)
    assert len(attached.events) == len(incident.events) + 2
    assert attach_channel(attached, messages).events == attached.events  # idempotent
    assert len(incident.events) == 7  # the input is not modified


def _variant(old: str, new: str) -> str:
    assert old in INCIDENT_YAML
    return INCIDENT_YAML.replace(old, new)


@pytest.mark.parametrize(
    ("text", "row", "reason"),
    [
        (_variant("account: northwind", "account: acme"), "INC-2026-0412",
         "unknown account 'acme': no account plan has this id"),
        (_variant("priority: Sev1", "priority: Sev5"), "INC-2026-0412", "unknown priority 'Sev5'"),
        (_variant("started_at: 2026-04-12T08:52:00Z", "started_at: 2026-04-12 08:52:00"),
         "INC-2026-0412", "started_at: timestamp 2026-04-12T08:52:00 has no timezone"),
        (_variant("  title: Label API returning 504 in eu-west-1\n", ""), "INC-2026-0412",
         "missing required field: title"),
        (_variant("mitigated_at:", "mitigated_on:"), "INC-2026-0412",
         "unknown field(s) in incident: mitigated_on"),
        (_variant('channel: "#inc-northwind-0412"', "channel: inc-contoso-0501"), "INC-2026-0412",
         "channel 'inc-contoso-0501' is mapped to account plan(s) contoso, not to 'northwind'"),
        (_variant("root_cause: {status: confirmed", "root_cause: {status: likely"), "INC-2026-0412",
         "root_cause: status: Input should be 'confirmed', 'unconfirmed' or 'unknown' (got 'likely')"),
        (_variant('owner: "Sam Okafor", ', ""), "INC-2026-0412", "corrective_actions[0]: owner: Field required"),
        (_variant("  id: INC-2026-0412\n", ""), "incident", "missing required field: id"),
        (_variant("  status: resolved\n", "  status: mitigated\n"), "INC-2026-0412",
         "unknown incident status 'mitigated'"),
    ],
)
def test_bad_incident_quarantined(tmp_path: Path, resolver: AccountResolver, text: str, row: str,
                                  reason: str) -> None:
    path, result = _parse(tmp_path, text, resolver)
    assert result.incidents == []
    [entry] = result.quarantine
    assert (entry.file, entry.row) == (str(path), row)
    assert reason in entry.reason, entry.reason
    assert entry.action
