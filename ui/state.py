"""Session state for the console, and one cached ``Copilot`` per home folder.

The home comes from ``$COPILOT_HOME`` (``python -m copilot ui`` sets it), else ``./.copilot``.
Nothing here computes anything about accounts: it only remembers what the person picked and
what the service layer returned.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import streamlit as st

from copilot import Copilot, Settings

__all__ = [
    "ACCOUNT_KEY",
    "AS_OF_KEY",
    "PICKER_KEY",
    "account_id",
    "chat_history",
    "copilot",
    "draft",
    "forget_draft",
    "home",
    "put_draft",
    "require_account",
    "select_subject",
    "set_account",
    "take_incident_tab",
]

ACCOUNT_KEY = "account_id"
"""The picked account (a plain key: it survives pages that do not draw the sidebar)."""
PICKER_KEY = "account-picker"
"""The sidebar selectbox's widget key; its on_change copies the pick into ``ACCOUNT_KEY``."""


def home() -> str:
    """The console's home folder (``$COPILOT_HOME``, else ``./.copilot``), absolute."""
    return str(Settings().home.expanduser().resolve())


@st.cache_resource(show_spinner=False)
def _copilot(home_dir: str) -> Copilot:
    return Copilot(home_dir)


def copilot() -> Copilot:
    """The service layer for this home (shared by every session of this server)."""
    return _copilot(home())


def account_id() -> str | None:
    """The account picked in the sidebar (None before any account exists)."""
    return st.session_state.get(ACCOUNT_KEY)


def set_account(value: str | None) -> None:
    st.session_state[ACCOUNT_KEY] = value


AS_OF_KEY = "as_of"
"""The console's "now" when the TAM picked one (else None: ``Copilot.clock()`` decides)."""


def as_of() -> datetime | None:
    return st.session_state.get(AS_OF_KEY)


def set_as_of(value: datetime | None) -> None:
    st.session_state[AS_OF_KEY] = value


def chat_history(account: str) -> list[dict[str, Any]]:
    """This session's chat with ``account``: a list of ``{"role", "content", "answer"}``."""
    chats = st.session_state.setdefault("chats", {})
    return chats.setdefault(account, [])


def _drafts() -> dict[str, Any]:
    return st.session_state.setdefault("drafts", {})


def draft(slot: str):
    """The draft held in ``slot`` (e.g. ``brief:ZD-4123``), if one was drafted this session."""
    return _drafts().get(slot)


def put_draft(slot: str, value: Any) -> None:
    _drafts()[slot] = value


def forget_draft(slot: str) -> None:
    _drafts().pop(slot, None)


def require_account() -> str:
    """The picked account (else the first one); without any account, say what to do and stop the page."""
    account = account_id()
    if account is None or copilot().store.plan(account) is None:
        plans = copilot().accounts()
        account = plans[0].account.id if plans else None
        set_account(account)
    if account is None:
        st.info("No account is loaded yet. Add account files on the Ingest page (or start the console with "
                "`python -m copilot ui`, which ingests the sample data), then pick the account in the sidebar.",
                icon=":material/input:")
        st.page_link("views/ingest.py", label="Go to Ingest", icon=":material/input:")
        st.stop()
    return account


INCIDENT_TAB_KEY = "incident_tab"
"""The tab the Incidents page opens on next (set when the portfolio drafts a PIR there)."""


def select_subject(account: str, action: str, subject: str, quarter: str | None = None) -> None:
    """Make ``account``'s page show ``subject``: the ticket (brief), incident (update, pir) or quarter (qbr)
    a draft was made for from the portfolio. The keys are the ones those pages' widgets use."""
    if action == "brief":
        st.session_state["brief_selected"] = subject
    elif action in ("update", "pir"):
        st.session_state[f"incident-{account}"] = subject
        st.session_state[INCIDENT_TAB_KEY] = "pir" if action == "pir" else "update"
    elif action == "qbr" and quarter:
        st.session_state[f"qbr-quarter-{account}"] = quarter


def take_incident_tab() -> str | None:
    """``update`` or ``pir`` once after the portfolio picked it, else None."""
    return st.session_state.pop(INCIDENT_TAB_KEY, None)
