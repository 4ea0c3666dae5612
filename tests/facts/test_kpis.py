"""Each KPI against values computed by hand on tiny record sets (quarter 2026Q3 = Jul 1 .. Oct 1)."""

from __future__ import annotations

from datetime import date

from kpi_records import at, incident, records, ticket

from copilot.facts.kpis import build_kpi_report
from copilot.facts.kpis.closure import problem_closure_rate
from copilot.facts.kpis.engagement import time_to_engage
from copilot.facts.kpis.mitigation import mean_time_to_mitigation
from copilot.facts.kpis.renewal_risk import technical_renewal_risk
from copilot.facts.kpis.repeats import repeat_incident_rate
from copilot.facts.kpis.resolution import mttr
from copilot.facts.kpis.sla import sla_response_compliance, update_cadence_compliance
from copilot.facts.kpis.success_plan import success_plan_on_time
from copilot.records.models import SuccessPlanItem

Q = "2026Q3"
AS_OF = at(10, 15)


# --- time to engage ---------------------------------------------------------------------------


def test_time_to_engage_is_the_mean_from_impact_start_to_engagement() -> None:
    acme = records(incidents=[incident("I1", "P1", at(7, 10, 10), engaged_after=30),
                              incident("I2", "P2", at(8, 1, 9), engaged_after=75),  # open: still counts
                              incident("I3", "P2", at(8, 15, 9)),  # no engagement time
                              incident("I0", "P1", at(6, 30, 9), engaged_after=5)])  # previous quarter
    kpi = time_to_engage([acme], Q, AS_OF)
    assert (kpi.status, kpi.value, kpi.unit) == ("ok", 53.0, "minutes")  # (30 + 75) / 2 = 52.5 -> 53
    assert kpi.text == "53m (2 measured)"
    assert kpi.source_ids == ["I1", "I2"]
    assert kpi.notes == ["I3: no engagement time recorded"]


def test_time_to_engage_without_incidents_is_no_data_and_without_engagement_times_not_supported() -> None:
    none = time_to_engage([records()], Q, AS_OF)
    assert (none.status, none.value) == ("no_data", None)
    assert "no incident started in 2026Q3" in none.text
    unsupported = time_to_engage([records(incidents=[incident("I3", "P2", at(8, 15, 9))])], Q, AS_OF)
    assert (unsupported.status, unsupported.value) == ("not_supported", None)
    assert "engagement time" in unsupported.reason and unsupported.source_ids == ["I3"]


# --- mean time to mitigation (P1) ---------------------------------------------------------------


def test_mttm_counts_mitigated_p1_incidents_only_and_names_the_open_ones() -> None:
    acme = records(incidents=[incident("I1", "P1", at(7, 10, 10), mitigated_after=125, resolved_after=300),
                              incident("I2", "P1", at(8, 3, 8), mitigated_after=60),
                              incident("I3", "P2", at(8, 1, 9), mitigated_after=5),  # not P1
                              incident("I4", "P1", at(9, 20, 9))])  # open, not mitigated
    kpi = mean_time_to_mitigation([acme], Q, AS_OF)
    assert (kpi.value, kpi.text) == (93.0, "1h 33m (2 measured)")  # (125 + 60) / 2 = 92.5 -> 93
    assert kpi.source_ids == ["I1", "I2"]
    assert kpi.notes == ["I4: not mitigated yet (investigating)"]


def test_mttm_with_only_an_open_p1_has_no_value_not_zero() -> None:
    kpi = mean_time_to_mitigation([records(incidents=[incident("I4", "P1", at(9, 20, 9))])], Q, AS_OF)
    assert (kpi.status, kpi.value) == ("no_data", None)
    assert "mitigated" in kpi.reason and kpi.source_ids == ["I4"]


# --- MTTR --------------------------------------------------------------------------------------


def test_mttr_counts_a_ticket_in_the_quarter_it_was_created_even_when_resolved_in_the_next() -> None:
    acme = records(tickets=[ticket("T1", "P1", at(9, 30, 22), resolved_after=240),  # resolved 2026-10-01 02:00
                            ticket("T2", "P2", at(7, 5, 8), resolved_after=90),
                            ticket("T3", "P2", at(8, 5, 8)),  # open
                            ticket("T4", "P3", at(8, 6, 8), resolved_after=10)])  # not high severity
    kpi = mttr([acme], Q, AS_OF)
    assert (kpi.value, kpi.text) == (165.0, "2h 45m (2 measured)")  # (240 + 90) / 2
    assert kpi.source_ids == ["T2", "T1"]
    assert kpi.notes == ["T3: still open"]
    assert [p.text for p in kpi.parts] == ["4h 00m (1 resolved)", "1h 30m (1 resolved)", "10m (1 resolved)",
                                           "no resolved P4 tickets"]
    assert mttr([acme], "2026Q4", AS_OF).status == "no_data"  # T1 belongs to Q3, not Q4


