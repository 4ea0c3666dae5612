"""End to end in a real browser: ``python -m copilot ui`` on a free port, driven by Debian's chromium.

Chromium comes from apt (``/usr/bin/chromium``; ``.ci/run`` installs it when missing), driven by the
``playwright`` Python package with ``executable_path`` (never ``playwright install``, which
downloads). One test opens the home page (the portfolio) and an account from it; the other opens
the escalations view, clicks the one-click brief for a P1 ticket, waits for the brief, checks its
section headings, then walks the rest of the way a TAM would: edit the
brief (adding facts no source backs), re-check and see the findings highlighted at their spans,
send it to review, override the blocking findings with a reason, approve, export; and it visits
every page.

A screenshot of every page is saved under ``artifacts/screenshots/`` (override with
``UI_SCREENSHOTS``): portfolio.png (the home page), escalations.png, review.png, chat.png,
incidents.png (+ incidents-pir.png), qbr.png, ingest.png.

Run: ``python -m pytest -m browser tests/ui``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
SCREENSHOTS = Path(os.environ.get("UI_SCREENSHOTS") or REPO / "artifacts" / "screenshots")
SLOW = 180_000  # ms: the first draft in a fresh server loads the embedding model


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the console exited with {proc.returncode} before it was healthy:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the console was not healthy after {timeout}s:\n{log.read_text()[-3000:]}")


@contextmanager
def running_console(home: Path, log: Path) -> Iterator[str]:
    """``python -m copilot ui`` over ``home`` on a free port, as the README starts it; always stopped."""
    port = free_port()
    env = dict(os.environ, COPILOT_HOME=str(home), COPILOT_BACKEND="template", HF_HUB_OFFLINE="1",
               TRANSFORMERS_OFFLINE="1")
    with log.open("wb") as out:
        command = [sys.executable, "-m", "copilot", "ui", "--port", str(port), "--home", str(home)]
        proc = subprocess.Popen(command,
                                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)


@pytest.fixture(scope="module")
def console(sample_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The console over the sample home."""
    with running_console(sample_home, tmp_path_factory.mktemp("console") / "console.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install -y chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def idle(page, quiet_ms: int = 800, timeout_ms: int = SLOW) -> None:
    """Wait until the app has finished running (no 'Running…' status for ``quiet_ms``)."""
    status = page.locator('[data-testid="stStatusWidget"]')
    deadline = time.monotonic() + timeout_ms / 1000
    quiet_since = None
    while time.monotonic() < deadline:
        if status.count() == 0:
            quiet_since = quiet_since or time.monotonic()
            if (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
                return
        else:
            quiet_since = None
        page.wait_for_timeout(100)
    raise AssertionError("the app kept running for too long")


def no_exceptions(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, "the page shows a traceback"


def shoot(page, name: str) -> Path:
    """A screenshot of the whole page (Streamlit scrolls inside its main block, so grow the viewport)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
                           "[data-testid=stMainBlockContainer], [data-testid=stSidebarContent]')]"
                           ".map(e => e.scrollHeight), document.body.scrollHeight)")
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def go(page, title: str) -> None:
    """Open a page from the sidebar navigation (same session, like a person would)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
    idle(page)
    no_exceptions(page)


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    """A CSV export with a ticket for a customer no account plan maps: one quarantined row."""
    folder = tmp_path / "drop" / "csv"
    folder.mkdir(parents=True)
    (folder / "tickets-unknown.csv").write_text(
        "ticket_id,customer,subject,priority,status,created_at\n"
        "INC0099001,Nobody Corp,Export stalls,P2,Open,2026-11-02T08:00:00Z\n", encoding="utf-8")
    return folder.parent


def test_the_console_opens_on_the_portfolio_and_a_row_opens_its_account(console: str, browser, copilot) -> None:
    """The home page ranks the accounts (the same order as ``Copilot.portfolio``), says what "today" is,
    lists what needs the TAM, and one click on an account opens its escalations."""
    ranked = [r.account_id for r in copilot.portfolio().rows]
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    try:
        page.goto(console)
        page.locator(f".st-key-account-{ranked[0]}").wait_for(timeout=SLOW)
        idle(page)
        no_exceptions(page)
        assert page.get_by_role("heading", name="Portfolio").first.is_visible()
        assert page.get_by_text("(data snapshot)").first.is_visible()
        assert page.locator(".st-key-today-0").is_visible()
        tops = page.evaluate("ids => ids.map(id => document.querySelector('.st-key-account-' + id)"
                             ".getBoundingClientRect().top)", ranked)
        assert tops == sorted(tops), "the rows are not in the ranked order"
        shoot(page, "portfolio")
        page.locator(f".st-key-open-{ranked[0]} button").click()
        page.locator('[class*="st-key-draft-brief-"] button').first.wait_for(timeout=SLOW)
        idle(page)
        no_exceptions(page)
        assert page.get_by_role("heading", name="Escalations").first.is_visible()
    finally:
        page.close()
    assert (SCREENSHOTS / "portfolio.png").stat().st_size > 10_000


def test_brief_from_escalations_to_approved_export_and_every_page(console: str, browser, copilot,
                                                                  p1_ticket, bad_folder: Path) -> None:
    account, ticket = p1_ticket
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    try:
        page.goto(f"{console}/escalations?account={account}")
        draft_button = page.locator(f".st-key-draft-brief-{ticket} button")
        draft_button.wait_for(timeout=SLOW)
        idle(page)
        no_exceptions(page)
        assert "P1" in page.locator(f".st-key-ticket-{ticket}").inner_text()

        # one click drafts the brief; its sections, findings panel and scores appear
        draft_button.click()
        brief = page.locator(f".st-key-draft-text-brief-{ticket}")
        brief.wait_for(timeout=SLOW)
        idle(page)
        no_exceptions(page)
        for heading in ("Impact", "Evidence", "Next steps"):
            assert brief.get_by_role("heading", name=heading, exact=True).is_visible(), heading
        assert page.get_by_role("heading", name="Guardrail findings").is_visible()

        # edit: add facts no source backs (a release and a date years away from any record or clock),
        # re-check, and see each finding highlighted at its span
        page.locator(f".st-key-editing-brief-{ticket} label").click()
        text = page.locator(f".st-key-workspace-brief-{ticket} textarea")
        text.wait_for(timeout=SLOW)
        edited = text.input_value().replace(
            "## Next steps\n\n", "## Next steps\n\n- Release 5.9.9 will fix this by 2031-02-17.\n", 1)
        text.fill(edited)
        text.press("Control+Enter")
        idle(page)
        page.locator(f".st-key-recheck-brief-{ticket} button").click()
        idle(page)
        no_exceptions(page)
        marks = brief.locator("mark")
        marks.first.wait_for(timeout=SLOW)
        assert "5.9.9" in " ".join(marks.all_inner_texts()) and "2031-02-17" in " ".join(marks.all_inner_texts())
        assert "does not appear in the facts" in (marks.first.get_attribute("title") or "")
        assert page.get_by_text("blocking finding(s)").first.is_visible()
        shoot(page, "escalations")

        # send to review
        name = page.locator(f".st-key-name-brief-{ticket} input")
        name.fill("Alex Kim")
        name.press("Enter")
        idle(page)
        page.locator(f".st-key-submit-brief-{ticket} button").click()
        page.get_by_text("Sent to review as").wait_for(timeout=SLOW)
        review_id = next(i.id for i in copilot.review.list(account_id=account) if i.subject_id == ticket
                         and i.created_by == "Alex Kim")
        page.get_by_role("link", name="Open the review queue").click()
        idle(page)
        no_exceptions(page)
        page.get_by_role("heading", name=f"{review_id}:", exact=False).wait_for(timeout=SLOW)

        # approve (overriding each blocking finding with a written reason first) and export
        reviewer = page.locator(f".st-key-name-review-{review_id} input")
        reviewer.fill("Riley Chen")
        reviewer.press("Enter")
        idle(page)
        for _ in range(len(copilot.review.get(review_id).blocking)):
            if not copilot.review.get(review_id).blocking:
                break
            reason = page.locator(f".st-key-override-reason-{review_id} textarea")
            reason.fill("Checked against the ticket thread by hand.")
            reason.press("Control+Enter")
            idle(page)
            page.locator(f".st-key-override-{review_id} button").click()
            idle(page)
            no_exceptions(page)
        page.locator(f".st-key-approve-{review_id} button").click()
        idle(page)
        no_exceptions(page)
        assert copilot.review.get(review_id).status == "approved"
        page.locator(f".st-key-export-{review_id} button").click()
        page.get_by_text("Exported to").wait_for(timeout=SLOW)
        idle(page)
        exported = Path(copilot.settings.home) / "exports" / f"{review_id}.md"
        assert exported.is_file() and f"subject: {ticket}" in exported.read_text()
        assert "Release 5.9.9" in exported.read_text() and "overrides:" in exported.read_text()
        shoot(page, "review")

        # chat: an answer with numbered citations
        go(page, "Chat")
        page.get_by_role("textbox").last.fill(f"What is the status of {ticket}?")
        page.get_by_role("textbox").last.press("Enter")
        page.locator('[data-testid="stChatMessage"]').nth(1).wait_for(timeout=SLOW)
        idle(page)
        no_exceptions(page)
        assert page.get_by_text("[1] ", exact=False).first.is_visible()
        shoot(page, "chat")

        # incidents: a customer update with its next-update time, then the PIR from the editable timeline
        go(page, "Incidents")
        if page.locator('[class*="st-key-draft-update-"] button').count():
            page.locator('[class*="st-key-draft-update-"] button').click()
            page.get_by_text("Next update promised by this draft").wait_for(timeout=SLOW)
            idle(page)
            no_exceptions(page)
            shoot(page, "incidents")
            page.get_by_role("tab", name="Post-incident review (PIR)").click()
            page.locator('[class*="st-key-draft-pir-"] button').click()
            page.get_by_role("heading", name="PIR: ", exact=False).wait_for(timeout=SLOW)
            idle(page)
            no_exceptions(page)
            shoot(page, "incidents-pir")
        else:
            shoot(page, "incidents")

        # QBR: charts and the narrative
        go(page, "QBR")
        page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=SLOW)
        page.locator('[class*="st-key-draft-qbr-"] button').click()
        page.get_by_role("heading", name="Guardrail findings").wait_for(timeout=SLOW)
        idle(page)
        no_exceptions(page)
        shoot(page, "qbr")

        # ingest a folder with a bad row: the quarantine report is a table with what to do
        go(page, "Ingest")
        page.get_by_role("tab", name="A folder on this machine").click()
        path = page.locator(".st-key-ingest-path input")
        path.fill(str(bad_folder))
        path.press("Enter")
        idle(page)
        page.locator(".st-key-ingest-path-go button").click()
        page.get_by_text("not ingested.").wait_for(timeout=SLOW)
        idle(page)
        no_exceptions(page)
        shoot(page, "ingest")
        assert "Nobody Corp" in page.locator(".st-key-quarantine-table").inner_text()
    finally:
        page.close()
    for name in ("escalations", "review", "chat", "incidents", "qbr", "ingest"):  # + incidents-pir when any
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000, name
