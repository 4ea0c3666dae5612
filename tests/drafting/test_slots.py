"""Fact slots, pure parts: the table cut from a digest, the residual check, reading and composing answers."""

from __future__ import annotations

import json

from copilot.drafting.composition import compose, parse_answer
from copilot.drafting.markdown import parse_sections
from copilot.drafting.residual import residuals
from copilot.drafting.slots import build_fact_table

DIGEST = """# Incident update: Label API errors

## What we know

- Since 2026-06-14 07:48 UTC: Meridian Retail Group could not create labels for roughly 20% of requests in eu-west-1. [source: INC-1]
- Reported by Sam Okafor (sam.okafor@example.com) on ticket ZD-4347, version 5.2.1. [source: ZD-4347]

## What we don't know yet

- The root cause is not confirmed yet. [source: INC-1]

## What we are doing

- Engineers are rolling back the migration. [source: INC-1:status:1]

## Workaround

No workaround is known yet. [source: INC-1]

## Next update

We will send the next update by 2026-06-14 10:50 UTC, or sooner if the situation changes. [source: plan:acme, INC-1]
"""
KIND = "incident_update"


def table():
    return build_fact_table(DIGEST, KIND, ["Sam Okafor"])


def test_every_value_of_the_digest_is_a_keyed_slot_with_its_sources() -> None:
    t = table()
    values = {s.value: s for s in t.slots.values()}
    for value in ["2026-06-14 07:48 UTC", "Meridian Retail Group", "20%", "eu-west-1", "Sam Okafor",
                  "sam.okafor@example.com", "ZD-4347", "5.2.1", "2026-06-14 10:50 UTC"]:
        assert value in values, value
    assert values["ZD-4347"].sources == ("ZD-4347",)
    assert values["2026-06-14 10:50 UTC"].sources == ("plan:acme", "INC-1")
    known = t.section_lines("known")[1]
    assert "{" in known.text and "Sam Okafor" not in known.text and "ZD-4347" not in known.text
    assert t.render(known.text).startswith("Reported by Sam Okafor (sam.okafor@example.com) on ticket ZD-4347")


def test_residual_check_names_what_no_key_supplied() -> None:
    t = table()
    clean = residuals("Labels failed for {F3} since {F1}.", t.slots, t.vocabulary)
    assert clean == []
    for text, why in [("About 45% of requests failed.", "number"), ("See ticket ZD-9999.", "ID-like"),
                      ("Mail ops@example.org.", "e-mail"), ("It started at noon.", "time of day"),
                      ("We paged Bartholomew Quinn.", "proper name"), ("Fixed at {F99}.", "fact key")]:
        reasons = residuals(text, t.slots, t.vocabulary)
        assert reasons and any(why in r for r in reasons), (text, reasons)
    # a person named in the records is a name even first in a sentence
    assert residuals("Sam reported it.", t.slots, t.vocabulary, ["Sam Okafor"])


def test_a_truncated_json_answer_keeps_its_complete_statements() -> None:
    raw = '{"known": [{"text": "Labels failed for {F3}.", "facts": ["F3"]}, {"text": "Since 2026-01-01 the'
    answer, fmt = parse_answer(raw, KIND, table())
    assert fmt == "json" and [s.text for s in answer["known"]] == ["Labels failed for {F3}."]


def test_values_copied_literally_count_as_their_keys_and_invented_ones_drop() -> None:
    t = table()
    raw = json.dumps({"What we know": ["Meridian Retail Group saw failures in eu-west-1 since 2026-06-14 07:48 UTC.",
                                       "Roughly 35% of requests failed."],
                      "next_update": [{"text": "Next update by 2026-06-14 11:50 UTC.", "facts": []}]})
    answer, fmt = parse_answer(raw, KIND, t)
    _, template = parse_sections(DIGEST, KIND)
    composed = compose(KIND, t, answer, template, fmt)
    known = composed.sections[0].text
    assert known.startswith("- Meridian Retail Group saw failures in eu-west-1 since 2026-06-14 07:48 UTC. [source: INC-1]")
    assert "35%" not in known  # the invented share is dropped
    # the template lines with a fact the kept statement left out (20%; the reporter) are appended
    assert "20%" in known and "Sam Okafor" in known and composed.completed == {"known": 2}
    assert composed.sections[-1] == template[-1] and "next_update" in composed.fallback_sections
    assert [d["section"] for d in composed.dropped] == ["known", "next_update"]
    assert composed.kept == 1 and composed.statements == 3
