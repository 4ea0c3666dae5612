"""Formats and quarter helpers: the exact strings drafts and guardrails share."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from copilot.errors import InvalidInput
from copilot.facts.common import (
    customer_safe,
    format_duration,
    format_percent,
    format_time,
    next_quarter,
    previous_quarter,
    quarter_bounds,
    quarter_of,
    strip_salutation,
)


@pytest.mark.parametrize(("minutes", "text"), [
    (0, "0m"), (45, "45m"), (60, "1h 00m"), (65, "1h 05m"), (1439, "23h 59m"), (1440, "1d 0h 00m"),
    (3070, "2d 3h 10m"), (44.6, "45m"),
])
def test_format_duration(minutes: float, text: str) -> None:
    assert format_duration(minutes) == text


def test_format_duration_refuses_negative() -> None:
    with pytest.raises(ValueError):
        format_duration(-1)


@pytest.mark.parametrize(("num", "den", "text"), [
    (38, 41, "92.7%"), (7, 8, "87.5%"), (2, 3, "66.7%"), (1, 3, "33.3%"), (0, 5, "0.0%"), (5, 5, "100.0%"),
    (1, 8, "12.5%"), (0, 0, "n/a"),
])
def test_format_percent(num: int, den: int, text: str) -> None:
    assert format_percent(num, den) == text


def test_format_time_is_utc() -> None:
    dt = datetime.fromisoformat("2026-04-12T11:05:59+02:00")
    assert format_time(dt) == "2026-04-12 09:05 UTC"


def test_quarters() -> None:
    start, end = quarter_bounds("2026Q3")
    assert (start, end) == (datetime(2026, 7, 1, tzinfo=timezone.utc), datetime(2026, 10, 1, tzinfo=timezone.utc))
    assert quarter_bounds("2026q4")[1] == datetime(2027, 1, 1, tzinfo=timezone.utc)
    assert previous_quarter("2026Q1") == "2025Q4" and next_quarter("2026Q4") == "2027Q1"
    assert quarter_of(datetime(2026, 9, 30, 23, 59, tzinfo=timezone.utc)) == "2026Q3"
    with pytest.raises(InvalidInput):
        quarter_bounds("Q3-2026")


def test_customer_safe_drops_internal_sentences() -> None:
    text = "Errors rose at 09:00. The pool on lb-prod-3.internal filled up. Bluejay was paused. Retry works."
    assert customer_safe(text, banned=["Bluejay"]) == "Errors rose at 09:00. Retry works."


def test_strip_salutation() -> None:
    assert strip_salutation("Hi Keira,\n\nThanks for the logs.") == "Thanks for the logs."
    assert strip_salutation("Hello support team, All calls fail.") == "All calls fail."
    assert strip_salutation("High error rate since 09:00.") == "High error rate since 09:00."
