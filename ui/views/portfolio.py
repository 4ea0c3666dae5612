"""Portfolio (the console's home): which account needs me today, and why.

Every figure comes from ``Copilot.portfolio`` / ``Copilot.risk_register``; this page only draws them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from copilot import inert, register_csv, register_markdown, short_money
from ui import state
from ui.components import guard, when

HEALTH_COLOR = {"green": "green", "yellow": "orange", "red": "red"}
ACTION_LABEL = {"update": "Draft update", "brief": "Draft brief", "pir": "Draft PIR", "qbr": "Draft QBR"}
ACTION_KIND = {"update": "incident_update", "brief": "escalation_brief", "pir": "pir_timeline",
               "qbr": "qbr_narrative"}
ACCOUNT_PAGE = {"update": "views/incidents.py", "brief": "views/escalations.py", "pir": "views/incidents.py",
                "qbr": "views/qbr.py"}
SHOWN_ITEMS = 8  # items of "Needs you today" shown before the rest fold away (no bare string: st.write magic)

st.title(":material/dashboard: Portfolio")
copilot = state.copilot()
if not copilot.accounts():
    st.info("No accounts yet. Open **Ingest** to add account files (or start the console with "
            "`python -m copilot ui`, which ingests the sample data).", icon=":material/input:")
    st.page_link("views/ingest.py", label="Go to Ingest", icon=":material/input:")
    st.stop()


def open_account(account_id: str, page: str = "views/escalations.py") -> None:
    state.set_account(account_id)
    st.switch_page(page)


def _draft(item) -> None:
    """Draft what ``item`` asks for, keep it where the account page shows it, and open that page."""
    kind = ACTION_KIND[item.action]
    slot = {"update": f"update:{item.action_subject}", "brief": f"brief:{item.action_subject}",
            "pir": f"pir:{item.action_subject}", "qbr": f"qbr:{item.action_subject}:{item.quarter}"}[item.action]
    with guard(f"draft the {ACTION_LABEL[item.action][6:]} for {item.action_subject}"), \
            st.spinner(f"Drafting for {item.action_subject} and running the guardrails…"):
        draft = copilot.draft(kind, item.action_subject, as_of=state.as_of(), quarter=item.quarter)
        state.put_draft(slot, draft)
        state.select_subject(item.account_id, item.action, item.action_subject, item.quarter)
        open_account(item.account_id, ACCOUNT_PAGE[item.action])


def _today_item(n: int, item) -> None:
    with st.container(border=True, key=f"today-{n}"):
        badge, about, actions = st.columns([1.2, 6, 2.6], vertical_alignment="center")
        badge.markdown(":red[**overdue**]" if item.overdue else ":orange[**due**]")
        badge.caption(when(item.due_at))
        about.markdown(f"**{inert(item.account_name)}** · {inert(item.title)}")
        about.caption(inert(item.detail) + " · records: " + _ids(item.source_ids))
        if actions.button(ACTION_LABEL[item.action], key=f"today-action-{n}", icon=":material/edit_document:",
                          type="primary" if item.overdue else "secondary"):
            _draft(item)
        if actions.button("Open account", key=f"today-open-{n}", type="tertiary"):
            open_account(item.account_id, ACCOUNT_PAGE[item.action])


def _row(row) -> None:
    with st.container(border=True, key=f"account-{row.account_id}"):
        rank, name, renewal, work, score = st.columns([0.5, 3.4, 2.6, 2.6, 1.6], vertical_alignment="center")
        rank.markdown(f"### {row.rank}")
        dot = f":{HEALTH_COLOR.get(row.health.value, 'gray')}[:material/fiber_manual_record:]"
        if name.button(row.name, key=f"open-{row.account_id}", type="tertiary", icon=":material/open_in_new:"):
            open_account(row.account_id)
        name.caption(f"{dot} {row.health.value} · {row.tier.value} · {short_money(row.arr.value, row.currency)}")
        step = row.renewal_step
        renewal.markdown(f"Renewal in **{row.days_to_renewal.value} d**" if row.days_to_renewal.value >= 0
                         else "Renewal date **passed**")
        renewal.caption(f"{step.days_before}-day step: {step.activity}; due by {step.due_by.isoformat()}" if step
                        else "renewal timeline not started")
        breached = sum(c.clock.risk == "breached" for c in row.clocks_at_risk)
        work.markdown(f"P1 **{row.open_p1.value}** · P2 **{row.open_p2.value}** · incidents "
                      f"**{row.active_incidents.value}**")
        kinds = list(dict.fromkeys(s.kind.replace("_", " ") for s in row.churn_signals))
        work.caption(f"SLA clocks: {breached} breached, {len(row.clocks_at_risk) - breached} at risk · "
                     f"churn: {', '.join(kinds) or 'none'} · 3×3 {'met' if row.stakeholder_coverage.met else 'gaps'}")
        score.metric("Risk score", row.risk_score, border=False)
        with st.expander(f"Why {row.risk_score} points, and the records behind each figure"):
            _evidence(row)


def _ids(ids: list[str]) -> str:
    """Record ids as text (character references do not work inside code spans, so no backticks)."""
    return ", ".join(inert(i) for i in ids) or "—"


def _evidence(row) -> None:
    st.dataframe(pd.DataFrame([{"component": c.component, "points": c.points, "reason": c.reason,
                                "records": " ".join(c.source_ids)} for c in row.score]),
                 hide_index=True, width="stretch", key=f"score-{row.account_id}")
    lines = [
        f"- health **{row.health.value}**, tier **{row.tier.value}**, ARR **{row.arr.value:,.0f} {row.currency}**: "
        f"{_ids(row.arr.source_ids + row.health.source_ids)}",
        f"- {inert(row.renewal_position)} {_ids(row.days_to_renewal.source_ids)}",
        f"- open P1 **{row.open_p1.value}**: {_ids(row.open_p1.source_ids)} · open P2 **{row.open_p2.value}**: "
        f"{_ids(row.open_p2.source_ids)} · incidents not resolved: {_ids(row.active_incidents.source_ids)}",
    ]
    lines += [f"- SLA {inert(c.subject_id)} ({c.priority}): {inert(c.clock.reason)}" for c in row.clocks_at_risk]
    lines += [f"- churn · {s.kind.replace('_', ' ')}: “{inert(s.evidence.value)}” {_ids(s.evidence.source_ids)}"
              for s in row.churn_signals]
    cov = row.stakeholder_coverage
    lines.append(f"- stakeholder coverage: {'met' if cov.met else inert('; '.join(cov.gaps))} {_ids(cov.source_ids)}")
    st.markdown("\n".join(lines))
    if st.toggle("Show the records' text", key=f"records-{row.account_id}"):
        _records(row)


def _records(row) -> None:
    """The indexed text of every record the row cites (plan sections, tickets, comments, incidents)."""
    ids = list(dict.fromkeys(sid for c in row.score for sid in c.source_ids))
    ids += [sid for s in row.churn_signals for sid in s.evidence.source_ids if sid not in ids]
    passages = copilot.source_passages(row.account_id, ids)
    for sid in ids:
        st.caption(f"**{inert(sid)}**")
        st.text(passages.get(sid) or "(the account plan file as a whole: health and SLA targets)")


def _kpis(as_of) -> None:
    """The portfolio's KPIs this quarter with the trend (the same figures as ``kpis --all --json``)."""
    report = copilot.kpis(None, as_of=as_of)
    with st.container(key="portfolio-kpis"):
        st.subheader(f":material/monitoring: KPIs, {report.quarter}")
        lines = [line for line in report.kpis if line.current.status == "ok"]
        for col, line in zip(st.columns(max(len(lines), 1)), lines):
            delta = line.trend.delta if line.trend.assessment != "n/a" else None
            col.metric(line.label, line.current.text.split(" (")[0], delta=line.trend.text if delta else None,
                       delta_color="normal" if line.current.higher_is_better else "inverse", border=True)
        with st.expander("Every KPI, per account, with the records behind it"):
            scopes = [("portfolio", report.kpis)] + [(a.account_name, a.kpis) for a in report.accounts]
            st.dataframe(pd.DataFrame([{"scope": scope, "kpi": k.label, report.quarter: k.current.text,
                                        report.previous_quarter: k.previous.text, "trend": k.trend.text,
                                        "records": ", ".join(k.current.source_ids) or "—"}
                                       for scope, lines in scopes for k in lines]),
                         hide_index=True, width="stretch", key="kpi-table")


