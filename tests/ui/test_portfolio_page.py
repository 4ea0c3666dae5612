"""The console opens on the portfolio; an account row opens that account; an action drafts and opens it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_pages import assert_clean, run_page, texts


def test_the_console_opens_on_the_portfolio_ranked_with_today_stated(home_env: Path, copilot) -> None:
    at = run_page(None)
    assert texts(at.title)[0].endswith("Portfolio")
    expected = [r.account_id for r in copilot.portfolio().rows]
    opened = [b.key.removeprefix("open-") for b in at.button if (b.key or "").startswith("open-")]
    assert opened == expected and opened[0] == "harbor-line"
    assert at.session_state["account_id"] == "harbor-line"  # the sidebar starts on the account most at risk
    clock = copilot.clock()
    captions = " ".join(texts(at.caption))
    assert f"Today is **{clock.now:%Y-%m-%d %H:%M} UTC** (data snapshot)" in captions
    assert "Needs you today" in " ".join(texts(at.subheader))
    assert at.button(key="today-action-0").label == "Draft brief"  # the overdue P1 update on top
    scores = [m.value for m in at.metric if m.label == "Risk score"]
    assert scores == [str(r.risk_score) for r in copilot.portfolio().rows]


def test_the_portfolio_shows_the_kpis_the_kpis_command_prints(home_env: Path, copilot) -> None:
    at = run_page(None)
    assert_clean(at)
    report = copilot.kpis(None)  # the quarter holding "today", as `kpis --all` computes it
    labels = {k.label for k in report.kpis}
    shown = {m.label: m.value for m in at.metric if m.label in labels}
    expected = {k.label: k.current.text.split(" (")[0] for k in report.kpis if k.current.status == "ok"}
    assert shown == expected and expected
    table = next(df.value for df in at.dataframe if "scope" in getattr(df.value, "columns", []))
    assert set(table["scope"]) == {"portfolio", *(a.account_name for a in report.accounts)}
    unsupported = [k for k in report.kpis if k.current.status != "ok"]
    for k in unsupported:  # a KPI the records cannot give says why instead of showing 0
        assert k.current.text in set(table[report.quarter])


def test_an_account_row_opens_the_account_page(home_env: Path) -> None:
    at = run_page(None)
    at.button(key="open-harbor-line").click().run()
    assert_clean(at)
    assert at.session_state["account_id"] == "harbor-line"
    assert texts(at.title)[0].endswith("Escalations")
    assert any(b.key == "draft-brief-ZD-4347" for b in at.button)


def test_a_rows_records_are_one_click_away(home_env: Path) -> None:
    at = run_page(None)
    at.toggle(key="records-harbor-line").set_value(True).run()
    assert_clean(at)
    shown = " ".join(t.value for t in at.text)
    assert "Marcus Bell" in shown  # plan stakeholders: the champion who left
    assert "[ZD-4347]" in shown  # the open P1 ticket itself
    assert "ShipNimbus" in shown  # the competitor evaluation the churn signal cites


def test_an_action_drafts_the_item_and_opens_it_on_the_account_page(home_env: Path, copilot) -> None:
    at = run_page(None)
    item = copilot.portfolio().needs_you_today[0]
    at.button(key="today-action-0").click().run()
    assert_clean(at)
    assert at.session_state["account_id"] == item.account_id
    draft = at.session_state["drafts"][f"brief:{item.action_subject}"]
    assert draft.kind == "escalation_brief" and draft.subject_id == item.action_subject
    assert f"Escalation brief: {item.action_subject}" in texts(at.subheader)


def test_changing_today_moves_the_portfolio(home_env: Path) -> None:
    at = run_page(None)
    before = [m.value for m in at.metric if m.label == "Risk score"]
    at.sidebar.date_input(key="clock-day").set_value(date(2026, 3, 1))
    at.sidebar.button(key="clock-set").click().run()
    assert_clean(at)
    assert "Today is **2026-03-01" in " ".join(texts(at.caption)) and "(given)" in " ".join(texts(at.caption))
    assert [m.value for m in at.metric if m.label == "Risk score"] != before


@pytest.mark.parametrize("action", ["update", "pir", "qbr"])
def test_each_kind_of_action_opens_its_draft_on_the_account_page(home_env: Path, copilot, action: str) -> None:
    items = copilot.portfolio().needs_you_today
    n, item = next((n, i) for n, i in enumerate(items) if i.action == action)
    at = run_page(None)
    at.button(key=f"today-action-{n}").click().run()
    assert_clean(at)
    assert at.session_state["account_id"] == item.account_id
    page, slot, heading = {
        "update": ("Incidents", f"update:{item.action_subject}", f"Incident update: {item.action_subject}"),
        "pir": ("Incidents", f"pir:{item.action_subject}", f"PIR: {item.action_subject}"),
        "qbr": ("QBR", f"qbr:{item.account_id}:{item.quarter}", f"QBR narrative: {item.account_id}:{item.quarter}"),
    }[action]
    assert texts(at.title)[0].endswith(page)
    assert at.session_state["drafts"][slot] is not None
    assert heading in texts(at.subheader)
    if action == "qbr":
        assert at.selectbox(key=f"qbr-quarter-{item.account_id}").value == item.quarter
    else:
        assert at.selectbox(key=f"incident-{item.account_id}").value == item.action_subject
