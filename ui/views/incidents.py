"""Incidents: draft a customer update (with the countdown to the next one), edit the PIR timeline, draft the PIR."""

from __future__ import annotations

from datetime import datetime, time, timezone

import pandas as pd
import streamlit as st

from copilot import durations_from_rows, format_minutes, inert, timeline_problems
from ui import state
from ui.components import guard, when
from ui.workspace import draft_workspace

NO_MILESTONE = "—"
MILESTONES = [NO_MILESTONE, "Impact start", "Detection", "Engagement", "Mitigation", "Resolution"]

st.title(":material/local_fire_department: Incidents")
account = state.require_account()
copilot = state.copilot()

incidents = []
with guard("load the incidents"):
    incidents = copilot.incidents(account)
if not incidents:
    st.info("No incidents recorded for this account. Incident records (YAML) and their Slack channel exports are "
            "added on the Ingest page.", icon=":material/inbox:")
    st.stop()

by_id = {i.id: i for i in incidents}
incident_id = st.selectbox(
    "Incident", list(by_id), key=f"incident-{account}",
    format_func=lambda i: f"{i} · {by_id[i].priority} · {by_id[i].status} · "
                          f"{by_id[i].title} · {when(by_id[i].started_at)}")
incident = by_id[incident_id]
st.caption(inert(f"{incident.priority} · {incident.status} · started {when(incident.started_at)}"
                 + (f" · resolved {when(incident.resolved_at)}" if incident.resolved_at else "")
                 + (f" · channel #{incident.channel}" if incident.channel else "")
                 + (f" · tickets {', '.join(incident.related_tickets)}" if incident.related_tickets else "")))


@st.fragment(run_every=30)
def countdown(label: str, due_at: datetime, note: str) -> None:
    """A countdown that refreshes itself every 30 seconds."""
    left = (due_at - datetime.now(timezone.utc)).total_seconds() / 60
    value = f"in {format_minutes(left)}" if left >= 0 else f"overdue by {format_minutes(left)}"
    st.metric(label, value, delta=f"due {when(due_at)}", delta_color="off" if left >= 0 else "inverse",
              delta_arrow="off", border=True)
    st.caption(note)


TABS = {"update": "Customer update", "pir": "Post-incident review (PIR)"}
update_tab, pir_tab = st.tabs(list(TABS.values()), default=TABS.get(state.take_incident_tab() or ""))

with update_tab:
    with guard("work out when the next update is due"):
        clock = copilot.incident_clock(incident_id, as_of=state.as_of())
        if clock is None:
            st.caption("The incident is resolved: no further update is due on the SLA clock.")
        else:
            countdown("Next customer update (SLA clock)", clock.due_at,
                      f"{clock.reason}; counted from {when(clock.started_at)}.")
    modes = ["Now", "A moment during the incident"]
    moment = st.radio("Write the update as of", modes, horizontal=True, key=f"asof-mode-{incident_id}",
                      index=1 if incident.status == "resolved" else 0,
                      help="An update only states what the records show at that moment. For a resolved "
                           "incident, pick a moment while it was open to see the update that was due then.")
    as_of = state.as_of()
    if moment != "Now":
        day_col, time_col = st.columns(2)
        default = incident.engaged_at or incident.detected_at or incident.started_at
        day = day_col.date_input("Date (UTC)", value=default.date(), key=f"asof-day-{incident_id}")
        hour = time_col.time_input("Time (UTC)", value=time(default.hour, default.minute), step=300,
                                   key=f"asof-time-{incident_id}")
        as_of = datetime.combine(day, hour, tzinfo=timezone.utc)
    slot = f"update:{incident_id}"
    if st.button("Draft customer update", type="primary", icon=":material/edit_document:",
                 key=f"draft-update-{incident_id}"):
        with guard("draft the customer update"), st.spinner("Drafting the update and running the guardrails…"):
            state.put_draft(slot, copilot.draft("incident_update", incident_id, as_of=as_of))
    update = state.draft(slot)
    if update is not None:
        due, written = update.facts.get("next_update_at"), update.facts.get("as_of")
        if due:
            due_at = pd.Timestamp(due).to_pydatetime()
            written_at = pd.Timestamp(written).to_pydatetime() if written else None
            note = (f"This update commits to the next one at {when(due_at)} "
                    f"(the {incident.priority} update cadence after {when(written_at)}).")
            if written_at and (datetime.now(timezone.utc) - written_at).total_seconds() > 300:
                st.metric("Next update promised by this draft", when(due_at), border=True)
                st.caption(note + " It is written as of a past moment, so there is no live countdown.")
            else:
                countdown("Next update promised by this draft", due_at, note)
        draft_workspace(slot)

with pir_tab:
    rows = []
    with guard("build the PIR timeline"):
        rows = [{**r.model_dump(), "milestone": r.milestone or NO_MILESTONE} for r in copilot.pir_rows(incident_id)]
    st.markdown("**Timeline** — edit times, milestones or wording; add or delete rows. Every entry keeps its "
                "source so the guardrails can trace it.")
    table_key = f"pir-table-{incident_id}"
    edited = st.data_editor(
        pd.DataFrame(rows, columns=["time_utc", "milestone", "entry", "sources"]), key=table_key,
        num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "time_utc": st.column_config.DatetimeColumn("Time (UTC)", format="YYYY-MM-DD HH:mm", timezone="UTC",
                                                        required=True),
            "milestone": st.column_config.SelectboxColumn("Milestone", options=MILESTONES),
            "entry": st.column_config.TextColumn("Entry", width="large"),
            "sources": st.column_config.TextColumn("Sources"),
        })
    edited_rows = [{**r, "milestone": "" if r.get("milestone") in (NO_MILESTONE, None) else r["milestone"]}
                   for r in edited.to_dict("records")]
    changes = st.session_state.get(table_key) or {}
    was_edited = any(changes.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))

    durations_col, problems_col = st.columns([2, 3])
    with durations_col:
        st.markdown("**Durations** (from impact start, recomputed from the table)")
        with guard("compute the durations"):
            st.dataframe(pd.DataFrame([{"Duration": d.label, "Value": d.text, "Note": d.problem}
                                       for d in durations_from_rows(edited_rows)]),
                         hide_index=True, width="stretch")
    with problems_col:
        with guard("check the timeline"):
            for problem in timeline_problems(edited_rows):
                st.warning(problem, icon=":material/warning:")

    pir_slot = f"pir:{incident_id}"
    label = "Draft the PIR with the edited timeline" if was_edited else "Draft the PIR"
    if st.button(label, type="primary", icon=":material/edit_document:", key=f"draft-pir-{incident_id}"):
        with guard("draft the PIR"), st.spinner("Drafting the PIR and running the guardrails…"):
            pir = copilot.draft("pir_timeline", incident_id)
            if was_edited:
                pir = copilot.pir_with_timeline(pir, edited_rows)
            state.put_draft(pir_slot, pir)
    draft_workspace(pir_slot)
