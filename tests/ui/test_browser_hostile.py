"""A real browser on a hostile ticket: no request leaves 127.0.0.1, no foreign image or link.

The console runs as ``python -m copilot ui`` over the hostile home (``hostile_home.py``: a ticket
whose subject, description and comment carry markdown images, HTML and links to a foreign host);
Debian's chromium, driven by playwright, browses the escalations page, drafts the brief and asks
the chat about the ticket while every request the page makes is recorded.

Run: ``python -m pytest -m browser tests/ui/test_browser_hostile.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from hostile_home import ACCOUNT, EVIL, SECRET, TICKET, build_hostile_home
from test_browser import CHROMIUM, CHROMIUM_ARGS, SLOW, go, idle, no_exceptions, running_console

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = build_hostile_home(tmp_path_factory.mktemp("hostile-src"), tmp_path_factory.mktemp("hostile") / "home")
    with running_console(home, tmp_path_factory.mktemp("console") / "console.log") as url:
        yield url


def test_browsing_a_hostile_ticket_makes_no_request_off_loopback(hostile_console: str) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install -y chromium`)")
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(hostile_console)  # the portfolio home page
            page.locator(f".st-key-account-{ACCOUNT}").wait_for(timeout=SLOW)
            idle(page)
            no_exceptions(page)
            page.goto(f"{hostile_console}/escalations?account={ACCOUNT}")
            button = page.locator(f".st-key-draft-brief-{TICKET} button")
            button.wait_for(timeout=SLOW)
            idle(page)
            no_exceptions(page)
            assert "Exports fail" in page.locator(f".st-key-ticket-{TICKET}").inner_text()
            button.click()
            page.locator(f".st-key-draft-text-brief-{TICKET}").wait_for(timeout=SLOW)
            idle(page)
            go(page, "Chat")
            page.get_by_test_id("stChatInputTextArea").fill(f"What did the customer write on {TICKET}?")
            page.keyboard.press("Enter")
            idle(page)
            for expander in page.locator('[data-testid="stExpander"] summary').all():
                expander.click()
            page.wait_for_timeout(1500)
            no_exceptions(page)
            html = page.content()
            assert page.locator(f'img[src*="{EVIL}"], iframe[src*="{EVIL}"], a[href*="{EVIL}"]').count() == 0
            assert SECRET not in html
        finally:
            browser.close()
    off_host = sorted({u for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                       and urlsplit(u).hostname not in ("127.0.0.1", "localhost")})
    assert off_host == []
    assert requests  # the page did load things, all from the console
