"""Escalations: the account's open tickets by severity and SLA risk; one click drafts the brief."""

from __future__ import annotations

import streamlit as st

from copilot import inert
from ui import state
from ui.components import guard, when
from ui.workspace import draft_workspace

RISK_STYLE = {"breached": ("red", ":material/alarm:"), "at_risk": ("orange", ":material/schedule:"),
              "ok": ("green", ":material/check_circle:")}
PRIORITY_COLOR = {"P1": "red", "P2": "orange", "P3": "blue", "P4": "gray"}
SELECTED = "brief_selected"

st.title(":material/notification_important: Escalations")
account = state.require_account()
copilot = state.copilot()
st.caption("Open tickets, most urgent first: by severity, then by how close the running SLA clock "
           "(first response or next customer update) is to breaching.")


def _row(entry) -> None:
    with st.container(border=True, key=f"ticket-{entry.id}"):
        badge, about, sla, action = st.columns([0.6, 4.6, 3.2, 2.4], vertical_alignment="center")
        badge.markdown(f"### :{PRIORITY_COLOR.get(entry.priority, 'gray')}[{entry.priority}]")
        about.markdown(f"**{inert(entry.id)}** · {inert(entry.subject)}")
        about.caption(f"{inert(entry.status)} · opened {when(entry.created_at)} · {entry.age_hours:g}h old"
                      + (f" · {inert(entry.component)}" if entry.component else "")
                      + (f" · {inert(entry.assignee)}" if entry.assignee else ""))
        if entry.sla:
            color, dot = RISK_STYLE[entry.sla.risk]
            sla.markdown(f":{color}[{dot} {entry.sla.reason}]")
            sla.caption(f"due {when(entry.sla.due_at)}")
        else:
            sla.caption("no SLA target for this priority")
        if action.button("Draft escalation brief", key=f"draft-brief-{entry.id}", icon=":material/edit_document:",
                         type="primary" if entry.priority in ("P1", "P2") else "secondary"):
            with guard(f"draft the escalation brief for {entry.id}"), \
                    st.spinner(f"Drafting the brief for {entry.id} and running the guardrails…"):
                state.put_draft(f"brief:{entry.id}", copilot.draft("escalation_brief", entry.id, as_of=state.as_of()))
                st.session_state[SELECTED] = entry.id


with guard("load the open tickets"):
    queue = copilot.escalation_queue(account, as_of=state.as_of())
    if not queue:
        st.success("No open tickets for this account. Nothing to escalate.", icon=":material/task_alt:")
    urgent = [e for e in queue if e.priority in ("P1", "P2")]
    other = [e for e in queue if e.priority not in ("P1", "P2")]
    if queue:
        breached = sum(e.risk == "breached" for e in queue)
        st.markdown(f"**{len(urgent)}** open P1/P2 · **{len(other)}** open P3/P4 · "
                    f"**{breached}** with a breached SLA clock")
    for entry in urgent:
        _row(entry)
    if other:
        with st.expander(f"Lower severity: {len(other)} open P3/P4 tickets", expanded=not urgent):
            for entry in other:
                _row(entry)

selected = st.session_state.get(SELECTED)
if selected and state.draft(f"brief:{selected}") is not None:
    if state.draft(f"brief:{selected}").account_id == account:
        st.divider()
        draft_workspace(f"brief:{selected}")
