"""Review queue: drafts awaiting approval; diff, findings, approve / reject / override; audit; export."""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd
import streamlit as st

from copilot import change_rows, inert, provenance_view
from ui import state
from ui.components import callback, findings_panel, guard, pending_error, render_draft, when
from ui.workspace import KIND_LABEL, reviewer_name, section_picker, writers_table

STATUS_BADGE = {"draft": "held", "in_review": "in review", "approved": "approved", "rejected": "rejected"}
STATUS_ICON = {"draft": ":material/edit_document:", "in_review": ":material/hourglass_top:",
               "approved": ":material/task_alt:", "rejected": ":material/cancel:"}
FILTERS = {"Awaiting approval": "in_review", "Held (not sent)": "draft", "Approved": "approved",
           "Rejected": "rejected", "All": None}
SELECTED = "review-open"
FOCUS = "review_selected"  # set by other pages (a plain key, not a widget key)

st.title(":material/task_alt: Review queue")
copilot = state.copilot()
account = state.account_id()

top_left, top_right = st.columns([3, 2])
status_label = top_left.radio("Show", list(FILTERS), horizontal=True, key="review-filter")
only_account = top_right.toggle(f"Only {account}" if account else "Only this account", value=bool(account),
                                key="review-only-account", disabled=account is None)

items = []
with guard("load the review queue"):
    items = copilot.review.list(status=FILTERS[status_label], account_id=account if only_account else None)
if not items:
    st.info("Nothing here. Draft something on the Escalations, Incidents or QBR page and send it to review.",
            icon=":material/inbox:")
    st.stop()

labels = {i.id: f"{i.id} · {STATUS_BADGE[i.status]} · {KIND_LABEL.get(i.kind, i.kind)} · {i.subject_id} · "
                f"{i.account_id} · {len(i.blocking)} blocking" for i in items}
ids = list(labels)
focus = st.session_state.pop(FOCUS, None)
if focus in ids:
    st.session_state[SELECTED] = focus
if st.session_state.get(SELECTED) not in ids:
    st.session_state[SELECTED] = ids[0]
st.dataframe(pd.DataFrame([{"Review": i.id, "Status": STATUS_BADGE[i.status], "Kind": KIND_LABEL.get(i.kind, i.kind),
                            "Subject": i.subject_id, "Account": i.account_id, "Revision": i.revision,
                            "Blocking": len(i.blocking), "Findings": len(i.findings),
                            "Submitted by": i.created_by, "Updated": when(i.updated_at)} for i in items]),
             hide_index=True, width="stretch")
review_id = st.selectbox("Open", ids, key=SELECTED, format_func=lambda r: labels[r])

item = None
with guard(f"open review {review_id}"):
    item = copilot.review.get(review_id)
if item is None:
    st.stop()

# --- actions (callbacks: they run before the page redraws, so it shows the result) ----------


def _approve(rid: str, name_key: str, version: int) -> None:
    copilot.review.approve(rid, st.session_state.get(name_key, "").strip(), expected_version=version)
    st.session_state["review-filter"] = "Approved"
    st.session_state[FOCUS] = rid


def _reject(rid: str, name_key: str, reason_key: str, version: int) -> None:
    copilot.review.reject(rid, st.session_state.get(name_key, "").strip(), st.session_state.get(reason_key, ""),
                          expected_version=version)
    st.session_state["review-filter"] = "Rejected"
    st.session_state[FOCUS] = rid


def _override(rid: str, name_key: str, check_key: str, reason_key: str, version: int) -> None:
    copilot.review.override(rid, st.session_state.get(check_key) or "", st.session_state.get(name_key, "").strip(),
                            st.session_state.get(reason_key, ""), expected_version=version)
    st.session_state[reason_key] = ""


def _edit(rid: str, name_key: str, text_key: str, version: int) -> None:
    copilot.review.edit(rid, st.session_state[text_key], st.session_state.get(name_key, "").strip(),
                        expected_version=version)
    if st.session_state.get("review-filter") == "Rejected":  # an edit reopens a rejected draft
        st.session_state["review-filter"] = "Awaiting approval"
    st.session_state[FOCUS] = rid


