"""The portfolio on the bundled sample: the ranking a TAM would make by hand, each row's figures
against the records, the risk score's arithmetic, and ``portfolio --json`` printing the same figures."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from copilot.cli import app
from copilot.facts.signals import churn_signals
from copilot.records.models import AccountPlan, Comment, Ticket

AS_OF = datetime(2026, 11, 16, 8, 0, tzinfo=timezone.utc)  # the sample's snapshot time (data/sample/README.md)


@pytest.fixture(scope="module")
def home(sample_copilot):
    return sample_copilot.portfolio(AS_OF)


def test_the_account_a_tam_would_pick_by_hand_is_on_top(home) -> None:
    """From the records, harbor-line is the account to call first on 2026-11-16, and by a margin:

    - its plan says health red, and it renews on 2027-01-08: 53 days out, the only renewal inside
      60 days (the commercial-negotiation step of the renewal timeline);
    - its champion Marcus Bell left on 2026-09-30 (plan stakeholders);
    - in ZD-4332 the customer asks for a full export of all historical data while "evaluating
      ShipNimbus alongside Parcelstream", and in ZD-4347 (an open P1) says they run ShipNimbus
      side by side: a competitor evaluation plus migration prep;
    - the open P1 ZD-4347's customer update is days overdue.
    No other account combines a near renewal with churn signals: meridian-retail also has an open
    P1 but is green, renews in 226 days and shows no churn signal.
    """
    top = home.rows[0]
    assert top.account_id == "harbor-line" and top.rank == 1
    components = {c.component for c in top.score}
    assert {"health", "renewal", "open_p1", "churn"} <= components
    kinds = {s.kind for s in top.churn_signals}
    assert {"champion_left", "data_export", "competitor_mention"} <= kinds
    assert top.risk_score >= home.rows[1].risk_score + 30  # not a near tie
    assert top.renewal_step is not None and top.renewal_step.days_before == 60


def test_scores_add_up_and_rank_the_rows(home) -> None:
    assert [r.rank for r in home.rows] == list(range(1, len(home.rows) + 1))
    assert [r.risk_score for r in home.rows] == sorted((r.risk_score for r in home.rows), reverse=True)
    for row in home.rows:
        assert row.risk_score == sum(c.points for c in row.score)
        assert all(c.points > 0 and c.component in home.score_rules and c.source_ids for c in row.score), row.score


def test_no_product_bug_counts_as_a_churn_signal(home) -> None:
    """Failing bulk-export jobs and 'switch to the manual process' are support issues, not churn."""
    for row in home.rows:
        for signal in row.churn_signals:
            assert "Bulk export" not in signal.evidence.value and "manual process" not in signal.evidence.value


def test_each_row_matches_the_records(home, sample_copilot) -> None:
    store = sample_copilot.store
    assert {r.account_id for r in home.rows} == {p.account.id for p in store.plans()}
    for row in home.rows:
        plan = store.plan(row.account_id)
        tickets = store.tickets(row.account_id)
        incidents = store.incidents(row.account_id)
        assert (row.health.value, row.tier.value, row.arr.value, row.currency) == (
            plan.account.health, plan.contract.tier, plan.contract.arr, plan.contract.currency)
        assert row.days_to_renewal.value == (plan.contract.renewal_date - AS_OF.date()).days
        for priority, figure in (("P1", row.open_p1), ("P2", row.open_p2)):
            expected = sorted(t.id for t in tickets if t.priority == priority and t.status not in ("solved", "closed"))
            assert figure.source_ids == expected and figure.value == len(expected)
        assert row.active_incidents.source_ids == sorted(i.id for i in incidents if i.resolved_at is None)
        open_ids = {t.id for t in tickets if t.is_open} | {i.id for i in incidents if i.status != "resolved"}
        assert {c.subject_id for c in row.clocks_at_risk} <= open_ids
        assert all(c.clock.due_at < AS_OF + (c.clock.due_at - c.clock.started_at) / 4 for c in row.clocks_at_risk)
        record_ids = {t.id for t in tickets} | {c.id for t in tickets for c in t.comments}
        for signal in row.churn_signals:  # every signal cites this account's own records
            assert signal.evidence.source_ids and all(
                s in record_ids or s.startswith(f"plan:{row.account_id}") for s in signal.evidence.source_ids)
        assert row.stakeholder_coverage.source_ids == [f"plan:{row.account_id}#stakeholders"]
    harbor = next(r for r in home.rows if r.account_id == "harbor-line")
    assert harbor.open_p1.source_ids == ["ZD-4347"] and harbor.days_to_renewal.value == 53  # README's table


def test_needs_you_today_on_the_sample(home) -> None:
    items = home.needs_you_today
    first = items[0]
    assert (first.kind, first.subject_id, first.action, first.overdue) == ("customer_update", "ZD-4347", "brief", True)
    update = next(i for i in items if i.subject_id == "INC-2026-1114")  # monitoring; last update 2026-11-15 16:04
    assert (update.kind, update.action, update.overdue) == ("customer_update", "update", True)
    pirs = {i.subject_id for i in items if i.kind == "pir"}
    assert pirs == {"INC-2026-0614", "INC-2026-0822", "INC-2026-0917"}  # resolved, high severity, no PIR drafted
    late = {i.title.split(":")[0] for i in items if i.kind == "corrective_action"}
    assert "INC-2026-0822 CA-1" in late  # due 2026-09-13, still in progress
    renewals = {i.account_id for i in items if i.kind == "renewal_step"}
    assert renewals == {"harbor-line", "alpine-outfitters", "bluefin-market"}  # README: within 180 days


def test_a_pir_in_review_settles_its_item(home_copy) -> None:
    from copilot.service import Copilot

    copilot = Copilot(home_copy)
    copilot.review.submit(copilot.draft("pir_timeline", "INC-2026-0822", as_of=AS_OF), "Alex Kim")
    items = copilot.portfolio(AS_OF).needs_you_today
    assert "INC-2026-0822" not in {i.subject_id for i in items if i.kind == "pir"}


def test_portfolio_json_prints_the_figures_the_page_shows(sample_home, home) -> None:
    result = CliRunner().invoke(app, ["portfolio", "--home", str(sample_home), "--as-of", "2026-11-16T08:00Z",
                                      "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed == json.loads(home.model_dump_json())
    assert {"as_of", "rows", "needs_you_today", "score_rules"} <= set(printed)


def test_risk_register_export_from_the_command_line(sample_home, tmp_path) -> None:
    out = tmp_path / "register.csv"
    result = CliRunner().invoke(app, ["portfolio", "--risks", "--account", "harbor-line", "--format", "csv",
                                      "--out", str(out), "--home", str(sample_home), "--as-of", "2026-11-16T08:00Z",
                                      "--json"])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0].startswith("account_id,id,source,risk") and len(lines) > 3
    assert all(line.startswith("harbor-line,") for line in lines[1:] if line[:1].isalpha())  # one account only
    assert any(line.startswith("harbor-line,harbor-line:churn:champion_left,") for line in lines)
    assert json.loads(result.stdout)["entries"] == len(lines) - 1
    md = CliRunner().invoke(app, ["portfolio", "--risks", "--format", "md", "--home", str(sample_home),
                                  "--as-of", "2026-11-16T08:00Z"])
    assert md.exit_code == 0 and md.stdout.startswith("# Risk register: portfolio as of 2026-11-16 08:00 UTC")
    bad = CliRunner().invoke(app, ["portfolio", "--risks", "--account", "nobody", "--home", str(sample_home)])
    assert bad.exit_code == 2 and "no account 'nobody'" in bad.output
    stray = CliRunner().invoke(app, ["portfolio", "--format", "csv", "--home", str(sample_home)])
    assert stray.exit_code == 2 and "go with --risks" in stray.output


def test_churn_patterns_tell_a_competitor_from_a_workaround() -> None:
    plan = AccountPlan.model_validate({
        "account": {"id": "acme", "name": "Acme"},
        "contract": {"arr": 1, "tier": "growth", "start_date": "2026-01-01", "renewal_date": "2027-01-01"},
        "sla": {p: {"first_response_minutes": 60, "update_cadence_minutes": 60} for p in ("P1", "P2", "P3", "P4")}})
    said = {
        "The warehouse team asks whether to switch to the manual process.": set(),
        "Bulk export job fails after 30 minutes.": set(),
        "We are evaluating ShipNimbus alongside you as part of a platform review.": {"competitor_mention"},
        "We are switching to another vendor next year.": {"competitor_mention"},
        "Please send a full export of all historical data.": {"data_export"},
        "Our API call volume is down about 40% since August.": {"usage_decline"},
    }
    for n, (text, expected) in enumerate(said.items()):
        ticket = Ticket(id=f"T-{n}", account_id="acme", source="csv", subject="Question", priority="P3",
                        status="open", created_at=AS_OF, comments=[Comment(
                            id=f"T-{n}-c", ticket_id=f"T-{n}", author="Kim Lee", author_role="customer",
                            created_at=AS_OF, body=text)])
        found = {s.kind for s in churn_signals(plan, [ticket], AS_OF, AS_OF.replace(year=2027))}
        assert found == expected, text