def test_as_of_before_a_resolution_treats_the_ticket_as_open() -> None:
    acme = records(tickets=[ticket("T1", "P1", at(9, 30, 22), resolved_after=240),
                            ticket("T2", "P2", at(7, 5, 8), resolved_after=90)])
    report = build_kpi_report([acme], Q, at(10, 1, 1), "acme")  # T1 resolves at 02:00
    line = next(line for line in report.kpis if line.key == "mttr")
    assert line.current.value == 90.0 and line.current.notes == ["T1: still open"]


# --- SLA response and update cadence ----------------------------------------------------------------


def test_sla_response_compliance_judges_each_ticket_by_its_priority_target() -> None:
    acme = records(tickets=[ticket("T1", "P1", at(7, 1, 8), updates=(30,)),  # 30 <= 60: met
                            ticket("T2", "P2", at(7, 2, 8)),  # no response: miss
                            ticket("T3", "P3", at(7, 3, 8), updates=(120,)),  # 120 <= 960: met
                            ticket("T4", "P2", at(6, 30, 8), updates=(999,))])  # previous quarter
    kpi = sla_response_compliance([acme], Q, AS_OF)
    assert (kpi.value, kpi.text, kpi.numerator, kpi.denominator) == (66.7, "66.7% (2 of 3)", 2, 3)
    assert kpi.source_ids == ["T1", "T2", "T3"]
    assert kpi.notes == ["T2 (P2): no agent response"]
    assert sla_response_compliance([records()], Q, AS_OF).status == "no_data"


def test_update_cadence_compliance_over_p1_p2_tickets() -> None:
    acme = records(tickets=[ticket("T1", "P1", at(7, 1, 8), updates=(30, 150), resolved_after=240),  # gaps 120, 90
                            ticket("T2", "P2", at(7, 2, 8)),  # no update: miss
                            ticket("T3", "P2", at(7, 3, 8), updates=(10, 600)),  # gap 590 > 480, open
                            ticket("T4", "P3", at(7, 4, 8))])  # not P1/P2
    kpi = update_cadence_compliance([acme], Q, AS_OF)
    assert (kpi.value, kpi.text) == (33.3, "33.3% (1 of 3)")
    assert kpi.notes == ["T2 (P2): no public agent update", "T3 (P2): 590 min against a 480 min target"]


def test_portfolio_rates_pool_tickets_each_judged_by_its_own_accounts_sla() -> None:
    acme = records(tickets=[ticket("A1", "P3", at(7, 1, 8), updates=(120,))])  # acme P3 target 960: met
    beta = records(tickets=[ticket("B1", "P3", at(7, 1, 8), updates=(120,), account="beta")],
                   account="beta", p3_response=60)  # beta P3 target 60: missed
    kpi = sla_response_compliance([acme, beta], Q, AS_OF)
    assert (kpi.text, kpi.source_ids) == ("50.0% (1 of 2)", ["A1", "B1"])


# --- repeat incident rate ------------------------------------------------------------------------


def test_repeat_rate_matches_root_causes_across_this_and_the_previous_quarter() -> None:
    acme = records(tickets=[
        ticket("A", "P2", at(6, 10, 8), root_cause="Connection pool exhausted."),  # previous quarter
        ticket("B", "P1", at(7, 10, 8), root_cause="connection  pool exhausted"),  # repeats A
        ticket("C", "P2", at(7, 20, 8), resolved_after=60, closing_note="Fixed.\nRoot cause: disk full on node 3."),
        ticket("D", "P2", at(8, 20, 8), root_cause="Disk full on node 3"),  # repeats C
        ticket("E", "P2", at(8, 21, 8)),  # no root cause: cannot be judged
        ticket("F", "P3", at(8, 22, 8), root_cause="disk full on node 3"),  # not high severity
    ])
    kpi = repeat_incident_rate([acme], Q, AS_OF)
    assert (kpi.value, kpi.text) == (66.7, "66.7% (2 of 3)")
    assert [(p.label, p.text) for p in kpi.parts] == [("B", "same root cause as A"), ("D", "same root cause as C")]
    assert kpi.notes == ["E: no root cause recorded; left out"]
    assert kpi.source_ids == ["A", "B", "C", "D"]


