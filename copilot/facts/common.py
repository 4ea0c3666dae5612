"""What every fact builder shares: sourced values, formatting, quarters, customer-safe text.

A fact is a value plus the source id(s) it came from (``Sourced``). Formatting functions
here are THE formats the draft Markdown uses (docs/draft-format.md), so guardrails can
recompute a value and compare the text exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from copilot.errors import InvalidInput
from copilot.facts.substrings import SubstringIndex

if TYPE_CHECKING:
    from copilot.records.models import AccountPlan

__all__ = [
    "Fact",
    "FactModel",
    "Sourced",
    "banned_terms",
    "customer_safe",
    "first_sentence",
    "format_date",
    "format_duration",
    "format_percent",
    "format_time",
    "has_internal_host",
    "lead_text",
    "minutes_between",
    "next_quarter",
    "parse_quarter",
    "previous_quarter",
    "quarter_bounds",
    "quarter_last_day",
    "quarter_of",
    "sentences",
    "strip_salutation",
    "utc_now",
]

T = TypeVar("T")


class FactModel(BaseModel):
    """Base for fact models: closed (unknown fields refused)."""

    model_config = ConfigDict(extra="forbid")


class Sourced(FactModel, Generic[T]):
    """A value and the source ids (ticket, comment, event, plan section, runbook) it came from."""

    value: T
    source_ids: list[str] = Field(default_factory=list)


Fact = Sourced[str]
"""The common case: a sentence or short value with its sources."""


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def format_time(dt: datetime) -> str:
    """``2026-04-12 09:05 UTC`` (the only time format drafts use)."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def format_date(d: date | datetime) -> str:
    """``2026-04-12``."""
    if isinstance(d, datetime):
        d = d.astimezone(timezone.utc).date()
    return d.isoformat()


def format_duration(minutes: float) -> str:
    """Whole minutes as ``45m``, ``1h 05m`` or ``2d 3h 10m`` (rounded to the nearest minute).

    Negative values are refused: a duration that runs backwards means the records are wrong.
    """
    total = int(round(minutes))
    if total < 0:
        raise ValueError(f"negative duration: {minutes} minutes")
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h {mins:02d}m"
    if hours:
        return f"{hours}h {mins:02d}m"
    return f"{mins}m"


def format_percent(numerator: int, denominator: int) -> str:
    """``92.3%`` (one decimal place, half away from zero); ``n/a`` when the denominator is 0."""
    if denominator == 0:
        return "n/a"
    tenths = (numerator * 1000 * 2 + denominator) // (denominator * 2)  # integer rounding, no float drift
    return f"{tenths // 10}.{tenths % 10}%"


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from ``start`` to ``end`` (seconds truncated toward zero)."""
    return int((end - start).total_seconds() // 60) if end >= start else -int((start - end).total_seconds() // 60)


# --- quarters ---------------------------------------------------------------------------

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


def parse_quarter(quarter: str) -> tuple[int, int]:
    """``"2026Q3"`` (also ``2026-Q3``, ``2026q3``) -> ``(2026, 3)``."""
    match = _QUARTER.match(quarter or "")
    if not match:
        raise InvalidInput(f"quarter {quarter!r} is not like 2026Q3")
    return int(match.group(1)), int(match.group(2))


def quarter_bounds(quarter: str) -> tuple[datetime, datetime]:
    """UTC ``[start, end)`` of a calendar quarter: ``2026Q3`` -> 2026-07-01 .. 2026-10-01."""
    year, q = parse_quarter(quarter)
    start = datetime(year, 3 * (q - 1) + 1, 1, tzinfo=timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=timezone.utc) if q == 4 else datetime(year, 3 * q + 1, 1, tzinfo=timezone.utc)
    return start, end


def quarter_of(dt: datetime | date) -> str:
    """The calendar quarter holding ``dt`` (UTC), e.g. ``2026Q3``."""
    if isinstance(dt, datetime):
        dt = dt.astimezone(timezone.utc)
    return f"{dt.year}Q{(dt.month - 1) // 3 + 1}"


def previous_quarter(quarter: str) -> str:
    year, q = parse_quarter(quarter)
    return f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"


def next_quarter(quarter: str) -> str:
    year, q = parse_quarter(quarter)
    return f"{year + 1}Q1" if q == 4 else f"{year}Q{q + 1}"


def quarter_last_day(quarter: str) -> datetime:
    """The last instant's day of the quarter, at 23:59 UTC (used as a default 'as of')."""
    return quarter_bounds(quarter)[1] - timedelta(minutes=1)


