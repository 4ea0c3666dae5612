"""The grounding universe: the atoms a draft's facts and sources contain, and ``grounds(atom)``.

A draft atom is grounded when some record value it could be a spelling of is in the universe:
ids and instants exactly, numbers to the precision written, durations within the tolerance
their written unit gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from typing import Any

from copilot.guardrails.atom import Atom
from copilot.guardrails.extraction import extract_atoms
from copilot.guardrails.recognizers.instant import parse_datetime_value
from copilot.guardrails.recognizers.record_id import normalize_id

__all__ = ["DOLLARS", "DURATION_STEPS", "NUMBER_STEPS", "AtomMemo", "Universe"]

DOLLARS = frozenset({"$", "USD", "AUD", "CAD", "NZD", "SGD", "HKD"})
"""What a bare ``$`` may mean."""


NUMBER_STEPS = (0.1, 0.5, 1, 5, 10, 50, 100, 500, 1e3, 5e3, 1e4, 5e4, 1e5, 5e5, 1e6, 5e6, 1e7, 1e8, 1e9)
DURATION_STEPS = (1 / 60, 5 / 60, 10 / 60, 15 / 60, 0.5, 1, 5, 10, 15, 30, 60, 120, 1440)
"""The roundings a hedged value may be of a record value (minutes for durations)."""


def _in_range(value: float, atom: Atom) -> bool:
    """Whether a hedged atom ("about 40 minutes") stands for the record value ``value``: the
    written value is a rounding of it (to a step of ``NUMBER_STEPS``/``DURATION_STEPS``) and within
    the range its hedge word allows (``hedge.HEDGES``), widened by the precision written. (The
    value as written is grounded as usual too.)"""
    low, high = atom.hedge  # type: ignore[misc]
    slack = max(atom.tolerance, 0.5 * atom.scale * 10 ** -atom.decimals)
    if not low * atom.value - slack <= value <= high * atom.value + slack:
        return False
    steps = DURATION_STEPS if atom.kind == "duration" else NUMBER_STEPS
    return any(abs(round(value / step) * step - atom.value) < 1e-6 * max(1.0, atom.value) for step in steps)


_MEMO_SIZE = 65536


class AtomMemo:
    """``extract_atoms(text)`` (without people) memoised: record and fact texts repeat.

    Owned by whoever owns the texts (one per account data, i.e. per store version); bounded.
    """

    def __init__(self, size: int = _MEMO_SIZE) -> None:
        self._size = size
        self._atoms: dict[str, tuple[Atom, ...]] = {}

    def atoms(self, text: str) -> tuple[Atom, ...]:
        hit = self._atoms.get(text)
        if hit is None:
            hit = tuple(extract_atoms(text))
            if len(self._atoms) >= self._size:
                self._atoms.clear()
            self._atoms[text] = hit
        return hit



_WORTH = re.compile(r"[\d@.]")
_ID_KEY = re.compile(r"(?:^|_)ids?$")
_DURATION_KEY = re.compile(r"minute|duration|mtt[rmad]|time_to|elapsed|cadence|_min$|_mins$", re.IGNORECASE)


class Universe:
    """The atoms a draft's facts and sources contain, indexed for ``grounds``."""

    def __init__(self, memo: AtomMemo | None = None) -> None:
        """``memo`` memoises the atoms of the texts added (None: read every text afresh)."""
        self.memo = memo
        self.ids: set[str] = set()
        self.minutes: set[datetime] = set()
        self.dates: set[date] = set()
        self.monthdays: set[tuple[int, int]] = set()
        self.times: set[tuple[int, int]] = set()
        self.years: set[float] = set()
        self.durations: set[float] = set()
        self.numbers: set[float] = set()
        self.percents: set[float] = set()
        self.points: set[float] = set()  # percentage points stated as such
        self.money: set[float] = set()
        self.currencies: set[str] = set()  # ISO codes of the amounts (``$``: a dollar of unknown kind)
        self.months: set[tuple[int, int]] = set()  # (year, month) of every date
        self.versions: set[str] = set()
        self.emails: set[str] = set()
        self.urls: set[str] = set()
        self.hosts: set[str] = set()
        self.ips: set[str] = set()
        self.regions: set[str] = set()
        self.people: set[str] = set()
        self._rounded: dict[tuple[str, int, float], set[float]] = {}

    # building -------------------------------------------------------------------------

    @classmethod
    def union(cls, parts: Iterable["Universe"]) -> "Universe":
        parts = list(parts)
        out = cls(next((p.memo for p in parts if p.memo is not None), None))
        for part in parts:
            for name, value in vars(part).items():
                if isinstance(value, set):
                    getattr(out, name).update(value)
        return out

    def add_text(self, text: str) -> "Universe":
        if not _WORTH.search(text):
            return self
        for atom in self.memo.atoms(text) if self.memo is not None else extract_atoms(text):
            self.add_atom(atom)
        return self

    def add_atom(self, atom: Atom) -> None:
        kind, value = atom.kind, atom.value
        if kind == "id":
            self.add_id(atom.text)
        elif kind == "datetime":
            self.add_datetime(value)
        elif kind == "date":
            self.add_date(value)
        elif kind == "monthday":
            self.monthdays.add(value)
        elif kind == "time":
            self.times.add(value)
        elif kind == "year":
            self.years.add(value)
        elif kind == "duration":
            self.durations.add(round(value, 6))
        elif kind == "number":
            self.numbers.add(value)
        elif kind == "percent":
            self.percents.add(value)
        elif kind == "money":
            self.money.add(value)
            self.numbers.add(value)
            if atom.unit:
                self.currencies.add(atom.unit)
        elif kind == "points":
            self.points.add(value)
        elif kind == "month":
            self.months.add(value)
        elif kind == "version":
            self.versions.add(value)
        elif kind == "email":
            self.emails.add(value)
            self.hosts.add(value.split("@", 1)[1])
        elif kind == "url":
            self.urls.add(value)
            host = re.sub(r"^https?://", "", value).split("/", 1)[0].split(":", 1)[0]
            self.hosts.add(host)
        elif kind == "hostname":
            self.hosts.add(value)
        elif kind == "ip":
            self.ips.add(value)
        elif kind == "region":
            self.regions.add(value)
        elif kind == "person":
            self.people.add(value)

    def add_id(self, raw: str) -> None:
        norm = normalize_id(raw)
        self.ids.add(norm)
        if "#" in norm:
            self.ids.add(norm.split("#", 1)[0])
        tail = re.search(r"(\d+)$", norm.split("#", 1)[0])
        if tail:
            self.numbers.add(float(tail.group(1)))

    def add_datetime(self, dt: datetime) -> None:
        dt = dt.astimezone(timezone.utc).replace(second=0, microsecond=0)
        self.minutes.add(dt)
        self.add_date(dt.date())
        self.times.add((dt.hour, dt.minute))

    def add_date(self, d: date) -> None:
        self.dates.add(d)
        self.months.add((d.year, d.month))
        self.monthdays.add((d.month, d.day))
        self.years.add(float(d.year))

    def add_value(self, value: Any, key: str = "", *, infer_durations: bool = True) -> None:
        """Add a fact value (any JSON-like structure) under its key name.

        With ``infer_durations`` a number under a key such as ``update_cadence_minutes`` also
        counts as a duration (records); facts print their minute durations as text, so they pass
        False. A number under ``…days…``/``…hours…`` keys is always a duration in that unit.
        """
        if isinstance(value, Mapping):
            for k, v in value.items():
                self.add_value(v, str(k), infer_durations=infer_durations)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for v in value:
                self.add_value(v, key, infer_durations=infer_durations)
        elif isinstance(value, bool) or value is None:
            return
        elif isinstance(value, (int, float)):
            self.numbers.add(float(value))
            if 0 < value < 1 and isinstance(value, float):
                self.percents.add(value * 100)
            if infer_durations and _DURATION_KEY.search(key):
                self.durations.add(round(float(value), 6))
            for unit, factor in (("second", 1 / 60), ("hour", 60.0), ("day", 1440.0), ("week", 10080.0)):
                if unit in key.lower():
                    self.durations.add(round(float(value) * factor, 6))
        elif isinstance(value, datetime):
            self.add_datetime(value)
        elif isinstance(value, date):
            self.add_date(value)
        elif isinstance(value, str):
            if key == "currency" and re.fullmatch(r"[A-Za-z]{3}", value.strip()):
                self.currencies.add(value.strip().upper())
            if _ID_KEY.search(key) and value and " " not in value.strip():
                self.add_id(value.strip())
            dt = parse_datetime_value(value)
            if dt is not None:
                self.add_datetime(dt)
            elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                try:
                    self.add_date(date.fromisoformat(value))
                except ValueError:
                    pass
            self.add_text(value)

    def add_pairwise_durations(self, times: Iterable[datetime]) -> None:
        """Every whole-minute gap between two of ``times`` counts as a stated duration."""
        moments = sorted({t.astimezone(timezone.utc).replace(second=0, microsecond=0) for t in times})
        for i, a in enumerate(moments):
            for b in moments[i + 1 :]:
                self.durations.add(round((b - a).total_seconds() / 60, 6))

    # matching --------------------------------------------------------------------------

    def _round_set(self, name: str, decimals: int, scale: float) -> set[float]:
        key = (name, decimals, scale)
        cached = self._rounded.get(key)
        if cached is None:
            cached = {round(v / scale, decimals) for v in getattr(self, name)}
            self._rounded[key] = cached
        return cached

    def _numeric(self, atom: Atom, *names: str) -> bool:
        if atom.hedge is not None and any(_in_range(v, atom) for name in names for v in getattr(self, name)):
            return True
        target = round(atom.value / atom.scale, atom.decimals)
        return any(target in self._round_set(name, atom.decimals, atom.scale) for name in names)

    def currency_fits(self, atom: Atom) -> bool:
        """Whether the currency written is one the records state amounts in (a ``$`` fits any
        dollar; records that name no currency accept any)."""
        if not atom.unit or not self.currencies:
            return True
        allowed = DOLLARS if atom.unit == "$" else {atom.unit}
        return bool(allowed & self.currencies) or (atom.unit in DOLLARS and "$" in self.currencies)

    def _difference(self, atom: Atom) -> bool:
        """Percentage points grounded as the difference of two percentages (to the precision written)."""
        values = sorted(self.percents)
        if len(values) > 400:
            return False
        target = round(atom.value, atom.decimals)
        low, high = atom.hedge or (1.0, 1.0)
        for i, a in enumerate(values):
            for b in values[i + 1 :]:
                gap = b - a
                if round(gap, atom.decimals) == target or (atom.hedge and low * atom.value <= gap <= high * atom.value):
                    return True
        return False

    def grounds(self, atom: Atom) -> bool:
        """Whether ``atom`` is backed by these facts and sources."""
        kind, value = atom.kind, atom.value
        if kind == "id":
            return value in self.ids or value.split("#", 1)[0] in self.ids
        if kind == "datetime":
            return value in self.minutes
        if kind == "date":
            return value in self.dates
        if kind == "monthday":
            return value in self.monthdays
        if kind == "time":
            return value in self.times
        if kind == "year":
            return value in self.years
        if kind == "duration":
            if atom.hedge is not None and any(_in_range(d, atom) for d in self.durations):
                return True
            slack = atom.tolerance if atom.tolerance < 0.5 else max(atom.tolerance, 0.5)
            return any(abs(d - value) <= slack for d in self.durations)
        if kind == "percent":
            return self._numeric(atom, "percents")
        if kind == "money":
            return self.currency_fits(atom) and self._numeric(atom, "money", "numbers")
        if kind == "points":
            return self._numeric(atom, "points", "percents") or self._difference(atom)
        if kind == "month":
            return value in self.months
        if kind == "number":
            return self._numeric(atom, "numbers", "percents", "money")
        if kind == "version":
            return (
                value in self.versions
                or value.rstrip(".x") in {v.rsplit(".", 1)[0] for v in self.versions}
                or any(v.startswith(value + ".") for v in self.versions)
            )
        if kind == "email":
            return value in self.emails
        if kind == "url":
            return value in self.urls or any(u.startswith(value) for u in self.urls)
        if kind == "hostname":
            return value in self.hosts
        if kind == "ip":
            return value in self.ips
        if kind == "region":
            return value in self.regions
        if kind == "person":
            return value in self.people
        return True  # quarters and anything not checked
