"""Fact-atom recognizers: one module per kind of value a draft states, mostly data.

Each module has a ``recognize(scan)`` that adds its atoms to a :class:`Scan`. ``RECOGNIZERS``
runs them in a fixed precedence (URLs and ids first, plain numbers last); a character belongs
to at most one atom, so the ``4123`` inside ``ZD-4123`` is never also a number.
"""

from __future__ import annotations

from collections.abc import Callable

from copilot.guardrails.recognizers import (
    duration,
    email,
    hostname,
    instant,
    ip,
    money,
    month_year,
    number,
    number_words,
    percent,
    percent_points,
    person,
    quarter,
    record_id,
    region,
    scaled_number,
    short_id,
    url,
    version,
    year,
)
from copilot.guardrails.recognizers.scan import Scan

__all__ = ["RECOGNIZERS", "Scan"]

RECOGNIZERS: tuple[Callable[[Scan], None], ...] = (
    url.recognize,
    email.recognize,
    record_id.recognize,
    instant.recognize,
    quarter.recognize,
    ip.recognize,
    version.recognize,
    region.recognize,
    hostname.recognize,
    hostname.recognize_ip_host,
    money.recognize,
    scaled_number.recognize,
    percent_points.recognize,
    percent.recognize,
    duration.recognize,
    number_words.recognize,
    month_year.recognize,
    person.recognize,
    short_id.recognize,
    year.recognize,
    number.recognize,
)
"""Every recognizer, in precedence order."""
