"""The sidebar's account summary and index status, and staging uploaded files safely."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from test_console_queue import PLAN

from copilot.console.overview import account_overview, index_status, stage_uploads
from copilot.records.models import Ticket
from copilot.records.store import Store


def test_overview_counts_open_p1_p2_and_days_to_renewal(tmp_path: Path) -> None:
    store = Store(tmp_path / "records.sqlite3")
    now = datetime(2026, 4, 12, tzinfo=timezone.utc)
    tickets = [Ticket(id=f"ZD-{n}", account_id="northwind", source="zendesk", subject="s", priority=p, status=s,
                      created_at=now - timedelta(hours=n)) for n, (p, s) in
               enumerate([("P1", "open"), ("P1", "solved"), ("P2", "pending"), ("P2", "open"), ("P3", "open")])]
    with store.transaction():
        store.put_plan(PLAN, "h")
        for ticket in tickets:
            store.put_ticket(ticket, "h")
    o = account_overview(store, "northwind", today=date(2027, 2, 1))
    assert (o.tier, o.arr, o.open_p1, o.open_p2, o.open_tickets) == ("enterprise", 480000, 1, 2, 4)
    assert o.days_to_renewal == 27
    assert account_overview(store, "nobody") is None
    status = index_status(store)
    assert (status.accounts, status.tickets, status.chunks, status.last_ingest_at) == (1, 5, 0, None)


def test_stage_uploads_keeps_folders_and_never_escapes(tmp_path: Path) -> None:
    root = stage_uploads(tmp_path, [("plans/acme.yaml", b"a"), ("../../evil.txt", b"b"), ("/etc/passwd", b"c"),
                                    ("slack/inc-acme-0412/2026-04-12.json", b"d"), (".hidden", b"e")])
    assert root.parent == tmp_path / "uploads"
    written = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert written == ["etc/passwd", "evil.txt", "plans/acme.yaml", "slack/inc-acme-0412/2026-04-12.json", "upload"]
