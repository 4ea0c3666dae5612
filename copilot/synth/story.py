"""The generator's story data: YAML files under ``copilot/synth/stories/``, validated on load.

Each file has a pydantic model (``extra="forbid"``), so a typo in a key or a value of the wrong
shape fails with the file and the key named, e.g.::

    archetypes/defects.yaml: archetypes[3] (key: auth-key-revoked).subjetcs: Extra inputs are not permitted

The bundled files are read with ``importlib.resources`` and cached; ``load_story`` reads any one
file (a path or a resource) into a model.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from copilot.synth.world import COMPONENTS, REGIONS

__all__ = [
    "AccountVocabulary",
    "Archetype",
    "ArchetypeFile",
    "Cause",
    "CorrectiveAction",
    "Phrases",
    "Runbook",
    "RunbookFile",
    "RunbookSection",
    "Scenario",
    "ScenarioMessage",
    "Staff",
    "StaffMember",
    "StoryError",
    "account_vocabulary",
    "archetypes",
    "load_story",
    "phrases",
    "runbooks",
    "scenarios",
    "staff",
]

ARCHETYPE_FILES = ("archetypes/defects.yaml", "archetypes/questions.yaml")
"""Loaded in this order: the seeded generator draws archetypes in file order."""

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""``yaml.safe_load``'s loader, in libyaml's C version where installed (about 10x faster)."""

Model = TypeVar("Model", bound=BaseModel)
Span = tuple[int, int]


class StoryError(ValueError):
    """A story file that is not valid YAML or does not match its model."""