def _redraft(rid: str, name_key: str, section_key: str, backend_key: str) -> None:
    copilot.redraft_review_section(rid, st.session_state[section_key], st.session_state.get(name_key, "").strip(),
                                   backend=st.session_state[backend_key])
    if st.session_state.get("review-filter") == "Rejected":  # a new revision reopens a rejected draft
        st.session_state["review-filter"] = "Awaiting approval"
    st.session_state[FOCUS] = rid


def _provenance(p: dict) -> None:
    """How the current revision was made (what ``review show`` prints)."""
    view = provenance_view(p)
    with st.expander("Provenance", icon=":material/fingerprint:"):
        for line in view.summary:
            st.caption(inert(line))
        st.markdown("**Who wrote each section**")
        st.dataframe(view.sections, hide_index=True, width="stretch")
        if view.facts:
            st.markdown("**Fact table** (the model named facts by key; the values come from these sources)")
            st.dataframe(view.facts, hide_index=True, width="stretch")
        if view.dropped:
            st.markdown("**Dropped statements**")
            st.dataframe(view.dropped, hide_index=True, width="stretch")
        st.markdown("**Audit record**")
        st.json(view.record, expanded=False)


def _export(rid: str, name_key: str) -> None:
    out = Path(copilot.settings.home) / "exports" / f"{rid}.md"
    path = copilot.review.export(rid, out, actor=st.session_state.get(name_key, "").strip() or None)
    st.session_state.setdefault("exports", {})[rid] = str(path)


# --- the review ------------------------------------------------------------------------------

slot = f"review:{item.id}"
st.subheader(inert(f"{item.id}: {item.title or KIND_LABEL.get(item.kind, item.kind)}"))
kind_label = KIND_LABEL.get(item.kind, item.kind)
st.caption(f"{STATUS_ICON[item.status]} {STATUS_BADGE[item.status]} · {kind_label} for {item.subject_id} "
           f"({item.account_id}) · revision {item.revision} · submitted by {item.created_by} "
           f"{when(item.created_at)} · sha256 {item.content_hash[:12]}…"
           + (f" · {item.status} by {item.decided_by} {when(item.decided_at)}" if item.decided_by else "")
           + (f" · reason: {inert(item.decision_reason)}" if item.decision_reason else ""))
pending_error(slot)

text_col, side_col = st.columns([3, 2], gap="large")
with text_col:
    text_tab, diff_tab, edit_tab, audit_tab = st.tabs(["Current text", "Diff between revisions", "Edit",
                                                       "Audit trail"])
    with text_tab:
        render_draft(item.markdown, item.findings, key=f"review-{item.id}")
    with diff_tab:
        numbers = [r.n for r in item.revisions]
        if len(numbers) < 2:
            st.info("Only one revision so far: edit the text to create another, then compare them here.")
        else:
            a, b = st.columns(2)
            at_revision = f"{item.id}-{item.revision}"  # a new revision opens on the latest change
            old = a.selectbox("From revision", numbers, index=len(numbers) - 2, key=f"diff-old-{at_revision}")
            new = b.selectbox("To revision", numbers, index=len(numbers) - 1, key=f"diff-new-{at_revision}")
            by_n = {r.n: r for r in item.revisions}
            diff = "".join(difflib.unified_diff(by_n[old].markdown.splitlines(keepends=True),
                                                by_n[new].markdown.splitlines(keepends=True),
                                                fromfile=f"revision {old} ({by_n[old].author})",
                                                tofile=f"revision {new} ({by_n[new].author})"))
            with guard("compare the sections"):
                st.dataframe(change_rows(copilot.review.diff(item.id, old, new)), hide_index=True, width="stretch")
            st.code(diff or "(no differences)", language="diff")
            st.caption(f"Revision {old}: {len(by_n[old].report.findings)} findings · revision {new}: "
                       f"{len(by_n[new].report.findings)} findings")
    with edit_tab:
        if item.status == "approved":
            st.info("Approved drafts are final. Draft again and submit a new one to change it.")
        else:
            text_key = f"review-text-{item.id}-{item.revision}"
            st.text_area("Markdown (saved as a new revision, re-checked by the guardrails)", value=item.markdown,
                         height=480, key=text_key)
            edit_name = reviewer_name(f"edit-{item.id}")
            st.button("Save as a new revision", icon=":material/save:", key=f"save-{item.id}", disabled=not edit_name,
                      on_click=callback, args=(slot, f"save the edit to {item.id}", _edit, item.id,
                                               f"name-edit-{item.id}", text_key, item.version))
            st.markdown("**Redraft a section** (a new revision; the other sections stay as they are)")
            with guard(f"load the draft of {item.id}"):
                current = copilot.review.current_draft(item.id)
                section_key, backend_key = section_picker(current, f"review-{item.id}")
                st.button("Redraft section", icon=":material/autorenew:", key=f"redraft-{item.id}",
                          disabled=not edit_name, help=None if edit_name else "Type your name first",
                          on_click=callback, args=(slot, f"redraft a section of {item.id}", _redraft, item.id,
                                                   f"name-edit-{item.id}", section_key, backend_key))
                writers_table(current)
    with audit_tab:
        st.dataframe(pd.DataFrame([{"#": e.id, "When": when(e.at), "Who": e.actor, "Action": e.action,
                                    "Revision": e.revision, "Detail": ", ".join(f"{k}: {v}" for k, v in e.detail.items()
                                                                                if k != "markdown")}
                                   for e in item.audit]), hide_index=True, width="stretch")
    _provenance(item.provenance)

