"""Credentials pasted into a ticket never reach the index, citation snippets, answers or drafts.

A small real ingest (one plan, one ticket, one comment) into a home in ``tmp_path``: Chroma on
disk and the packaged MiniLM, as in production.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from copilot.service import Copilot

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"

SECRETS = {
    "stripe": "sk_live_51HxYzAbCdEfGhIjKlMnOpQr",
    "pem_body": "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0",
    "postgres": "s3cretPw9",
    "basic": "YWRtaW46czNjcjN0UGFzcw==",
    "gitlab": "glpat-xYzAbCdEfGhIjKlMnOpQ12",
    "whsec": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
}


def _write_sources(root: Path) -> None:
    (root / "plans").mkdir(parents=True)
    shutil.copy(SAMPLE / "plans" / "bluefin-market.yaml", root / "plans")
    (root / "csv").mkdir()
    description = (
        "Hello, exports fail since this morning. Our config, in case it helps:\n"
        f"STRIPE_KEY={SECRETS['stripe']}\nDATABASE_URL=postgres://app:{SECRETS['postgres']}@db.example.com/app\n"
        f"curl -H 'Authorization: Basic {SECRETS['basic']}' https://api.example.com\n"
        f"-----BEGIN RSA PRIVATE KEY-----\n{SECRETS['pem_body']}\n-----END RSA PRIVATE KEY-----\n"
        "Please help, the exports to S3 fail with E-4031."
    )
    with (root / "csv" / "tickets-bluefin-market.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["ticket_id", "customer", "subject", "description", "priority", "status", "created_at",
                         "updated_at", "resolved_at", "component", "version", "region", "requester", "assignee",
                         "tags"])
        writer.writerow(["BFM-9001", "Bluefin Marketplace Pty Ltd", "Exports to S3 fail with E-4031", description,
                         "P2", "open", "2026-05-04T09:00:00+00:00", "2026-05-04T10:00:00+00:00", "", "exports",
                         "4.2.1", "ap-southeast-2", "Ava Brooks", "Ethan Cole", "exports"])
    with (root / "csv" / "comments-bluefin-market.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["ticket_id", "comment_id", "author", "author_role", "public", "created_at", "body"])
        writer.writerow(["BFM-9001", "900001", "Ava Brooks", "requester", "true", "2026-05-04T09:30:00+00:00",
                         f"Also our CI token is {SECRETS['gitlab']} and the webhook secret {SECRETS['whsec']}."])


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("src")
    _write_sources(root)
    home = tmp_path_factory.mktemp("home")
    report = Copilot(home).ingest([root])
    assert report.tickets == 1, report
    return home


def _leaks(text: str) -> list[str]:
    return [name for name, secret in SECRETS.items() if secret in text]


def test_index_and_chunk_table_hold_no_credentials(home: Path) -> None:
    copilot = Copilot(home)
    chunks = copilot.store.chunks("bluefin-market")
    assert any(c.record_id == "BFM-9001" for c in chunks)
    assert _leaks("\n".join(c.text for c in chunks)) == []
    assert "[redacted secret]" in "\n".join(c.text for c in chunks)
    for path in (home / "index").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert [n for n, s in SECRETS.items() if s.encode() in data] == [], path


def test_answers_and_citation_snippets_hold_no_credentials(home: Path) -> None:
    answer = Copilot(home).ask("bluefin-market", "What config did the customer paste for the S3 export failure?")
    assert answer.citations
    assert _leaks(answer.answer) == []
    assert _leaks("\n".join(c.snippet for c in answer.citations)) == []


def test_a_draft_and_its_stored_review_hold_no_credentials(home: Path, tmp_path: Path) -> None:
    copilot = Copilot(home)
    draft = copilot.draft("escalation_brief", "BFM-9001")
    assert _leaks(draft.model_dump_json()) == []
    item = copilot.review.submit(draft, "tam")
    with copilot.store.transaction() as conn:
        stored = "\n".join(r[0] for r in conn.execute("SELECT draft FROM revisions WHERE review_id=?", (item.id,)))
    assert _leaks(stored) == []
