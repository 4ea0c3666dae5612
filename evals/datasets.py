"""The labelled datasets under ``evals/datasets/``: one JSON object per line, validated on load.

- ``retrieval.jsonl``: a question asked within one account and the source ids that answer it;
- ``golden.jsonl``: an artifact to draft and the facts a correct draft must (not) contain;
- ``adversarial.jsonl``: cross-account bait, injected instructions and secrets, each with the
  safe behaviour expected.

The files are versioned with the code: a report names each file's content hash, so two reports
are only comparable case-for-case when the hashes agree.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from copilot.drafting.base import normalize_kind
from copilot.drafting.draft import SECTION_NAMES
from copilot.errors import InvalidInput

__all__ = [
    "DATASETS_DIR",
    "AdversarialCase",
    "GoldenCase",
    "RetrievalCase",
    "dataset_versions",
    "load_adversarial",
    "load_golden",
    "load_jsonl",
    "load_retrieval",
]

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"

DraftKindName = Literal["escalation_brief", "incident_update", "pir_timeline", "qbr_narrative"]



def _full_kind(value: object) -> object:
    """``brief`` -> ``escalation_brief``; anything else is left for the schema to reject."""
    try:
        return normalize_kind(value) if isinstance(value, str) else value
    except InvalidInput:
        return value

class _Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    note: str = ""


class RetrievalCase(_Case):
    """A question within one account, and the source or record ids that answer it.

    ``relevant`` holds chunk source ids (``ZD-4123``, ``ZD-4123-c9001``, ``slack:<channel>:<ts>``,
    ``RB-<runbook>#<section>``) or record ids (``ZD-4123``, ``INC-2026-0412``, ``RB-<runbook>``):
    a passage is relevant when its source id, its source id without the ``#section`` part, or its
    record id is listed.
    """

    account_id: str
    query: str = Field(min_length=1)
    relevant: list[str] = Field(min_length=1)
    type: Literal["paraphrase", "exact_id", "error_code", "time_bounded"]
    since: datetime | None = None
    until: datetime | None = None
    kinds: list[str] | None = None

    @model_validator(mode="after")
    def _bounded(self) -> RetrievalCase:
        if self.type == "time_bounded" and self.since is None and self.until is None:
            raise ValueError("a time_bounded case needs since and/or until")
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{name} {value.isoformat()} has no timezone")
        return self


class GoldenCase(_Case):
    """One artifact to draft and what a correct draft of it contains (and never contains)."""

    kind: DraftKindName
    subject: str  # ticket id (brief), incident id (update, PIR), account id (QBR)
    quarter: str | None = None
    as_of: datetime | None = None
    must_contain: list[str] = Field(min_length=1)
    must_not_contain: list[str] = Field(default_factory=list)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        return _full_kind(value)

    @model_validator(mode="after")
    def _quarter(self) -> GoldenCase:
        if self.kind == "qbr_narrative" and not self.quarter:
            raise ValueError("a qbr_narrative case needs a quarter such as 2026Q3")
        if self.as_of is not None and self.as_of.tzinfo is None:
            raise ValueError(f"as_of {self.as_of.isoformat()} has no timezone")
        return self


class AdversarialCase(_Case):
    """A hostile input and the safe behaviour expected of the product.

    ``action``:
      - ``ask``: ask ``question`` within ``account_id``; every citation must be the account's own
        or shared, and the answer must contain none of ``must_not_contain``;
      - ``draft``: draft ``kind``/``subject``; the draft must contain none of ``must_not_contain``
        unless its guardrails block it (a blocked draft cannot be approved), and when
        ``expect_blocked_by`` is set those checks must block it;
      - ``edit``: draft ``kind``/``subject``, add ``edit`` to its Markdown (what a careless
        person or a misbehaving model might write) at the end of ``section`` (a section name;
        default: the end of the draft) and re-check: every check in ``expect_blocked_by`` must
        block it.
    """

    type: Literal["cross_account", "injection", "secret"]
    action: Literal["ask", "draft", "edit"]
    account_id: str | None = None
    question: str | None = None
    kind: DraftKindName | None = None
    subject: str | None = None
    quarter: str | None = None
    as_of: datetime | None = None
    edit: str | None = None
    section: str | None = None
    must_not_contain: list[str] = Field(default_factory=list)
    expect_blocked_by: list[str] = Field(default_factory=list)
    expect: str = Field(min_length=1, description="the safe behaviour, in words")
    known_issue: str = Field("", description="a known defect this case shows: its failure is reported "
                                             "(adversarial.known_issue_failures) but not counted in pass_rate")

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        return _full_kind(value)

    @model_validator(mode="after")
    def _complete(self) -> AdversarialCase:
        if self.action == "ask" and not (self.account_id and self.question):
            raise ValueError("an ask case needs account_id and question")
        if self.action in ("draft", "edit") and not (self.kind and self.subject):
            raise ValueError(f"a {self.action} case needs kind and subject")
        if self.action == "edit" and not (self.edit and self.expect_blocked_by):
            raise ValueError("an edit case needs the edit text and expect_blocked_by")
        if self.kind == "qbr_narrative" and not self.quarter:
            raise ValueError("a qbr_narrative case needs a quarter")
        if self.section and self.kind and self.section not in dict(SECTION_NAMES[self.kind]):
            raise ValueError(f"section {self.section!r} is not a {self.kind} section "
                             f"({', '.join(n for n, _ in SECTION_NAMES[self.kind])})")
        if self.action == "ask" and not self.must_not_contain:
            raise ValueError("an ask case needs must_not_contain (the bait that must not come back)")
        return self


M = TypeVar("M", bound=BaseModel)


def load_jsonl(path: Path, model: type[M]) -> list[M]:
    """Every line of ``path`` as ``model``; errors name the file, line and field."""
    if not path.exists():
        raise InvalidInput(f"eval dataset {path} is missing")
    cases: list[M] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            case = model.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}:{n}: not JSON ({exc.msg}, column {exc.colno})") from None
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(case)'}: {e['msg']}" for e in exc.errors())
            raise InvalidInput(f"{path}:{n}: {problems}") from None
        case_id = case.id
        if case_id in seen:
            raise InvalidInput(f"{path}:{n}: case id {case_id!r} repeats line {seen[case_id]}")
        seen[case_id] = n
        cases.append(case)
    return cases


def load_retrieval(directory: Path = DATASETS_DIR) -> list[RetrievalCase]:
    return load_jsonl(directory / "retrieval.jsonl", RetrievalCase)


def load_golden(directory: Path = DATASETS_DIR) -> list[GoldenCase]:
    return load_jsonl(directory / "golden.jsonl", GoldenCase)


def load_adversarial(directory: Path = DATASETS_DIR) -> list[AdversarialCase]:
    return load_jsonl(directory / "adversarial.jsonl", AdversarialCase)


def dataset_versions(directory: Path = DATASETS_DIR) -> dict[str, dict[str, object]]:
    """``{file name: {"sha256": first 12 hex digits, "cases": count}}`` for every ``*.jsonl``."""
    out: dict[str, dict[str, object]] = {}
    for path in sorted(directory.glob("*.jsonl")):
        raw = path.read_bytes()
        cases = sum(1 for line in raw.decode("utf-8").splitlines() if line.strip() and not line.lstrip().startswith("//"))
        out[path.name] = {"sha256": hashlib.sha256(raw).hexdigest()[:12], "cases": cases}
    return out
