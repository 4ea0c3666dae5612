"""Ingest: add files or a folder, watch the progress, act on the quarantine report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from copilot import stage_uploads
from ui import state
from ui.components import guard, when

st.title(":material/input: Ingest")
copilot = state.copilot()
st.caption(f"Records, index, drafts and audit log live in `{copilot.settings.home}`. Ingest is idempotent: "
           "files already indexed are not embedded again. Formats: account plans (YAML), Zendesk/Jira JSON, "
           "CSV tickets and comments, Slack channel exports, incident YAML, Markdown runbooks.")

STAGES = {"parse": "Reading files", "embed": "Embedding passages"}


def _run_ingest(paths: list[Path]) -> None:
    bar = st.progress(0.0, text="Starting…")

    def progress(stage: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        bar.progress(min(1.0, share), text=f"{STAGES.get(stage, stage)}: {done} of {total}")

    with guard("ingest the files"):
        report = copilot.ingest(paths, progress=progress)
        bar.progress(1.0, text="Done")
        st.session_state["ingest_report"] = report.model_dump(mode="json")
        st.rerun()


upload_tab, folder_tab = st.tabs(["Upload files or a folder", "A folder on this machine"])
with upload_tab:
    files = st.file_uploader("Files", accept_multiple_files=True, key="ingest-files",
                             help="Several files at once; a Slack export is a folder, use the folder option for it.")
    folder_files = st.file_uploader("…or a whole folder", accept_multiple_files="directory", key="ingest-folder")
    chosen = list(files or []) + list(folder_files or [])
    if st.button("Ingest uploaded files", type="primary", icon=":material/input:", disabled=not chosen,
                 key="ingest-upload"):
        with guard("save the uploaded files"):
            folder = stage_uploads(copilot.settings.home, [(f.name, f.getvalue()) for f in chosen])
            st.caption(f"Saved {len(chosen)} files to `{folder}`.")
            _run_ingest([folder])
with folder_tab:
    path = st.text_input("Folder or file path", placeholder="/data/exports/northwind or data/sample",
                         key="ingest-path")
    if st.button("Ingest this path", type="primary", icon=":material/folder_open:", disabled=not path.strip(),
                 key="ingest-path-go"):
        target = Path(path.strip()).expanduser()
        if not target.exists():
            st.error(f"`{target}` does not exist on the machine running the console. Check the path (it is read "
                     "by the server, not your browser), or upload the files instead.", icon=":material/warning:")
        else:
            _run_ingest([target])

report = st.session_state.get("ingest_report")
st.divider()
if report:
    st.subheader("Last ingest in this session")
    cols = st.columns(5)
    for col, (label, value) in zip(cols, [("Accounts", report["accounts"]), ("Tickets", report["tickets"]),
                                          ("Incidents", report["incidents"]), ("Runbooks", report["runbooks"]),
                                          ("Passages embedded", report["chunks_embedded"])], strict=True):
        col.metric(label, value)
    st.caption(f"{report['files_read']} files read, {report['files_failed']} unreadable · "
               f"{report['chunks_unchanged']} passages unchanged · {report['records_changed']} records changed · "
               f"{report['seconds']:.1f}s")
    quarantined = report["quarantined"]
else:
    with guard("read the last ingest"):
        status = copilot.index_status()
        st.subheader("Index")
        cols = st.columns(5)
        for col, (label, value) in zip(cols, [("Accounts", status.accounts), ("Tickets", status.tickets),
                                              ("Incidents", status.incidents), ("Runbooks", status.runbooks),
                                              ("Passages", status.chunks)], strict=True):
            col.metric(label, value)
        st.caption(f"Last ingest finished {when(status.last_ingest_at)}")
    quarantined = [q.model_dump() for q in copilot.last_quarantine()]

st.subheader("Quarantine report")
if not quarantined:
    st.success("Nothing quarantined: every row was ingested.", icon=":material/task_alt:")
else:
    were = "rows were" if len(quarantined) != 1 else "row was"
    st.warning(f"{len(quarantined)} {were} not ingested. Each row says which file and row, what was wrong, "
               "and what to do; fix the source and ingest it again (nothing else needs to be redone).",
               icon=":material/report:")
    table = pd.DataFrame(quarantined, columns=["file", "row", "reason", "action"]).rename(
        columns={"file": "File", "row": "Row", "reason": "What was wrong", "action": "What to do"})
    with st.container(key="quarantine-table"):
        if len(table) <= 50:  # a table that wraps, so every reason and action reads in full
            st.table(table.set_index("File"))
        else:
            st.dataframe(table, hide_index=True, width="stretch",
                         column_config={"What was wrong": st.column_config.TextColumn(width="large"),
                                        "What to do": st.column_config.TextColumn(width="large")})
    st.download_button("Download the quarantine report (CSV)", table.to_csv(index=False).encode("utf-8"),
                       file_name="quarantine.csv", mime="text/csv", icon=":material/download:")
