"""Every console page under ``streamlit.testing.v1.AppTest``, on the ingested sample data.

Each test starts the real app (``ui/app.py``: navigation + sidebar), switches to a page, and checks
it renders without an exception and shows its key widgets; the escalation test clicks the one-click
brief and checks the draft and its findings panel.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from copilot.console.charts import default_quarter

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "ui" / "app.py"

TIMEOUT = 180  # the first draft or answer loads the embedding model


def run_page(page: str | None, account: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if account:
        at.session_state["account_id"] = account
    at.run()
    assert_clean(at)
    if page:
        at.switch_page(page).run()
        assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def shown(text: str) -> str:
    """What a person sees of a Markdown string: record text is written with character references
    and escapes (copilot/console/safe_text.py), which render as the plain characters."""
    return html.unescape(str(text)).replace("\\[", "[").replace("\\]", "]")


def texts(elements) -> list[str]:
    return [shown(e.value) for e in elements]


def test_app_shows_sidebar_with_account_summary_backend_and_index(home_env: Path, copilot) -> None:
    at = run_page(None)
    accounts = [p.account.id for p in copilot.accounts()]
    picker = at.sidebar.selectbox(key="account-picker")
    assert picker.options and len(picker.options) == len(accounts)
    labels = {m.label for m in at.sidebar.metric}
    assert {"ARR", "Renewal in", "Open P1", "Open P2"} <= labels
    captions = " ".join(texts(at.sidebar.caption))
    assert "tier" in captions and "Renews" in captions and "Drafting backend: **template**" in captions
    assert "Index:" in captions and "Last ingest:" in captions
    # picking another account changes the summary
    if len(accounts) > 1:
        at.sidebar.selectbox(key="account-picker").select(accounts[1]).run()
        assert_clean(at)
        assert at.session_state["account_id"] == accounts[1]


def test_sidebar_states_the_clock_and_a_tam_can_change_it(home_env: Path, copilot) -> None:
    """The sample is a snapshot: "now" is its newest record, said so; a picked time replaces it."""
    from copilot.facts.clock import newest_activity

    at = run_page(None)
    newest = newest_activity(copilot.store.tickets(), copilot.store.incidents())
    captions = " ".join(texts(at.sidebar.caption))
    assert "(data snapshot)" in captions and f"{newest:%Y-%m-%d}" in captions
    renewal_before = next(m.value for m in at.sidebar.metric if m.label == "Renewal in")

    at.sidebar.date_input(key="clock-day").set_value(newest.date().replace(year=newest.year - 1))
    at.sidebar.button(key="clock-set").click().run()
    assert_clean(at)
    captions = " ".join(texts(at.sidebar.caption))
    assert "(given)" in captions and f"{newest.year - 1}-" in captions
    assert next(m.value for m in at.sidebar.metric if m.label == "Renewal in") != renewal_before
    at.sidebar.button(key="clock-reset").click().run()
    assert "(data snapshot)" in " ".join(texts(at.sidebar.caption))


def test_escalations_lists_open_tickets_by_severity(home_env: Path, copilot, p1_ticket) -> None:
    account, ticket = p1_ticket
    at = run_page("views/escalations.py", account)
    keys = [b.key for b in at.button if (b.key or "").startswith("draft-brief-")]
    expected = [e.id for e in copilot.escalation_queue(account)]
    assert keys[: len(expected)] == [f"draft-brief-{tid}" for tid in expected][: len(keys)]
    assert f"draft-brief-{ticket}" in keys


def test_one_click_brief_produces_a_draft_with_its_findings_panel(home_env: Path, p1_ticket) -> None:
    account, ticket = p1_ticket
    at = run_page("views/escalations.py", account)
    at.button(key=f"draft-brief-{ticket}").click().run()
    assert_clean(at)
    draft = at.session_state["drafts"][f"brief:{ticket}"]
    assert draft.kind == "escalation_brief" and draft.subject_id == ticket and draft.guardrails is not None
    subheaders = texts(at.subheader)
    assert f"Escalation brief: {ticket}" in subheaders
    assert "Guardrail findings" in subheaders
    rendered = "\n".join(texts(at.markdown))
    for heading in ("Impact", "Evidence", "Next steps"):
        assert re.search(rf"^#+ {heading}\s*$", rendered, re.MULTILINE), heading
    spans = [f for f in draft.guardrails.findings if f.span]
    if spans:
        assert "<mark " in rendered and "title=" in rendered
    if draft.guardrails.findings:
        assert any(f"[{n}]" in rendered for n in range(1, len(draft.guardrails.findings) + 1))
    else:
        assert "No findings: every check passed." in texts(at.success)
    # actions: edit, re-check, send to review
    assert at.toggle(key=f"editing-brief:{ticket}") is not None
    assert at.button(key=f"recheck-brief:{ticket}") is not None
    assert at.button(key=f"submit-brief:{ticket}").disabled  # no name typed yet


def test_brief_edit_recheck_and_send_to_review(home_env: Path, copilot, p1_ticket) -> None:
    account, ticket = p1_ticket
    slot = f"brief:{ticket}"
    at = run_page("views/escalations.py", account)
    at.button(key=f"draft-brief-{ticket}").click().run()
    at.toggle(key=f"editing-{slot}").set_value(True).run()
    assert_clean(at)
    area = at.text_area[0]
    area.set_value(area.value + "\n\nEdited by the TAM.\n").run()
    at.button(key=f"recheck-{slot}").click().run()
    assert_clean(at)
    rechecked = at.session_state["drafts"][slot]
    assert rechecked.markdown.rstrip().endswith("Edited by the TAM.")
    assert rechecked.guardrails is not None
    at.text_input(key=f"name-{slot}").set_value("Alex Kim").run()
    at.button(key=f"submit-{slot}").click().run()
    assert_clean(at)
    review_id = at.session_state["submitted"][f"{slot}:{rechecked.content_hash}"]
    item = copilot.review.get(review_id)
    assert item.status == "in_review" and item.created_by == "Alex Kim" and "Edited by the TAM." in item.markdown


def test_chat_answers_with_numbered_citations_and_keeps_history(home_env: Path, p1_ticket) -> None:
    account, ticket = p1_ticket
    at = run_page("views/chat.py", account)
    assert len(at.chat_input) == 1
    at.chat_input[0].set_value(f"What is happening with {ticket}?").run()
    assert_clean(at)
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    assert any("Extractive answer" in i for i in texts(at.info))  # template backend: extractive, said so
    expanders = [shown(e.label) for e in at.expander]
    assert expanders and expanders[0].startswith("[1] ")
    assert any(ticket in label for label in expanders)
    at.chat_input[0].set_value("Which runbook applies?").run()
    assert_clean(at)
    assert [m.name for m in at.chat_message] == ["user", "assistant", "user", "assistant"]


def test_incidents_update_with_countdown_and_editable_pir(home_env: Path, copilot) -> None:
    account = next(p.account.id for p in copilot.accounts() if copilot.incidents(p.account.id))
    incident = copilot.incidents(account)[0]
    at = run_page("views/incidents.py", account)
    assert at.selectbox(key=f"incident-{account}").value == incident.id
    assert len(at.dataframe) >= 2  # the editable PIR table and the durations
    at.button(key=f"draft-update-{incident.id}").click().run()
    assert_clean(at)
    update = at.session_state["drafts"][f"update:{incident.id}"]
    assert update.kind == "incident_update"
    assert "Next update promised by this draft" in [m.label for m in at.metric]
    at.button(key=f"draft-pir-{incident.id}").click().run()
    assert_clean(at)
    pir = at.session_state["drafts"][f"pir:{incident.id}"]
    assert pir.kind == "pir_timeline" and "## Timeline" in pir.markdown and "## Durations" in pir.markdown
    durations = [df for df in at.dataframe if "Duration" in getattr(df.value, "columns", [])]
    assert durations and list(durations[0].value["Duration"]) == [
        "Time to detect", "Time to engage", "Time to mitigate", "Time to resolve"]


def test_qbr_charts_and_narrative(home_env: Path, copilot) -> None:
    account = copilot.accounts()[0].account.id
    quarter = default_quarter(copilot.quarters(account))
    at = run_page("views/qbr.py", account)
    assert at.selectbox(key=f"qbr-quarter-{account}").value == quarter
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 2
    at.button(key=f"draft-qbr-{account}-{quarter}").click().run()
    assert_clean(at)
    qbr = at.session_state["drafts"][f"qbr:{account}:{quarter}"]
    assert qbr.kind == "qbr_narrative" and "## Service performance" in qbr.markdown
    assert "Guardrail findings" in texts(at.subheader)


def test_review_queue_override_approve_and_export(home_env: Path, copilot, p1_ticket) -> None:
    account, ticket = p1_ticket
    draft = copilot.draft("escalation_brief", ticket)
    item = copilot.review.submit(draft.model_copy(update={"id": draft.id + "-approve"}), "Sam Okafor")
    at = run_page("views/review.py", account)
    at.selectbox(key="review-open").select(item.id).run()
    assert_clean(at)
    assert f"{item.id}: " in " ".join(texts(at.subheader)) and "Guardrail findings" in texts(at.subheader)
    assert [t.label for t in at.tabs][:4] == ["Current text", "Diff between revisions", "Edit", "Audit trail"]
    at.text_input(key=f"name-review-{item.id}").set_value("Riley Chen").run()
    for check in sorted({f.check for f in item.blocking}):
        at.selectbox(key=f"override-check-{item.id}").select(check).run()
        at.text_area(key=f"override-reason-{item.id}").set_value(f"Checked {check} by hand against the ticket.").run()
        at.button(key=f"override-{item.id}").click().run()
        assert_clean(at)
    assert not at.button(key=f"approve-{item.id}").disabled
    at.button(key=f"approve-{item.id}").click().run()
    assert_clean(at)
    assert copilot.review.get(item.id).status == "approved"
    at.button(key=f"export-{item.id}").click().run()
    assert_clean(at)
    exported = Path(at.session_state["exports"][item.id])
    assert exported.is_file() and exported.read_text().startswith("---\n")
    actions = [e.action for e in copilot.review.audit(item.id)]
    assert actions[0] == "submit" and "approve" in actions and actions[-1] == "export"


def test_review_diff_between_revisions(home_env: Path, copilot, p1_ticket) -> None:
    account, ticket = p1_ticket
    draft = copilot.draft("escalation_brief", ticket)
    item = copilot.review.submit(draft.model_copy(update={"id": draft.id + "-diff"}), "Sam Okafor")
    copilot.review.edit(item.id, item.markdown + "\nA reviewer's addition.\n", "Riley Chen")
    at = run_page("views/review.py", account)
    at.selectbox(key="review-open").select(item.id).run()
    assert_clean(at)
    diff = "\n".join(texts(at.code))
    assert "+A reviewer's addition." in diff and "revision 1" in diff and "revision 2" in diff


def test_ingest_page_ingests_a_folder_and_shows_the_quarantine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               sample_home: Path) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("COPILOT_HOME", str(home))
    data = tmp_path / "drop"
    (data / "csv").mkdir(parents=True)
    (data / "csv" / "tickets.csv").write_text(
        "ticket_id,customer,subject,priority,status,created_at\n"
        "INC1,Nobody Corp,Export stalls,P2,Open,2026-05-02T08:00:00Z\n", encoding="utf-8")
    at = run_page("views/ingest.py")
    assert at.text_input(key="ingest-path") is not None
    assert len(at.get("file_uploader")) == 2
    at.text_input(key="ingest-path").set_value(str(data)).run()
    at.button(key="ingest-path-go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    quarantine = [t.value for t in at.table if "What to do" in getattr(t.value, "columns", [])]
    assert quarantine and len(quarantine[0]) == 1 and "Nobody Corp" in " ".join(map(str, quarantine[0].iloc[0]))
    assert any("1 row was not ingested" in w for w in texts(at.warning))
    at.text_input(key="ingest-path").set_value(str(tmp_path / "missing")).run()
    at.button(key="ingest-path-go").click().run()
    assert not at.exception and any("does not exist" in e for e in texts(at.error))


def test_errors_are_messages_with_what_to_do_never_tracebacks() -> None:
    def app(repo: str) -> None:
        import sys

        sys.path.insert(0, repo)
        from copilot.errors import NotFound
        from ui.components import guard

        with guard("draft the brief"):
            raise NotFound("no ticket 'ZD-0' in this home")
        with guard("load the charts"):
            raise RuntimeError("disk on fire")

    at = AppTest.from_function(app, args=(str(REPO),), default_timeout=30).run()
    assert not at.exception
    errors = texts(at.error)
    assert errors[0].startswith("Could not draft the brief: no ticket 'ZD-0'") and "Ingest page" in errors[0]
    assert "Could not load the charts" in errors[1] and "Try again" in errors[1] and "Traceback" not in errors[1]


def test_pir_from_an_unedited_table_keeps_the_drafted_timeline(copilot) -> None:
    """The table round-trips: the same rows give the template's Timeline section, byte for byte."""
    incident = next(i for p in copilot.accounts() for i in copilot.incidents(p.account.id) if i.status == "resolved")
    pir = copilot.draft("pir_timeline", incident.id)
    rows = [r.model_dump() for r in copilot.pir_rows(incident.id)]
    rebuilt = copilot.pir_with_timeline(pir, rows)
    assert rebuilt.section("timeline").text == pir.section("timeline").text
    assert [line for line in rebuilt.section("durations").text.splitlines() if line.startswith("- ")] == [
        line for line in pir.section("durations").text.splitlines() if line.startswith("- ")]
    assert rebuilt.guardrails is not None and not rebuilt.guardrails.blocking, rebuilt.guardrails.findings


@pytest.mark.parametrize("page", [None, "views/chat.py", "views/incidents.py", "views/qbr.py", "views/review.py",
                                  "views/ingest.py"])
def test_an_empty_home_says_what_to_do_on_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     page: str | None) -> None:
    monkeypatch.setenv("COPILOT_HOME", str(tmp_path / "empty"))
    at = run_page(page)
    shown = " ".join(texts(at.info) + texts(at.sidebar.info) + texts(at.success))
    assert "Ingest" in shown or "Nothing" in shown or "ingested" in shown, shown