with side_col:
    findings_panel(item.findings, item.markdown, key=f"review-{item.id}")
    st.subheader("Decision")
    name = reviewer_name(f"review-{item.id}")
    name_key = f"name-review-{item.id}"
    if item.status == "approved":
        st.success(f"Approved by {item.decided_by} {when(item.decided_at)}.", icon=":material/task_alt:")
        st.button("Export Markdown", type="primary", icon=":material/ios_share:", key=f"export-{item.id}",
                  on_click=callback, args=(slot, f"export {item.id}", _export, item.id, name_key))
        exported = st.session_state.get("exports", {}).get(item.id)
        if exported and Path(exported).is_file():
            st.success(f"Exported to `{exported}`", icon=":material/description:")
            st.download_button("Download the exported brief", Path(exported).read_bytes(),
                               file_name=Path(exported).name, mime="text/markdown", icon=":material/download:",
                               key=f"download-{item.id}")
    elif item.status in ("in_review", "draft"):
        if item.status == "draft":
            st.info("Held: not sent for review yet.")
        blocking_checks = sorted({f.check for f in item.blocking})
        if item.blocking:
            st.warning(f"Approval is blocked by {len(item.blocking)} finding(s) from: {', '.join(blocking_checks)}. "
                       "Fix the text (Edit tab) or override each check with a written reason.", icon=":material/block:")
        st.button("Approve", type="primary", icon=":material/task_alt:", key=f"approve-{item.id}",
                  disabled=not name or not item.approvable,
                  help="Type your name first" if not name else (None if item.approvable else
                                                                "A blocking finding stands un-overridden"),
                  on_click=callback, args=(slot, f"approve {item.id}", _approve, item.id, name_key, item.version))
        if blocking_checks:
            with st.expander("Override a blocking finding", expanded=True):
                st.selectbox("Check", blocking_checks, key=f"override-check-{item.id}")
                st.text_area("Reason (kept in the audit trail)", key=f"override-reason-{item.id}",
                             placeholder="e.g. The date was confirmed by the customer on the call.")
                st.button("Override with this reason", icon=":material/shield:", key=f"override-{item.id}",
                          disabled=not name,
                          on_click=callback, args=(slot, f"override the finding on {item.id}", _override, item.id,
                                                   name_key, f"override-check-{item.id}",
                                                   f"override-reason-{item.id}", item.version))
        with st.expander("Reject"):
            st.text_area("Reason", key=f"reject-reason-{item.id}", placeholder="What has to change")
            st.button("Reject", icon=":material/cancel:", key=f"reject-{item.id}", disabled=not name,
                      on_click=callback, args=(slot, f"reject {item.id}", _reject, item.id, name_key,
                                               f"reject-reason-{item.id}", item.version))
    else:
        st.error(f"Rejected by {inert(item.decided_by)} {when(item.decided_at)}: {inert(item.decision_reason)}. "
                 "Editing the text (Edit tab) reopens it.", icon=":material/cancel:")
    if item.overrides:
        st.caption("Overrides")
        st.dataframe(pd.DataFrame([{"Check": o.check, "Revision": o.revision, "By": o.reviewer, "Reason": o.reason,
                                    "When": when(o.at)} for o in item.overrides]), hide_index=True, width="stretch")