# --- text helpers -------------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])|\n+")
_INTERNAL_HOST = re.compile(
    r"\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:internal|local|corp|lan|intra|cluster\.local|svc)\b"
    r"|\b(?:\d{1,3}\.){3}\d{1,3}\b"
    r"|\b(?:ip-\d+-\d+-\d+-\d+|[a-z0-9]+(?:-[a-z0-9]+)*-(?:prod|prd|stg|staging)(?:-[a-z0-9]+)*-?\d+)\b",
    re.IGNORECASE,
)


def sentences(text: str) -> list[str]:
    """Split prose into sentences (and lines); blank pieces dropped."""
    return [s.strip() for s in _SENTENCE.split(text or "") if s and s.strip()]


_SALUTATION = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)\b[^,\n!.:]{0,40}[,!:]?[ \t]*"
    r"(?:\n|(?=[A-Z])|(?=(?:hi|hello|hey|dear)\b))",
    re.IGNORECASE)


def strip_salutation(text: str) -> str:
    """``text`` without leading greetings such as ``Hi Keira,`` or ``Hi Karen, hi Owen,``."""
    out = text or ""
    for _ in range(3):
        stripped = _SALUTATION.sub("", out, count=1).lstrip()
        if stripped == out:
            break
        out = stripped
    return out


def first_sentence(text: str, limit: int = 300) -> str:
    """The first sentence of ``text`` after any greeting, clipped to ``limit`` characters."""
    parts = sentences(strip_salutation(text))
    if not parts:
        return ""
    out = parts[0]
    return out if len(out) <= limit else out[: limit - 1].rsplit(" ", 1)[0] + "…"


def lead_text(text: str, limit: int = 240) -> str:
    """As many leading sentences (after any greeting) as fit in ``limit`` characters, at least one."""
    parts = sentences(strip_salutation(text))
    out = ""
    for part in parts:
        candidate = f"{out} {part}".strip()
        if out and len(candidate) > limit:
            break
        out = candidate
    return out if len(out) <= limit else out[: limit - 1].rsplit(" ", 1)[0] + "…"


def customer_safe(text: str, *, banned: Iterable[str] = ()) -> str:
    """Drop the sentences of ``text`` that name an internal host/IP or a banned term; mask
    secrets, e-mail addresses and phone numbers in the rest.

    Args:
        banned: words that must not reach a customer (internal codenames, other customers'
            names). Matched case-insensitively on word boundaries.
    """
    from copilot.records.redaction import mask_secrets  # the one home of the secret/PII patterns

    text = mask_secrets(text, contacts=True)
    terms, index = _banned_index(tuple(banned))
    kept = []
    for sentence in sentences(text):
        if _INTERNAL_HOST.search(sentence):
            continue
        # a cheap pre-filter (the terms whose lower case occurs in the sentence's): compile only these
        present = tuple(terms[n] for n in index.present(sentence.lower()))
        if present and _banned_pattern(present).search(sentence):
            continue
        kept.append(sentence)
    return " ".join(kept)


@lru_cache(maxsize=16)
def _banned_index(banned: tuple[str, ...]) -> tuple[tuple[str, ...], SubstringIndex]:
    """The non-blank terms of ``banned`` and an index of their lower case (built once per term list:
    a draft scrubs dozens of texts against the same thousands of other accounts' names)."""
    terms = tuple(t for t in banned if t and t.strip())
    return terms, SubstringIndex(t.lower() for t in terms)


@lru_cache(maxsize=256)
def _banned_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One whole-word, case-insensitive pattern for ``terms`` (compiled once per term list)."""
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b", re.IGNORECASE)


def banned_terms(plan: AccountPlan, plans: Iterable[AccountPlan]) -> list[str]:
    """Words a customer-facing draft for ``plan``'s account must not contain: our internal
    codenames and every other account's name and aliases."""
    terms = list(plan.internal_codenames)
    for other in plans:
        if other.account.id != plan.account.id:
            terms += [other.account.name, *other.account.aliases]
    return [t for t in terms if t and len(t) > 2]


def has_internal_host(text: str) -> bool:
    return bool(_INTERNAL_HOST.search(text or ""))
