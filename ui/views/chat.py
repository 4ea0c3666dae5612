"""Chat over the picked account's history (plus shared runbooks), with numbered citations."""

from __future__ import annotations

import streamlit as st

from copilot import EXTRACTIVE_NOTE, allowed_hosts_of, inert
from ui import state
from ui.components import citations, guard

st.title(":material/forum: Chat")
account = state.require_account()
copilot = state.copilot()
history = state.chat_history(account)
hosts = allowed_hosts_of(copilot.store.plan(account))

left, right = st.columns([5, 1], vertical_alignment="bottom")
left.caption(f"Answers come only from **{account}**'s tickets, incidents and plan, plus the shared runbooks; "
             "each cites its sources. The conversation is kept for this session.")
if right.button("Clear chat", icon=":material/delete_sweep:", disabled=not history):
    history.clear()
    st.rerun()


def _show_answer(turn: dict) -> None:
    answer = turn.get("answer")
    if answer is None:
        st.markdown(inert(turn["content"]))
        return
    text = answer["answer"]
    if answer.get("extractive"):
        st.info("Extractive answer: no LLM is configured, so these are the most relevant passages quoted from "
                "the sources (set COPILOT_BACKEND to an LLM for prose answers).", icon=":material/format_quote:")
        text = text.removeprefix(EXTRACTIVE_NOTE).lstrip("\n")
    st.markdown(inert(text, hosts))
    if answer["citations"]:
        st.caption("Sources (expand to read the passage):")
        citations(answer["citations"], turn.get("passages", {}), key=str(id(turn)), allowed_hosts=sorted(hosts))


question = st.chat_input(f"Ask about {account}'s history…")
if not history and not question:
    st.caption("Try: *what is the status of the open P1?*, *which runbook applies to 504s?*, "
               "*what did we promise at the last QBR?*")
for turn in history:
    with st.chat_message(turn["role"]):
        _show_answer(turn)

if question and question.strip():
    history.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(inert(question))
    with st.chat_message("assistant"):
        with guard("answer the question"), st.spinner("Searching this account's history…"):
            answer = copilot.ask(account, question)
            sources = [c.source_id for c in answer.citations]
            turn = {"role": "assistant", "content": answer.answer,
                    "answer": answer.model_dump(mode="json"),
                    "passages": copilot.source_passages(account, sources)}
            history.append(turn)
            _show_answer(turn)
