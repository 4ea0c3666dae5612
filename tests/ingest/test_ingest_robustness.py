"""Bad data never crashes a parser: every field of a valid fixture replaced by every JSON shape.

Each mutated document must parse without raising, and every refusal must come from a
specific check (never the last-resort "could not read this row" net).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import test_ingest_incidents as test_incidents
import test_ingest_jira as test_jira
import test_ingest_slack as test_slack
import test_ingest_zendesk as test_zendesk
import yaml
from ingest_helpers import plan_dict

from copilot.ingest import AccountResolver, ParseResult
from copilot.ingest.incidents import parse_incident
from copilot.ingest.jira import parse_jira
from copilot.ingest.plans import parse_plan
from copilot.ingest.slack import parse_slack_day
from copilot.ingest.zendesk import parse_zendesk

SHAPES: list[object] = [None, 0, 1.5, True, "", "x", [], [1], {}, {"a": 1}, [{"x": None}],
                        "2026-04-12T09:14:00Z"]


def _paths(obj: object, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            yield from _paths(value, (*prefix, index))


def _replace(obj: Any, path: tuple[Any, ...], value: object) -> Any:
    if not path:
        return value
    target = obj
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return obj


Parser = Callable[[Path, object, AccountResolver], ParseResult]

CASES: list[tuple[str, object, Parser, str]] = [
    ("zendesk", test_zendesk.EXPORT, parse_zendesk, "export.json"),
    ("jira", test_jira.SEARCH, parse_jira, "search.json"),
    ("incident", yaml.safe_load(test_incidents.INCIDENT_YAML), parse_incident, "inc.yaml"),
    ("plan", plan_dict(), lambda p, d, r: parse_plan(p, d), "plan.yaml"),
    ("slack", test_slack.MESSAGES, parse_slack_day, "inc-northwind-0412/2026-04-12.json"),
]


@pytest.mark.parametrize(("name", "base", "parse", "filename"), CASES, ids=[c[0] for c in CASES])
def test_every_shape_is_handled(tmp_path: Path, resolver: AccountResolver, name: str, base: object,
                                parse: Parser, filename: str) -> None:
    path = tmp_path / filename
    unhandled = []
    for field_path in _paths(base):
        for shape in SHAPES:
            document = _replace(copy.deepcopy(base), field_path, copy.deepcopy(shape))
            result = parse(path, document, resolver)
            unhandled += [(field_path, shape, q.reason) for q in result.quarantine
                          if q.reason.startswith("could not read this row")]
    assert unhandled == []
