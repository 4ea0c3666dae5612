"""QBR: pick a quarter, see the service-performance trend, draft the narrative."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from copilot import default_quarter
from ui import state
from ui.components import guard
from ui.workspace import draft_workspace

PRIORITY_COLORS = alt.Scale(domain=["P1", "P2", "P3", "P4"], range=["#c62828", "#ef6c00", "#1565c0", "#9e9e9e"])

st.title(":material/monitoring: QBR")
account = state.require_account()
copilot = state.copilot()

quarters: list[str] = []
with guard("list the quarters with activity"):
    quarters = copilot.quarters(account)
if not quarters:
    st.info("This account has no tickets yet, so there is no quarter to review. Ingest its ticket history first.",
            icon=":material/input:")
    st.stop()

picked_key = f"qbr-quarter-{account}"
if picked_key in st.session_state and st.session_state[picked_key] not in quarters:
    del st.session_state[picked_key]  # a quarter picked elsewhere (the portfolio) that has no activity here
quarter = st.selectbox("Quarter", quarters, key=picked_key,
                       index=0 if picked_key in st.session_state else quarters.index(default_quarter(quarters)),
                       help="The charts show the four quarters up to and including this one. The default is the "
                            "latest complete quarter.")


def _charts(data) -> None:
    severity = pd.DataFrame(data.severity)
    sla = pd.DataFrame(data.sla)
    mttr = pd.DataFrame(data.mttr).dropna(subset=["mttr_hours"])
    left, middle, right = st.columns(3)
    with left:
        st.markdown("**Tickets by severity**")
        st.altair_chart(
            alt.Chart(severity).mark_bar().encode(
                x=alt.X("month:O", title="month opened"), y=alt.Y("tickets:Q", title="tickets"),
                color=alt.Color("priority:N", scale=PRIORITY_COLORS, title="severity"),
                order=alt.Order("priority:N", sort="ascending"),
                tooltip=["month", "priority", "tickets"]),
            width="stretch")
    with middle:
        st.markdown("**First-response SLA compliance**")
        sla = sla.dropna(subset=["compliance_pct"])
        if sla.empty:
            st.caption("No tickets opened in these quarters.")
        else:
            st.altair_chart(alt.Chart(sla).mark_line(point=True, color="#2e7d32").encode(
                x=alt.X("month:O", title="month opened"),
                y=alt.Y("compliance_pct:Q", title="% within target", scale=alt.Scale(domain=[0, 100])),
                tooltip=["month", "compliance_pct", "met", "total"]), width="stretch")
    with right:
        st.markdown("**MTTR trend (hours)**")
        if mttr.empty:
            st.caption("No resolved tickets among those opened in these quarters.")
        else:
            st.altair_chart(
                alt.Chart(mttr).mark_line(point=True).encode(
                    x=alt.X("month:O", title="month opened"), y=alt.Y("mttr_hours:Q", title="mean hours to resolve"),
                    color=alt.Color("priority:N", scale=PRIORITY_COLORS, title="severity"),
                    tooltip=["month", "priority", "mttr_hours", "resolved"]),
                width="stretch")
    table = pd.DataFrame(data.quarters)
    shown = table[["quarter", "tickets", "first_response", "update_cadence", "mttr_p1_hours", "mttr_p2_hours"]]
    shown = shown.astype(object).where(shown.notna(), "—")
    st.caption("Per quarter (the same definitions the narrative's Service performance section uses):")
    st.dataframe(shown.rename(columns={"quarter": "Quarter", "tickets": "Tickets opened",
                                       "first_response": "First-response SLA", "update_cadence": "P1/P2 cadence",
                                       "mttr_p1_hours": "MTTR P1 (h)", "mttr_p2_hours": "MTTR P2 (h)"}),
                 hide_index=True, width="stretch")


with guard(f"compute the charts for {quarter}"):
    _charts(copilot.chart_data(account, quarter))

st.divider()
slot = f"qbr:{account}:{quarter}"
if st.button(f"Draft the {quarter} QBR narrative", type="primary", icon=":material/edit_document:",
             key=f"draft-qbr-{account}-{quarter}"):
    with guard(f"draft the {quarter} QBR narrative"), st.spinner("Computing the metrics and drafting…"):
        state.put_draft(slot, copilot.draft("qbr_narrative", account, quarter=quarter, as_of=state.as_of()))
draft_workspace(slot)
