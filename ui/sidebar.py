"""The sidebar: account picker, the account at a glance, the drafting backend, the index."""

from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from copilot import short_money
from ui import state
from ui.components import guard, when

__all__ = ["render_sidebar"]




def render_sidebar() -> None:
    copilot = state.copilot()
    with st.sidebar:
        st.markdown("### :material/explore: TAM Copilot")
        with guard("load the accounts"):
            plans = copilot.accounts()
            if not plans:
                state.set_account(None)
                st.info("No accounts yet. Open **Ingest** to add account files, or start the console with "
                        "`python -m copilot ui`, which ingests the sample data.")
            else:
                ids = [p.account.id for p in plans]
                names = {p.account.id: p.account.name for p in plans}
                wanted = st.query_params.get("account")
                if state.account_id() not in ids:  # first run: the account asked for, else the one most at risk
                    state.set_account(wanted if wanted in ids else _most_at_risk(copilot) or ids[0])
                if st.session_state.get(state.PICKER_KEY) != state.account_id():
                    st.session_state[state.PICKER_KEY] = state.account_id()
                st.selectbox("Account", ids, key=state.PICKER_KEY, format_func=lambda a: f"{names[a]} ({a})",
                             on_change=lambda: state.set_account(st.session_state[state.PICKER_KEY]))
                _overview(copilot, state.account_id())
        st.divider()
        _clock(copilot)
        _backend_and_index(copilot)


def _most_at_risk(copilot) -> str | None:
    rows = copilot.portfolio(as_of=state.as_of()).rows
    return rows[0].account_id if rows else None


def _overview(copilot, account_id: str) -> None:
    with guard("load the account summary"):
        o = copilot.account_overview(account_id, as_of=state.as_of())
        color = {"green": "green", "yellow": "orange", "red": "red"}.get(o.health, "gray")
        health = f":{color}[:material/fiber_manual_record:]"
        st.caption(f"{health} health {o.health} · tier **{o.tier}**")
        left, right = st.columns(2)
        left.metric("ARR", short_money(o.arr, o.currency), help=f"{o.currency} {o.arr:,.0f}")
        right.metric("Renewal in", f"{o.days_to_renewal} d" if o.days_to_renewal >= 0 else "overdue",
                     help=f"renewal date {o.renewal_date.isoformat()}")
        st.caption(f"Renews **{o.renewal_date.isoformat()}**" + (f" · {o.renewal_stage}" if o.renewal_stage else ""))
        left, right = st.columns(2)
        left.metric("Open P1", o.open_p1)
        right.metric("Open P2", o.open_p2)
        st.caption(f"{o.open_tickets} open tickets · {o.open_incidents} active incidents")


def _clock(copilot) -> None:
    """What "now" is for SLA clocks, renewals and drafts, and a control to change it."""
    with guard("read the clock"):
        clock = copilot.clock(state.as_of())
        st.caption(f":material/schedule: Now: **{clock.now:%Y-%m-%d %H:%M} UTC** ({clock.source})",
                   help=clock.note)
        with st.expander("Change the time", expanded=False):
            day = st.date_input("Date (UTC)", value=clock.now.date(), key="clock-day")
            hour = st.time_input("Time (UTC)", value=clock.now.time().replace(second=0, microsecond=0),
                                 step=300, key="clock-time")
            left, right = st.columns(2)
            if left.button("Use this time", key="clock-set"):
                state.set_as_of(datetime.combine(day, hour, tzinfo=timezone.utc))
                st.rerun()
            if right.button("Default", key="clock-reset", disabled=state.as_of() is None):
                state.set_as_of(None)
                st.rerun()


def _backend_and_index(copilot) -> None:
    with guard("read the index status"):
        backend = copilot.settings.backend
        if backend == "template":
            st.caption(":material/edit_note: Drafting backend: **template** (offline, no LLM)")
        else:
            where = f" at {copilot.settings.llm_base_url}" if copilot.settings.llm_base_url else ""
            st.caption(f":material/smart_toy: Drafting backend: **{backend}**{where}")
        s = copilot.index_status()
        st.caption(f":material/database: Index: **{s.chunks:,}** passages · {s.tickets:,} tickets · "
                   f"{s.incidents} incidents · "
                   f"{s.runbooks} runbooks" + (f" · {s.chunks_pending} waiting to embed" if s.chunks_pending else ""))
        st.caption(f":material/schedule: Last ingest: {when(s.last_ingest_at)}"
                   + (f" · {s.last_ingest_quarantined} rows quarantined" if s.last_ingest_quarantined else ""))
