"""Quarter metrics on hand-made records; every expected value is worked out in the comments."""

from __future__ import annotations

from drafting_records import comment, incident, plan, ticket

from copilot.facts.metrics import METRIC_LABELS, compute_quarter_metrics

# SLA (plan()): P1 30m response / 60m cadence; P2 120m / 240m; P3 480m / 1440m; P4 1440m / 4320m.
TICKETS = [
    # P1, responded after 20m (meets 30m); updates 09:20, 10:15 (55m), 11:20 (65m > 60m) -> cadence miss;
    # resolved 11:30 -> MTTR 2h 30m
    ticket("ZD-1", "2026-07-02 09:00", "P1", resolved="2026-07-02 11:30", component="label-api", comments=[
        comment("ZD-1", 1, "2026-07-02 09:20", "Looking."),
        comment("ZD-1", 2, "2026-07-02 10:15", "Update."),
        comment("ZD-1", 3, "2026-07-02 10:30", "Internal.", public=False),
        comment("ZD-1", 4, "2026-07-02 11:20", "Fixed."),
    ]),
    # P2, customer comment first (not a response), agent at 10:59:59 -> 119m59s (meets 120m);
    # updates 10:59:59 then resolution 14:00 (3h 00m 01s <= 4h) -> cadence met; MTTR 5h 00m
    ticket("ZD-2", "2026-08-01 09:00", "P2", resolved="2026-08-01 14:00", component="label-api", comments=[
        comment("ZD-2", 1, "2026-08-01 09:30", "Any news?", role="customer", author="Dana Reyes"),
        comment("ZD-2", 2, "2026-08-01 10:59:59", "On it."),
    ]),
    # P3, responded after 8h 01m (misses 480m); open -> not in MTTR
    ticket("ZD-3", "2026-09-10 08:00", "P3", comments=[comment("ZD-3", 1, "2026-09-10 16:01", "Hello.")]),
    # P3, never answered -> breach; resolved after 1d 2h 03m
    ticket("ZD-4", "2026-09-29 22:00", "P3", resolved="2026-10-01 00:03"),
    # P2 with no public agent update at all: cadence miss, first-response miss; open
    ticket("ZD-5", "2026-09-30 23:59", "P2", component="sso"),
    # outside the quarter: previous quarter (P2, same component as ZD-1 -> makes ZD-1 a repeat) and next
    ticket("ZD-6", "2026-06-30 23:59", "P2", component="label-api"),
    ticket("ZD-7", "2026-10-01 00:00", "P1"),
    # another account's ticket is ignored even when passed in
    ticket("OT-1", "2026-07-05 10:00", "P1", account_id="other"),
]


def test_quarter_metrics_by_hand() -> None:
    m = compute_quarter_metrics(plan(), TICKETS, [incident()], "2026Q3")
    assert m.tickets_opened == 5 and m.tickets_opened_previous == 1
    assert m.severity_mix == {"P1": 1, "P2": 2, "P3": 2, "P4": 0}
    assert [o.ticket_id for o in m.first_response if o.met] == ["ZD-1", "ZD-2"]
    assert (m.first_response_met, m.first_response_total, m.first_response_percent) == (2, 5, "40.0%")
    assert [(o.ticket_id, o.met) for o in m.cadence] == [("ZD-1", False), ("ZD-2", True), ("ZD-5", False)]
    assert m.cadence_percent == "33.3%"
    # P1: 150m; P2: 300m (ZD-5 open); P3: ZD-4 1563m
    assert m.mttr_minutes == {"P1": 150, "P2": 300, "P3": 1563, "P4": None}
    assert m.incidents == 1 and m.mttm_minutes == 138  # 08:52 -> 11:10
    assert m.repeat_count == 2  # ZD-1 and ZD-2 repeat ZD-6's component
    lines = m.line_map()
    assert lines == {
        METRIC_LABELS["tickets_opened"]: "5 (previous quarter 1)",
        METRIC_LABELS["severity_mix"]: "P1 1, P2 2, P3 2, P4 0 (previous quarter P1 0, P2 1, P3 0, P4 0)",
        METRIC_LABELS["first_response"]: "40.0% (2 of 5)",
        METRIC_LABELS["update_cadence"]: "33.3% (1 of 3)",
        METRIC_LABELS["mttr_p1"]: "2h 30m (1 resolved)",
        METRIC_LABELS["mttr_p2"]: "5h 00m (1 resolved)",
        METRIC_LABELS["mttr_p3"]: "1d 2h 03m (1 resolved)",
        METRIC_LABELS["mttr_p4"]: "no resolved P4 tickets",
        METRIC_LABELS["incidents"]: "1",
        METRIC_LABELS["mttm"]: "2h 18m",
        METRIC_LABELS["repeat_incidents"]: "2 (component label-api: ZD-6, ZD-1, ZD-2)",
    }


def test_mean_rounds_half_up() -> None:
    # two P4 tickets resolved after 10m 30s and 11m -> mean 10m 45s -> 11m
    tickets = [ticket("A-1", "2026-07-01 00:00", "P4", resolved="2026-07-01 00:10:30"),
               ticket("A-2", "2026-07-02 00:00", "P4", resolved="2026-07-02 00:11")]
    assert compute_quarter_metrics(plan(), tickets, [], "2026Q3").mttr_minutes["P4"] == 11


def test_empty_quarter_has_a_line_for_every_label() -> None:
    m = compute_quarter_metrics(plan(), [], [], "2026Q3")
    assert [line.label for line in m.lines] == list(METRIC_LABELS.values())
    assert m.line_map()[METRIC_LABELS["first_response"]] == "no tickets opened"
    assert all(line.text for line in m.lines)
