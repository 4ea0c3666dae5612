"""Mutation classes for values in the forms people write them (issue 11, item 3), one function each.

Each writes a value wrong in one form — in words, with a magnitude suffix, with a unit or a
currency, as an instant without its year, as a weekday/quarter/month label, as a gap between two
milestones, hedged — choosing wrong values from the records alone (a value no record of the
account states), never from the guardrails' verdict. All are deterministic classes: recall 1.0.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from random import Random

from copilot.drafting.draft import Draft
from copilot.records.models import Incident
from evals.guardrail_bench.mutations import _TIME, Mutation, World, _facts_text, _in_prose, _insert_sentence

__all__ = ["VALUE_MUTATIONS"]

_GROUNDING = frozenset({"grounding", "qbr"})
_VALUES = frozenset({"values"})
_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_PREFER = ("summary", "known", "impact", "top_issues", "contributing_factors", "highlights")


def in_words(n: int) -> str:
    """``25`` -> ``twenty-five`` (0-99)."""
    if n < 20:
        return _WORDS[n]
    tens, unit = divmod(n, 10)
    return _TENS[tens - 2] + (f"-{_WORDS[unit]}" if unit else "")


def _account_text(draft: Draft, world: World) -> str:
    """The draft, its facts and every record of its account, as text."""
    parts = [draft.markdown, _facts_text(draft), world.plans[draft.account_id].model_dump_json()]
    parts += [t.model_dump_json() for t in world.tickets.get(draft.account_id, [])]
    parts += [i.model_dump_json() for i in world.incidents.get(draft.account_id, [])]
    return "\n".join(parts)


def _account_numbers(draft: Draft, world: World) -> set[float]:
    """Every number the account's records, the draft and its facts write (a value to avoid)."""
    return {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", _account_text(draft, world))}


def _account_percents(draft: Draft, world: World) -> list[float]:
    """Every percentage the account's records and the draft write (``92.3%``, or a fraction ``0.923``)."""
    text = _account_text(draft, world)
    found = [float(n) for n in re.findall(r"(\d+(?:\.\d+)?)\s?(?:%|percent)", text)]
    found += [float(n) * 100 for n in re.findall(r"(?<![\d.])0\.\d+", text)]
    return found


def _inserted(draft: Draft, rng: Random, sentence: str, expected: frozenset[str], note: str) -> Mutation:
    out, span = _insert_sentence(draft.markdown, draft.kind, sentence, rng, prefer=_PREFER)
    return Mutation(out, span, expected, note)


def _replaced(md: str, match: re.Match[str], new: str, expected: frozenset[str], note: str) -> Mutation:
    out = md[: match.start()] + new + md[match.end() :]
    return Mutation(out, (match.start(), match.start() + len(new)), expected, note)


def _times(md: str) -> list[tuple[re.Match[str], datetime]]:
    found = []
    for match in _TIME.finditer(md):
        if _in_prose(md, match.start(), match.end()):
            found.append((match, datetime.fromisoformat(f"{match[1]}T{match[2]}:{match[3]}+00:00")))
    return found


# --- numbers ----------------------------------------------------------------------------------


def count_in_words(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """An invented count written in words: "fourteen tickets were reopened"."""
    avoid = _account_numbers(draft, world)
    choices = [n for n in range(13, 99) if float(n) not in avoid]
    if not choices:
        return None
    n = rng.choice(choices)
    return _inserted(draft, rng, f"- {in_words(n).capitalize()} tickets were reopened after the fix.", _GROUNDING,
                     f"count in words: {in_words(n)} ({n}), stated by no record")


def count_with_suffix(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """An invented volume with a magnitude suffix: "4.7k failed requests", "1.3M events"."""
    avoid = _account_numbers(draft, world)
    for _ in range(20):
        value, suffix = (rng.randint(11, 99) / 10, rng.choice(["k", "M"]))
        scale = 1e3 if suffix == "k" else 1e6
        full = value * scale
        if all(abs(n - full) > 0.06 * scale for n in avoid) and value not in avoid:  # grounding reads ±0.05 × scale
            text = f"{value:.1f}{suffix}"
            return _inserted(draft, rng, f"- {text} requests failed during the window.", _GROUNDING,
                             f"suffixed count {text} ({full:,.0f}), stated by no record")
    return None


def latency_in_ms(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """An invented latency with its unit: "p95 latency peaked at 8,431 ms"."""
    avoid = _account_numbers(draft, world)
    value = next((v for v in rng.sample(range(1200, 9800), 40) if float(v) not in avoid), None)
    if value is None:
        return None
    return _inserted(draft, rng, f"- Checkout latency peaked at {value:,} ms.", _GROUNDING,
                     f"latency {value:,} ms, stated by no record")


def currency_swapped(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """The account's real ARR in another currency: "€480,000" for a USD contract."""
    contract = world.plans[draft.account_id].contract
    wrong = {"USD": "€", "EUR": "$", "GBP": "$"}.get(contract.currency.upper(), "€")
    text = f"{wrong}{contract.arr:,.0f}"
    return _inserted(draft, rng, f"- The renewal covers {text} in ARR.", _GROUNDING,
                     f"ARR {contract.arr:,.0f} {contract.currency} written as {text}")


def points_invented(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """A change in percentage points no two percentages of the records give."""
    avoid = sorted(v for v in _account_numbers(draft, world) if 0 <= v <= 100)
    gaps = {round(b - a, 2) for i, a in enumerate(avoid) for b in avoid[i + 1 :]} | {round(v, 2) for v in avoid}
    for _ in range(40):
        value = round(rng.uniform(11, 60), 2)
        if value not in gaps and round(value, 1) not in gaps:
            return _inserted(draft, rng, f"- SLA attainment moved {value:.2f} percentage points.", _GROUNDING,
                             f"{value:.2f} percentage points, not a percentage or a difference of two")
    return None


def hedged_percent_far(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """A hedged percentage outside its documented range: "about 23%" when nothing is near 23%."""
    avoid = _account_percents(draft, world)
    for value in rng.sample(range(11, 40), 29):
        if all(abs(v - value) > 0.15 * value for v in avoid):
            return _inserted(draft, rng, f"- About {value}% of orders were affected.", _GROUNDING,
                             f"about {value}% (±10%): no record value in range")
    return None


# --- dates and times ---------------------------------------------------------------------------


def weekday_mislabelled(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """A wrong weekday before a real date: "Tuesday 2026-11-13 14:05 UTC" when it was a Friday."""
    found = _times(draft.markdown)
    if not found:
        return None
    match, at = rng.choice(found)
    wrong = _DAYS[(at.weekday() + rng.randint(1, 6)) % 7]
    new = f"{wrong} {match.group(0)}"
    return _replaced(draft.markdown, match, new, _VALUES, f"{at:%Y-%m-%d} is a {_DAYS[at.weekday()]}, not {wrong}")


def quarter_mislabelled(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """A wrong quarter after a real date: "2026-11-13 14:05 UTC (Q3)"."""
    found = _times(draft.markdown)
    if not found:
        return None
    match, at = rng.choice(found)
    actual = (at.month - 1) // 3 + 1
    wrong = rng.choice([q for q in (1, 2, 3, 4) if q != actual])
    new = f"{match.group(0)} (Q{wrong})"
    return _replaced(draft.markdown, match, new, _VALUES, f"{at:%Y-%m-%d} is in Q{actual}, not Q{wrong}")


def instant_recombined(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """One event's day with another's time, without the year: "Nov 13, 09:40 UTC"."""
    found = _times(draft.markdown)
    stated = {(at.month, at.day, at.hour, at.minute) for _, at in found}
    stated |= {(int(mo), int(d), int(h), int(mi))  # every instant of the account's records, in any year
               for mo, d, h, mi in re.findall(r"\d{4}-(\d\d)-(\d\d)[T ](\d\d):(\d\d)", _account_text(draft, world))}
    pairs = [(m, a, b) for m, a in found for _, b in found
             if a.date() != b.date() and (a.month, a.day, b.hour, b.minute) not in stated]
    if not pairs:
        return None
    match, day, time = rng.choice(pairs)
    new = f"{_MONTHS[day.month - 1][:3]} {day.day}, {time:%H:%M} UTC"
    return _replaced(draft.markdown, match, new, frozenset({"values", "grounding", "timeline", "update_form"}),
                     f"{match.group(0)} -> {new} (that day, another event's time)")


def month_year_invented(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """A month-year no record has a date in: "first reported in March 2023"."""
    text = _account_text(draft, world)
    for _ in range(24):
        year, month = rng.choice([2021, 2022, 2023]), rng.randint(1, 12)
        if f"{year}-{month:02d}" not in text:
            phrase = f"{_MONTHS[month - 1]} {year}"
            return _inserted(draft, rng, f"- The customer first reported this in {phrase}.", _GROUNDING,
                             f"{phrase}: no record dated that month")
    return None


# --- relative durations ---------------------------------------------------------------------------


def _subject_incident(draft: Draft, world: World) -> Incident | None:
    incident = world.incident_by_id.get(draft.subject_id)
    if incident is not None:
        return incident
    related = [i for i in world.incidents.get(draft.account_id, []) if draft.subject_id in i.related_tickets]
    return related[0] if related else None


def relative_in_words(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """'mitigated three hours after detection' when the record's gap is another."""
    incident = _subject_incident(draft, world)
    if incident is None or incident.detected_at is None or incident.mitigated_at is None:
        return None
    gap = (incident.mitigated_at - incident.detected_at).total_seconds() / 60
    hours = [h for h in range(1, 13) if abs(h * 60 - gap) > 45]
    h = rng.choice(hours)
    unit = "hour" if h == 1 else "hours"
    return _inserted(draft, rng, f"- {incident.id} was mitigated {in_words(h)} {unit} after detection.", _VALUES,
                     f"{in_words(h)} {unit}; the record's gap is {gap:.0f} minutes")


def relative_in_digits(draft: Draft, world: World, rng: Random) -> Mutation | None:
    """'resolved 3h 20m after the start of impact' when the record's gap is another."""
    incident = _subject_incident(draft, world)
    if incident is None or incident.started_at is None or incident.resolved_at is None:
        return None
    gap = round((incident.resolved_at - incident.started_at).total_seconds() / 60)
    delta = rng.choice([-47, -25, 19, 38, 65])
    stated = gap + delta if gap + delta > 0 else gap + abs(delta)
    hours, mins = divmod(stated, 60)
    text = f"{hours}h {mins:02d}m" if hours else f"{mins}m"
    return _inserted(draft, rng, f"- {incident.id} was resolved {text} after the start of impact.", _VALUES,
                     f"{text}; the record's gap is {timedelta(minutes=gap)}")


VALUE_MUTATIONS: dict[str, Callable[[Draft, World, Random], Mutation | None]] = {
    "value_count_in_words": count_in_words,
    "value_count_with_suffix": count_with_suffix,
    "value_latency_in_ms": latency_in_ms,
    "value_currency_swapped": currency_swapped,
    "value_points_invented": points_invented,
    "value_hedged_percent_far": hedged_percent_far,
    "value_weekday_mislabelled": weekday_mislabelled,
    "value_quarter_mislabelled": quarter_mislabelled,
    "value_instant_recombined": instant_recombined,
    "value_month_year_invented": month_year_invented,
    "value_relative_in_words": relative_in_words,
    "value_relative_in_digits": relative_in_digits,
}
"""Mutation class -> function (deterministic: each must be blocked every time)."""
