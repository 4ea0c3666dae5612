"""The draft workspace shared by every page that drafts: text with findings, scores, actions.

Actions call the service layer only: ``Copilot.recheck`` (guardrails over edited markdown),
``Copilot.redraft_section`` (one section written again by the template or the configured model) and
``Copilot.review.submit`` (send to review).
"""

from __future__ import annotations

import streamlit as st

from copilot import inert, redraft_backends, section_writers
from ui import state
from ui.components import callback, findings_panel, pending_error, render_draft, scores_panel, when

__all__ = ["KIND_LABEL", "draft_workspace", "reviewer_name", "section_picker", "writers_table"]

KIND_LABEL = {
    "escalation_brief": "Escalation brief",
    "incident_update": "Incident update",
    "pir_timeline": "PIR",
    "qbr_narrative": "QBR narrative",
}
NAME_KEY = "reviewer_name"


def reviewer_name(key: str) -> str:
    """The person's name for review actions (remembered for the session)."""
    widget = f"name-{key}"
    if widget not in st.session_state:
        st.session_state[widget] = st.session_state.get(NAME_KEY, "")
    name = st.text_input("Your name (recorded in the audit trail)", key=widget, placeholder="e.g. Alex Kim").strip()
    if name:
        st.session_state[NAME_KEY] = name
    return name


def _recheck(slot: str, text_key: str | None) -> None:
    draft = state.draft(slot)
    markdown = st.session_state[text_key] if text_key else draft.markdown
    state.put_draft(slot, state.copilot().recheck(draft, markdown))
    st.session_state[f"editing-{slot}"] = False


def _redraft(slot: str, section_key: str, backend_key: str) -> None:
    draft = state.draft(slot)
    state.put_draft(slot, state.copilot().redraft_section(draft, st.session_state[section_key],
                                                           backend=st.session_state[backend_key]))
    st.session_state[f"editing-{slot}"] = False


def section_picker(draft, key: str) -> tuple[str, str]:
    """A section of ``draft`` and a backend to write it again with; returns their widget keys."""
    titles = {s.name: s.title for s in draft.sections}
    section_col, backend_col = st.columns(2)
    section_key, backend_key = f"redraft-section-{key}", f"redraft-backend-{key}"
    section_col.selectbox("Section", list(titles), key=section_key, format_func=lambda n: titles.get(n, n))
    backend_col.selectbox("Backend", redraft_backends(state.copilot().settings.backend), key=backend_key,
                          help="template: the deterministic text from the records; a model: its prose, with the "
                               "facts filled in from the records")
    return section_key, backend_key


def writers_table(draft) -> None:
    """Which backend (or editor) wrote each section of ``draft``."""
    st.dataframe(section_writers(draft), hide_index=True, width="stretch")


def _redraft_panel(slot: str, draft, key: str) -> None:
    with st.expander("Redraft a section", icon=":material/autorenew:"):
        st.caption("Writes one section again; the other sections stay as they are, then the guardrails re-check "
                   "the whole draft.")
        section_key, backend_key = section_picker(draft, key)
        st.button("Redraft section", key=f"redraft-{slot}", icon=":material/autorenew:",
                  on_click=callback, args=(slot, "redraft the section", _redraft, slot, section_key, backend_key))
        writers_table(draft)


def _submit(slot: str, name_key: str) -> None:
    draft = state.draft(slot)
    item = state.copilot().review.submit(draft, st.session_state.get(name_key, "").strip())
    st.session_state.setdefault("submitted", {})[f"{slot}:{draft.content_hash}"] = item.id
    st.session_state["review_selected"] = item.id


def draft_workspace(slot: str) -> None:
    """Show the draft held in ``slot`` with its findings, scores and actions."""
    draft = state.draft(slot)
    if draft is None:
        return
    report = draft.guardrails
    findings = list(report.findings) if report else []
    kind = KIND_LABEL.get(draft.kind, draft.kind)
    key = _key(slot)
    with st.container(key=f"workspace-{key}"):
        st.subheader(f"{kind}: {inert(draft.subject_id)}")
        status = "no guardrail report" if report is None else (
            ":material/task_alt: passes the guardrails" if not report.blocking
            else f":material/block: {len(report.blocking)} blocking finding(s)")
        st.caption(f"{status} · backend {draft.backend} · prompt {draft.prompt_version or '—'} · "
                   f"drafted {when(draft.created_at)} · id {draft.id}")
        pending_error(slot)

        text_col, side_col = st.columns([3, 2], gap="large")
        with text_col:
            editing = st.toggle("Edit the text", key=f"editing-{slot}")
            if editing:
                text_key = f"text-{slot}-{draft.content_hash[:12]}"
                st.text_area("Markdown (the guardrails re-check exactly this text)", value=draft.markdown,
                             height=520, key=text_key)
                st.button("Re-check", key=f"recheck-{slot}", type="primary", icon=":material/refresh:",
                          on_click=callback, args=(slot, "re-check the edited draft", _recheck, slot, text_key))
            else:
                render_draft(draft.markdown, findings, key=key)
                st.button("Re-check", key=f"recheck-{slot}", icon=":material/refresh:",
                          help="Run the guardrails again over this text",
                          on_click=callback, args=(slot, "re-check the draft", _recheck, slot, None))
        with side_col:
            findings_panel(findings, draft.markdown, key=key)
            _redraft_panel(slot, draft, key)
            scores_panel(draft.scores or {})
            _send_to_review(slot, draft)


def _send_to_review(slot: str, draft) -> None:
    st.subheader("Send to review")
    submitted = st.session_state.get("submitted", {}).get(f"{slot}:{draft.content_hash}")
    if submitted:
        st.success(f"Sent to review as **{submitted}**. Approve it (or reject it) on the Review queue page.",
                   icon=":material/send:")
        st.page_link("views/review.py", label="Open the review queue", icon=":material/task_alt:")
        return
    name = reviewer_name(slot)
    st.button("Send to review", key=f"submit-{slot}", type="primary", icon=":material/send:", disabled=not name,
              help=None if name else "Type your name first: the audit trail records who sent it",
              on_click=callback, args=(slot, "send the draft to review", _submit, slot, f"name-{slot}"))


def _key(slot: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in slot)
