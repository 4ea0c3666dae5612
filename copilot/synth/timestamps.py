"""How generated records spell times: ISO 8601 in the shapes each source format uses."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from copilot.synth.world import UTC

__all__ = ["hm", "human_minutes", "iso_jira", "iso_offset", "iso_z", "minutes", "whole_seconds"]


def iso_z(dt: datetime) -> str:
    """``2026-11-14T22:41:00Z``."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_jira(dt: datetime) -> str:
    """``2026-11-14T22:41:00.000+0000``, as Jira's REST API writes it."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def iso_offset(dt: datetime, minutes: int) -> str:
    """``dt`` at a fixed UTC offset (``Z`` for 0), as a CSV export in local time writes it."""
    if minutes == 0:
        return iso_z(dt)
    return dt.astimezone(timezone(timedelta(minutes=minutes))).isoformat(timespec="seconds")


def hm(dt: datetime) -> str:
    """``22:41`` (UTC)."""
    return dt.astimezone(UTC).strftime("%H:%M")


def whole_seconds(dt: datetime) -> datetime:
    return dt.replace(microsecond=0)


def minutes(m: float) -> timedelta:
    """``m`` minutes, rounded to a whole second."""
    return timedelta(seconds=int(round(m * 60)))


def human_minutes(m: int) -> str:
    """``45 minutes``, ``4 hours``, ``1 business day``, ``3 days``."""
    if m < 120:
        return f"{m} minutes"
    if m % 1440 == 0:
        d = m // 1440
        return "1 business day" if d == 1 else f"{d} days"
    return f"{m // 60} hours"