def test_repeat_rate_is_not_supported_when_no_ticket_records_a_root_cause() -> None:
    kpi = repeat_incident_rate([records(tickets=[ticket("E", "P2", at(8, 21, 8))])], Q, AS_OF)
    assert (kpi.status, kpi.value) == ("not_supported", None)
    assert kpi.text.startswith("not supported: none of the 1 P1/P2 tickets of 2026Q3 records a root cause")
    assert repeat_incident_rate([records()], Q, AS_OF).status == "no_data"


# --- problem-management closure -------------------------------------------------------------------


def test_problem_closure_needs_a_pir_and_every_corrective_action_done() -> None:
    done = [("done", date(2026, 8, 1))]
    acme = records(incidents=[
        incident("I1", "P1", at(7, 10, 8), resolved_after=60, actions=done),  # approved PIR review R-1: closed
        incident("I2", "P2", at(7, 11, 8), resolved_after=60, source_file="pm/I2.md",  # PIR document
                 actions=[("done", None), ("in_progress", date(2026, 9, 1))]),
        incident("I3", "P2", at(7, 12, 8), resolved_after=60, actions=done),  # no PIR
        incident("I4", "P1", at(7, 13, 8)),  # open: left out
        incident("I5", "P3", at(7, 14, 8), resolved_after=60),  # not high severity
    ], pir_reviews={"I1": "R-1"})
    kpi = problem_closure_rate([acme], Q, AS_OF)
    assert (kpi.value, kpi.text) == (33.3, "33.3% (1 of 3)")
    assert [(p.label, p.text) for p in kpi.parts] == [
        ("I1", "closed: PIR on record, every corrective action done"),
        ("I2", "corrective action(s) CA-2 not done"),
        ("I3", "no PIR on record")]
    assert "review:R-1" in kpi.source_ids
    assert kpi.notes == ["I4: not resolved yet; left out"]


def test_problem_closure_with_only_open_incidents_has_no_value() -> None:
    kpi = problem_closure_rate([records(incidents=[incident("I4", "P1", at(7, 13, 8))])], Q, AS_OF)
    assert (kpi.status, kpi.value) == ("no_data", None)


# --- success plan ---------------------------------------------------------------------------------


def _item(sid: str, due: date | None, status: str, quarter: str = "") -> SuccessPlanItem:
    return SuccessPlanItem(id=sid, item=f"Item {sid}", owner="Tomas", due=due, status=status, quarter=quarter)


def test_success_plan_on_time_judges_items_done_or_past_due() -> None:
    acme = records(success_plan=[
        _item("S1", date(2026, 7, 15), "done"),
        _item("S2", date(2026, 8, 1), "in_progress"),  # past due, not done: late
        _item("S3", date(2026, 9, 15), "planned"),  # not yet due at Aug 20
        _item("S4", date(2026, 9, 20), "done"),  # done early: on time
        _item("S5", None, "planned", quarter="2026Q3"),  # no due date
        _item("S6", date(2026, 10, 2), "at_risk"),  # next quarter
    ])
    kpi = success_plan_on_time([acme], Q, at(8, 20))
    assert (kpi.value, kpi.text) == (66.7, "66.7% (2 of 3)")
    assert [p.label for p in kpi.parts] == ["S1", "S2", "S4"]
    assert kpi.notes == ["S3: due 2026-09-15, not yet due (planned)", "S5: no due date; left out"]
    assert kpi.source_ids == ["plan:acme#success-plan"]


def test_success_plan_without_due_dates_is_not_supported() -> None:
    acme = records(success_plan=[_item("S1", None, "done", quarter="2026Q3"), _item("S2", None, "planned", "2026Q3")])
    kpi = success_plan_on_time([acme], Q, AS_OF)
    assert (kpi.status, kpi.value) == ("not_supported", None)
    assert "no due dates on the success-plan items of 2026Q3 (S1, S2)" in kpi.reason
    assert success_plan_on_time([records()], Q, AS_OF).status == "no_data"


# --- technical renewal risk ------------------------------------------------------------------------


def _risky():
    return records(tickets=[ticket("T1", "P1", at(8, 1, 8))],  # no response, open at the cutoff
                   incidents=[incident("I1", "P1", at(8, 2, 8), actions=[("open", date(2026, 8, 10)),
                                                                         ("open", None)])])


def test_renewal_risk_adds_the_documented_points_per_factor() -> None:
    kpi = technical_renewal_risk([_risky()], Q, at(9, 1))
    # P1 incident 10 + SLA 0% 15 + cadence 0% 10 + overdue action 5 + open P1 ticket 5
    assert (kpi.value, kpi.level) == (45.0, "medium")
    assert [(p.label, p.points) for p in kpi.parts] == [
        ("P1/P2 incidents", 10), ("SLA response compliance below 90%", 15),
        ("Update-cadence compliance (P1/P2) below 90%", 10), ("Overdue corrective actions", 5),
        ("Open P1/P2 tickets at the cutoff", 5)]
    assert kpi.parts[3].source_ids == ["I1#CA-1"]  # the undated action is not overdue


