"""Untrusted record text renders as text in the console (AppTest, on a hostile ticket).

Every Markdown string the pages hand to Streamlit is checked: none may contain image syntax,
HTML tags, a live (autolinkable) URL to a host outside the account's domains, or a credential.
A link to the account's own domain stays a link.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_home import ACCOUNT, ALLOWED_URL, EVIL, TICKET, build_hostile_home, hostile_problems
from streamlit.testing.v1 import AppTest

from copilot.console.safe_text import inert

APP = Path(__file__).resolve().parents[2] / "ui" / "app.py"


@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hostile_home(tmp_path_factory.mktemp("hostile-src"), tmp_path_factory.mktemp("hostile") / "home")


@pytest.fixture
def app(hostile_home: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("COPILOT_HOME", str(hostile_home))
    monkeypatch.setenv("COPILOT_BACKEND", "template")
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["account_id"] = ACCOUNT
    at.run()
    return at


def rendered(at: AppTest) -> list[str]:
    """Every Markdown-rendered string on the page: markdown, captions, headers, expander labels."""
    out = [str(e.value) for kind in ("markdown", "caption", "subheader", "header", "title", "info", "warning",
                                     "error", "success") for e in getattr(at, kind)]
    out += [str(e.label) for e in at.expander]
    return out


def assert_inert(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    bad = {text[:120]: hostile_problems(text) for text in rendered(at) if hostile_problems(text)}
    assert bad == {}


def test_escalations_show_a_hostile_subject_as_text(app: AppTest) -> None:
    app.switch_page("views/escalations.py").run()
    assert_inert(app)
    row = next(t for t in rendered(app) if inert(TICKET) in t)
    assert "pixel" in row and "&#33;&#91;pixel&#93;" in row  # the characters are there, the syntax is not


def test_chat_answer_and_citations_are_text_and_own_domain_links_stay(app: AppTest) -> None:
    app.switch_page("views/chat.py").run()
    app.chat_input[0].set_value("What did the customer say about the export failure and the status page?").run()
    assert_inert(app)
    texts = "\n".join(rendered(app))
    assert inert(TICKET) in texts and f"`https://{EVIL}/" in texts  # the foreign URL is shown, as code, not linked
    assert f"]({ALLOWED_URL})" in texts  # the account's own status page is still a link


def test_a_brief_about_the_hostile_ticket_renders_inert(app: AppTest) -> None:
    app.switch_page("views/escalations.py").run()
    app.button(key=f"draft-brief-{TICKET}").click().run()
    assert_inert(app)
    assert any("Escalation brief" in t for t in rendered(app))


def test_the_portfolio_home_renders_inert(app: AppTest) -> None:
    assert_inert(app)  # the console opens on the portfolio
    assert any(inert(TICKET) in t for t in rendered(app))  # its open P1 is cited under the account's row