def _register(as_of) -> None:
    entries = copilot.risk_register(as_of=as_of)
    st.dataframe(pd.DataFrame([{**e.model_dump(mode="json"), "evidence": " ".join(e.evidence)} for e in entries]),
                 hide_index=True, width="stretch", key="register-table")
    stamp = f"{as_of:%Y%m%d}"
    left, right = st.columns(2)
    left.download_button("Export CSV", register_csv(entries), file_name=f"risk-register-{stamp}.csv",
                         mime="text/csv", key="register-csv", icon=":material/download:")
    right.download_button("Export Markdown", register_markdown(entries), file_name=f"risk-register-{stamp}.md",
                          mime="text/markdown", key="register-md", icon=":material/download:")


with guard("load the portfolio"):
    home = copilot.portfolio(as_of=state.as_of())
    st.caption(f":material/schedule: Today is **{home.as_of:%Y-%m-%d %H:%M} UTC** ({home.as_of_source}). "
               + ("This home looks like a snapshot, so today is its newest record. " if home.as_of_source ==
                  "data snapshot" else "")
               + "Change it under **Change the time** in the sidebar.")

    _kpis(home.as_of)

    st.subheader(":material/today: Needs you today")
    items = home.needs_you_today
    if not items:
        st.success("Nothing is due: no customer update, renewal step, QBR, PIR or corrective action.",
                   icon=":material/task_alt:")
    for n, item in enumerate(items[:SHOWN_ITEMS]):
        _today_item(n, item)
    if len(items) > SHOWN_ITEMS:
        with st.expander(f"{len(items) - SHOWN_ITEMS} more"):
            for n, item in enumerate(items[SHOWN_ITEMS:], SHOWN_ITEMS):
                _today_item(n, item)

    st.subheader(":material/leaderboard: Accounts by risk")
    st.caption(f"Ranked by the risk score: the sum of the rules below (churn signals read over the last "
               f"{home.signal_window_days} days). Open a row's details to see which rule added how much, from which "
               "records.")
    with st.expander("How the risk score is computed"):
        st.markdown("\n".join(f"- **{k}**: {v}" for k, v in home.score_rules.items()))
    for row in home.rows:
        _row(row)

st.subheader(":material/report: Risk register")
with guard("build the risk register"):
    _register(copilot.clock(state.as_of()).now)