def test_renewal_risk_without_records_is_no_data_and_the_portfolio_is_the_mean() -> None:
    assert technical_renewal_risk([records()], Q, AS_OF).status == "no_data"
    calm = records(tickets=[ticket("B1", "P3", at(7, 1, 8), updates=(10,), account="beta")], account="beta")
    assert technical_renewal_risk([calm], Q, at(9, 1)).value == 0.0  # measured, and nothing found
    portfolio = technical_renewal_risk([_risky(), calm, records(account="empty")], Q, at(9, 1))
    assert (portfolio.value, portfolio.level, portfolio.denominator) == (22.5, "low", 2)
    assert [p.label for p in portfolio.parts] == ["acme", "beta"]
    assert portfolio.notes == ["empty: no ticket or incident in 2026Q3 and no open P1/P2 work at its cutoff"]


# --- the report ----------------------------------------------------------------------------------


def test_report_gives_every_kpi_with_the_previous_quarter_and_the_trend() -> None:
    acme = records(tickets=[ticket("P1", "P3", at(5, 1, 8), updates=(10,)), ticket("P2", "P3", at(5, 2, 8)),
                            ticket("C1", "P3", at(7, 1, 8), updates=(10,)), ticket("C2", "P3", at(7, 2, 8), updates=(5,))])
    report = build_kpi_report([acme], Q, AS_OF, "acme")
    assert [line.key for line in report.kpis] == [
        "time_to_engage", "mttm_p1", "mttr", "sla_response", "update_cadence", "repeat_rate", "problem_closure",
        "success_plan_on_time", "renewal_risk"]
    sla = next(line for line in report.kpis if line.key == "sla_response")
    assert (sla.previous.text, sla.current.text) == ("50.0% (1 of 2)", "100.0% (2 of 2)")
    assert (sla.trend.direction, sla.trend.assessment, sla.trend.delta) == ("up", "better", 50.0)
    assert sla.trend.text == "+50.0 pts vs 2026Q2 (better)"
    risk = next(line for line in report.kpis if line.key == "renewal_risk")
    assert (risk.previous.value, risk.current.value, risk.trend.assessment) == (15.0, 0.0, "better")
    engage = next(line for line in report.kpis if line.key == "time_to_engage")
    assert engage.trend.direction == "n/a" and engage.current.value is None


def test_portfolio_report_has_pooled_figures_and_one_row_per_account() -> None:
    acme = records(tickets=[ticket("A1", "P3", at(7, 1, 8), updates=(10,))])
    beta = records(tickets=[ticket("B1", "P3", at(7, 1, 8), account="beta")], account="beta")
    report = build_kpi_report([acme, beta], Q, AS_OF)
    assert report.scope == "portfolio" and [a.account_id for a in report.accounts] == ["acme", "beta"]
    pooled = next(line for line in report.kpis if line.key == "sla_response")
    assert pooled.current.text == "50.0% (1 of 2)"
    assert [next(k for k in a.kpis if k.key == "sla_response").current.text for a in report.accounts] == [
        "100.0% (1 of 1)", "0.0% (0 of 1)"]


def test_as_of_before_a_mitigation_leaves_the_incident_open_and_later_ones_out() -> None:
    acme = records(incidents=[incident("I1", "P1", at(9, 30, 20), engaged_after=10, mitigated_after=300,
                                       resolved_after=600),
                              incident("I2", "P1", at(9, 30, 23))])  # starts after as_of
    report = build_kpi_report([acme], Q, at(9, 30, 21), "acme")
    mttm = next(line.current for line in report.kpis if line.key == "mttm_p1")
    assert (mttm.status, mttm.source_ids, mttm.notes) == ("no_data", ["I1"], ["I1: not mitigated yet (investigating)"])
    engage = next(line.current for line in report.kpis if line.key == "time_to_engage")
    assert engage.text == "10m (1 measured)"


def test_a_milestone_before_impact_start_is_left_out_not_counted_negative() -> None:
    acme = records(incidents=[incident("I1", "P1", at(7, 10, 10), engaged_after=-5),
                              incident("I2", "P1", at(7, 11, 10), engaged_after=20)])
    kpi = time_to_engage([acme], Q, AS_OF)
    assert (kpi.value, kpi.notes) == (20.0, ["I1: engaged_at before impact start (records disagree); left out"])