class _Story(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _known_component(value: str) -> str:
    if value and value not in COMPONENTS:
        raise ValueError(f"unknown component {value!r}; expected one of {', '.join(COMPONENTS)}")
    return value


# --- ticket archetypes --------------------------------------------------------------------------


class Cause(_Story):
    """A root cause an agent states when solving a ticket, and the fix (empty for questions)."""

    cause: str
    fix: str = ""


class Archetype(_Story):
    """One recurring kind of ticket on one component; its text fields are ``str.format`` templates."""

    key: str
    component: str
    code: str = ""
    kind: Literal["defect", "question"]
    weights: tuple[float, float, float, float]
    """Affinity for P1, P2, P3, P4."""
    zd_type: Literal["incident", "problem", "question", "task"]
    tag: str
    subjects: tuple[str, ...]
    symptoms: tuple[str, ...]
    logs: tuple[str, ...] = ()
    repro: tuple[str, ...] = ()
    impacts: tuple[str, ...] = ()
    workaround: str = ""
    asks: tuple[str, ...] = ()
    internal: tuple[str, ...] = ()
    followups: tuple[str, ...] = ()
    updates: tuple[str, ...] = ()
    causes: tuple[Cause, ...] = ()

    _component = field_validator("component")(_known_component)


class ArchetypeFile(_Story):
    archetypes: tuple[Archetype, ...]


class Phrases(_Story):
    """Stock phrases of ticket threads, shared by every archetype and incident."""

    customer_openers: tuple[str, ...]
    customer_followups: tuple[str, ...]
    customer_confirms: tuple[str, ...]
    agent_first_response_leads: tuple[str, ...]
    agent_closers: tuple[str, ...]
    neutral_updates: tuple[str, ...]
    internal_notes: tuple[str, ...]
    incident_monitoring_updates: tuple[str, ...]
    """The TAM's updates while an incident stays open in monitoring, in turn."""


# --- incident scenarios -------------------------------------------------------------------------

Role = Literal["bot", "sre", "sre2", "ic", "eng", "em", "tam", "support"]


class ScenarioMessage(_Story):
    """One scripted message of an incident channel, anchored to a phase between milestones."""

    phase: Literal["detect", "engage", "mitigate", "resolve", "monitor"]
    role: Role
    text: str
    flags: tuple[Literal["start", "identified", "root_cause", "hypothesis", "ticket"], ...] = ()


class CorrectiveAction(_Story):
    action: str
    owner: Role
    due_days: int
    status: Literal["done", "in_progress", "open"]


class Durations(_Story):
    """[min, max] minutes of each phase; the order is the order the generator draws them."""

    detect: Span
    engage: Span
    mitigate: Span
    resolve: Span


class Scenario(_Story):
    """A scripted incident: its channel, customer ticket and post-incident review material."""

    key: str
    component: str
    priority: Literal["P1", "P2", "P3", "P4"]
    code: str
    ongoing: bool
    title: str
    summary: str
    customer_impact: str
    workaround: str
    durations: Durations
    ticket_offset: Span
    ticket_subject: str
    ticket_body: str
    ticket_logs: tuple[str, ...]
    symptom_short: str
    recovery: str
    root_cause: str
    root_cause_customer: str
    contributing: tuple[str, ...]
    actions: tuple[CorrectiveAction, ...]
    messages: tuple[ScenarioMessage, ...]

    _component = field_validator("component")(_known_component)


# --- runbooks -----------------------------------------------------------------------------------


class RunbookSection(_Story):
    heading: str
    body: str


class Runbook(_Story):
    id: str
    title: str
    component: str = ""
    tags: tuple[str, ...]
    sections: tuple[RunbookSection, ...]

    _component = field_validator("component")(_known_component)


class RunbookFile(_Story):
    runbooks: tuple[Runbook, ...]


# --- people and random accounts -----------------------------------------------------------------


class StaffMember(_Story):
    name: str
    title: str


class Staff(_Story):
    """Our people by group; each group gives its members their role."""

    support_agents: dict[str, tuple[StaffMember, ...]]
    tams: tuple[StaffMember, ...]
    account_execs: tuple[StaffMember, ...]
    sres: tuple[StaffMember, ...]
    incident_commanders: tuple[StaffMember, ...]
    eng_managers: tuple[StaffMember, ...]
    support_leads: tuple[StaffMember, ...]
    component_engineers: dict[str, StaffMember]

    @field_validator("support_agents")
    @classmethod
    def _every_region(cls, value: dict[str, Any]) -> dict[str, Any]:
        if missing := [r for r in REGIONS if r not in value]:
            raise ValueError(f"no support agents for region(s) {', '.join(missing)}")
        return value

    @field_validator("component_engineers")
    @classmethod
    def _every_component(cls, value: dict[str, Any]) -> dict[str, Any]:
        if missing := [c for c in COMPONENTS if c not in value]:
            raise ValueError(f"no engineer for component(s) {', '.join(missing)}")
        return value


class NameSuffix(_Story):
    suffix: str
    industry: str


class StakeholderRole(_Story):
    seniority: str
    buying_role: str
    function: str
    titles: tuple[str, ...]


class ValueTemplate(_Story):
    """A value-realization outcome; ``{b}`` (baseline) and ``{c}`` (current) are drawn from the ranges."""

    component: str
    outcome: str
    metric: str
    baseline: str
    current: str
    baseline_range: Span
    current_range: Span


class RiskTemplate(_Story):
    title: str
    likelihood: Literal["low", "medium", "high"]
    impact: Literal["low", "medium", "high"]
    mitigation: str


class SuccessTemplate(_Story):
    item: str
    owner: Literal["tam", "customer"]


class AccountVocabulary(_Story):
    """What random accounts are made of: company names, customer people, plan content."""

    name_prefixes: tuple[str, ...]
    name_suffixes: tuple[NameSuffix, ...]
    name_qualifiers: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    stakeholder_roles: tuple[StakeholderRole, ...]
    value_templates: tuple[ValueTemplate, ...]
    risk_templates: tuple[RiskTemplate, ...]
    success_templates: tuple[SuccessTemplate, ...]
    roadmap_lines: tuple[str, ...]
    whitespace: tuple[str, ...]


# --- loading ------------------------------------------------------------------------------------


def _where(raw: Any, loc: tuple[int | str, ...]) -> str:
    """``archetypes[3] (key: x).subjects`` for a pydantic error location, naming list items by key."""
    out, node = "", raw
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            name = next((node[k] for k in ("key", "id", "name") if isinstance(node, dict) and k in node), None)
            if name is not None:
                out += f" ({'key' if 'key' in node else 'id' if 'id' in node else 'name'}: {name})"
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "(top level)"


def load_story(source: Path | Traversable, model: type[Model], name: str | None = None) -> Model:
    """Read one story YAML file into ``model``.

    Args:
        source: the file (a filesystem path or an ``importlib.resources`` resource).
        model: the pydantic model of the file.
        name: how errors name the file (default: ``source``'s path).

    Raises:
        StoryError: the file is not valid YAML or does not match the model; the message names
            the file and, for each problem, the key and what was wrong.
    """
    label = name or str(source)
    try:
        raw = yaml.load(source.read_text(encoding="utf-8"), Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        raise StoryError(f"{label}: not valid YAML: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{label}: {_where(raw, err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise StoryError("\n".join(problems)) from exc


def _bundled(relative: str, model: type[Model]) -> Model:
    resource = files("copilot.synth").joinpath("stories", *relative.split("/"))
    return load_story(resource, model, f"copilot/synth/stories/{relative}")


def _unique(items: tuple[Any, ...], attr: str, what: str) -> None:
    seen: set[str] = set()
    for item in items:
        value = getattr(item, attr)
        if value in seen:
            raise StoryError(f"copilot/synth/stories: two {what} share the {attr} {value!r}")
        seen.add(value)


@cache
def archetypes() -> tuple[Archetype, ...]:
    """Every ticket archetype, in the order the generator draws them."""
    found = tuple(a for rel in ARCHETYPE_FILES for a in _bundled(rel, ArchetypeFile).archetypes)
    _unique(found, "key", "archetypes")
    return found


@cache
def scenarios() -> dict[str, Scenario]:
    """Every incident scenario by key, one file each under ``stories/scenarios/``."""
    folder = files("copilot.synth").joinpath("stories", "scenarios")
    found: dict[str, Scenario] = {}
    for resource in sorted(folder.iterdir(), key=lambda r: r.name):
        if not resource.name.endswith(".yaml"):
            continue
        label = f"copilot/synth/stories/scenarios/{resource.name}"
        scenario = load_story(resource, Scenario, label)
        if scenario.key != resource.name.removesuffix(".yaml"):
            raise StoryError(f"{label}: key: {scenario.key!r} must match the file name")
        found[scenario.key] = scenario
    return found


@cache
def runbooks() -> tuple[Runbook, ...]:
    """The runbooks shared by every account."""
    found = _bundled("runbooks.yaml", RunbookFile).runbooks
    _unique(found, "id", "runbooks")
    return found


@cache
def phrases() -> Phrases:
    return _bundled("phrases.yaml", Phrases)


@cache
def staff() -> Staff:
    return _bundled("staff.yaml", Staff)


@cache
def account_vocabulary() -> AccountVocabulary:
    return _bundled("accounts.yaml", AccountVocabulary)
