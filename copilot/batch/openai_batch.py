"""QBRs through the OpenAI Batch API: every prompt submitted at once (at OpenAI's batch price,
half the online one), the answers collected when they are ready (within 24 hours).

One command, run until it says the batch is collected::

    tam-copilot qbr-batch --quarter 2026Q3 --all --out OUT --backend openai:gpt-4o-mini --openai-batch

1. No batch pending in ``OUT``: each account that needs a draft (the same resume rules as any
   run) gets the exact prompt the online path would send. The prompts are uploaded as one JSONL
   file, ``OUT/openai-batch.json`` records the submission, and a batch is created carrying the
   submission's id in its metadata (a run killed in between finds that batch again rather than
   paying for a second one). Exit 3: submitted.
2. A batch pending: its status is fetched (``--wait SECONDS`` keeps polling). Still running:
   exit 3 with its progress.
3. Finished (or expired or cancelled, with whatever answers it has): every account is drafted
   from its answer with the same parsing, section filling, guardrails, charts, review queue and
   manifests as an online run; the state file moves to ``OUT/openai-batches/``. Exit 0, or 1
   when an account failed.

An account whose facts changed since submission (new records) or whose request failed at
OpenAI has no usable answer: it fails with that reason, and the next run submits it again. The
check is a SHA-256 of the account's facts, so a stale answer is never used; the retrieved
passages are not re-fetched to compare (they are context, and nearest-neighbour ties may order
differently from one process to the next).

The state file keeps, per account, what reading the answer back needs: the facts digest (the
fallback for sections the model leaves empty) and the placeholder map of the redacted prompt
(names, contacts and hosts; secrets are never written, only their placeholders). It stays in
the out folder, next to the drafts that contain the same names.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from copilot.batch.estimate import BatchEstimate
from copilot.batch.runner import BatchResult, ProgressFn, normalize_quarter, run_qbr_batch
from copilot.drafting.llm import LlmUnavailable, OpenAIBackend, PreparedPrompt
from copilot.errors import InvalidInput
from copilot.records.files import write_json_atomic
from copilot.records.redaction import Redactor

if TYPE_CHECKING:
    from copilot.drafting.base import DraftRequest
    from copilot.drafting.draft import Draft
    from copilot.service import Copilot

__all__ = [
    "ARCHIVE_DIR",
    "STATE_FILE",
    "BatchAnswers",
    "BatchState",
    "OpenAIBatchOutcome",
    "batch_priced",
    "read_state",
    "run_openai_batch",
]

STATE_FILE = "openai-batch.json"
ARCHIVE_DIR = "openai-batches"
RUNNING = frozenset({"validating", "in_progress", "finalizing", "cancelling"})
"""Batch statuses that may still produce answers; the others (completed, expired, cancelled,
failed) are final."""
BATCH_DISCOUNT = 0.5
"""The Batch API's price as a share of the online price (OpenAI: 50% off)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Submitted(_Model):
    """One account's request, as needed to read its answer back."""

    facts_sha: str  # SHA-256 of the facts the prompt was built from
    version: str  # the prompt files' versions
    digest: str
    placeholders: dict[str, str]  # placeholder -> original (secrets: "[redacted]")

    def prepared(self) -> PreparedPrompt:
        return PreparedPrompt(system="", user="", version=self.version, digest=self.digest,
                              redactor=Redactor.from_mapping(self.placeholders))


class BatchState(_Model):
    """A submitted batch, as recorded in ``OUT/openai-batch.json``."""

    submission_id: str  # also in the batch's metadata: finds the batch if its id was never recorded
    batch_id: str  # "" until the batch is created
    input_file_id: str
    backend: str
    quarter: str
    as_of: datetime  # every prompt was built as of this moment; the drafts are too
    as_of_pinned: bool  # --as-of was given (then it is part of the fingerprints)
    submitted_at: datetime
    accounts: dict[str, Submitted | None]  # None: the account's prompt could not be built
    status: str = "validating"
    collected_at: datetime | None = None


class Answer(_Model):
    text: str | None = None
    error: str | None = None


class OpenAIBatchOutcome(_Model):
    """What one invocation did: ``submitted`` or ``running`` (exit 3), ``collected`` (then
    ``result`` is the drafting run), or ``nothing_to_do`` (every account unchanged)."""

    phase: Literal["submitted", "running", "collected", "nothing_to_do"]
    out: str
    batch_id: str | None = None
    status: str | None = None
    request_counts: dict[str, int] = Field(default_factory=dict)
    accounts: list[str] = Field(default_factory=list)
    result: BatchResult | None = None
    estimate: BatchEstimate | None = None  # of the submitted prompts, at the batch price

    def cli_payload(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude={"result"})
        if self.result is not None:
            data["result"] = self.result.cli_payload()
        return data


# --- the backend that drafts from collected answers --------------------------------------------


class BatchAnswers:
    """A drafting backend over answers the Batch API already gave: ``draft(request)`` checks the
    request's facts are the ones submitted, then finishes the draft from the answer exactly as
    :class:`OpenAIBackend` does online."""

    uses_passages = False  # the prompt was sent already: no retrieval when reading the answer back
    costs_tokens = False  # the tokens were paid for at submission: no estimate before drafting

    def __init__(self, engine: OpenAIBackend, state: BatchState, answers: dict[str, Answer]) -> None:
        self.engine = engine
        self.submitted = state.accounts
        self.answers = answers
        self.name = engine.name

    def draft(self, request: DraftRequest) -> Draft:
        submitted = self.submitted.get(request.account_id)
        answer = self.answers.get(request.account_id)
        if submitted is None or answer is None:
            raise LlmUnavailable(f"the batch has no request for {request.account_id}; the next run submits it")
        if answer.error is not None:
            raise LlmUnavailable(f"the Batch API did not answer for {request.account_id} ({answer.error}); "
                                 "the next run submits it again")
        if submitted.facts_sha != facts_sha(request):
            raise LlmUnavailable(f"{request.account_id}'s records changed since the batch was submitted, so its "
                                 "answer is stale; the next run submits it again")
        return self.engine.finish(request, submitted.prepared(), answer.text or "")


def facts_sha(request: DraftRequest) -> str:
    """SHA-256 of what a request's prompt states: its kind, subject, title and facts."""
    data = json.dumps([request.kind, request.subject_id, request.title, request.facts], sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


# --- state file --------------------------------------------------------------------------------


def read_state(out: Path) -> BatchState | None:
    path = out / STATE_FILE
    if not path.exists():
        return None
    try:
        return BatchState.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InvalidInput(f"{path} is not a batch state file ({exc.__class__.__name__}); if no batch is pending, "
                           "move it away and run again") from None


def _write_new_state(out: Path, state: BatchState) -> None:
    """Create the state file; refuse if another run created one meanwhile."""
    try:
        fd = os.open(out / STATE_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise InvalidInput(f"another run is submitting a batch into {out} ({out / STATE_FILE} appeared meanwhile); "
                           "this run submitted nothing: run again to follow that batch") from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(state.model_dump_json(indent=2))


def _record_batch(out: Path, state: BatchState, batch_id: str) -> None:
    state.batch_id = batch_id
    write_json_atomic(out / STATE_FILE, state.model_dump(mode="json"))


def _archive(out: Path, state: BatchState) -> None:
    folder = out / ARCHIVE_DIR
    folder.mkdir(exist_ok=True)
    write_json_atomic(folder / f"{state.batch_id}.json", state.model_dump(mode="json"))
    (out / STATE_FILE).unlink(missing_ok=True)


# --- submit, poll, fetch ----------------------------------------------------------------------


def _requests(copilot: Copilot, engine: OpenAIBackend, accounts: Iterable[str], quarter: str,
              as_of: datetime) -> tuple[list[dict], dict[str, Submitted], list[str]]:
    """``(JSONL lines, account -> what reading its answer needs, accounts whose prompt failed)``."""
    from copilot.drafting.pipeline import build_request

    lines, submitted, broken = [], {}, []
    for account in accounts:
        try:
            request = build_request(copilot, "qbr_narrative", account, engine, as_of=as_of, quarter=quarter)
        except Exception:
            broken.append(account)
            continue
        prepared = engine.prepare(request)
        lines.append({"custom_id": account, "method": "POST", "url": "/v1/chat/completions",
                      "body": engine.chat_body(prepared.system, prepared.user, schema=prepared.schema)})
        submitted[account] = Submitted(facts_sha=facts_sha(request), version=prepared.version,
                                       digest=prepared.digest, placeholders=prepared.redactor.portable_mapping())
    return lines, submitted, broken


def _upload(engine: OpenAIBackend, lines: list[dict], quarter: str) -> str:
    """Upload the requests as one JSONL file (purpose ``batch``): its file id."""
    data = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode("utf-8")
    try:
        return engine.client.files.create(file=(f"qbr-{quarter}.jsonl", data, "application/jsonl"),
                                          purpose="batch").id
    except Exception as exc:
        raise LlmUnavailable(f"{engine.name} did not accept the batch file ({exc.__class__.__name__}: {exc}); "
                             "nothing was submitted, run again when the API is reachable") from None


def _create(engine: OpenAIBackend, state: BatchState, out: Path) -> str:
    """Create the batch (or find the one an interrupted run created): its id.

    The state file is written before the batch is created, with a submission id that the batch
    carries in its metadata, so a run killed between the two finds its batch instead of paying
    for a second one.
    """
    client = engine.client
    try:
        for batch in client.batches.list(limit=100):
            if (batch.metadata or {}).get("submission") == state.submission_id:
                return batch.id
        return client.batches.create(
            input_file_id=state.input_file_id, endpoint="/v1/chat/completions", completion_window="24h",
            metadata={"tool": "tam-copilot", "submission": state.submission_id, "quarter": state.quarter,
                      "out": str(out)[-400:]}).id
    except Exception as exc:
        raise LlmUnavailable(f"{engine.name} did not create the batch ({exc.__class__.__name__}: {exc}); "
                             "run again: the uploaded requests are recorded and will be reused") from None


def _retrieve(engine: OpenAIBackend, batch_id: str) -> Any:
    try:
        return engine.client.batches.retrieve(batch_id)
    except Exception as exc:
        raise LlmUnavailable(f"could not fetch batch {batch_id} from {engine.name} ({exc.__class__.__name__}: {exc}); "
                             "run again later, the batch is still recorded") from None


def _poll(engine: OpenAIBackend, batch_id: str, wait: float, every: float) -> Any:
    deadline = time.monotonic() + max(0.0, wait)
    while True:
        batch = _retrieve(engine, batch_id)
        if batch.status not in RUNNING or time.monotonic() >= deadline:
            return batch
        time.sleep(max(0.05, min(every, deadline - time.monotonic())))


def _file_lines(engine: OpenAIBackend, file_id: str | None) -> list[dict]:
    if not file_id:
        return []
    text = engine.client.files.content(file_id).text
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _answers(engine: OpenAIBackend, batch: Any, state: BatchState) -> dict[str, Answer]:
    """Every submitted account's answer or the reason it has none."""
    answers: dict[str, Answer] = {}
    for line in _file_lines(engine, batch.output_file_id) + _file_lines(engine, batch.error_file_id):
        account = line.get("custom_id")
        if account not in state.accounts:
            continue
        response = line.get("response") or {}
        body = response.get("body") or {}
        if response.get("status_code") == 200 and body.get("choices"):
            answers[account] = Answer(text=body["choices"][0]["message"].get("content") or "")
        else:
            error = line.get("error") or body.get("error") or {}
            reason = error.get("message") if isinstance(error, dict) else str(error)
            answers[account] = Answer(error=f"HTTP {response.get('status_code', '?')}: {reason or 'no answer'}")
    for account in state.accounts:
        answers.setdefault(account, Answer(error=f"the batch ended {batch.status} without it"))
    return answers


def _counts(batch: Any) -> dict[str, int]:
    counts = getattr(batch, "request_counts", None)
    return counts.model_dump() if counts is not None else {}


# --- the command ------------------------------------------------------------------------------


def run_openai_batch(
    copilot: Copilot,
    quarter: str,
    account_ids: Iterable[str] | None,
    out_dir: str | Path,
    backend: str | None = None,
    *,
    base_url: str | None = None,
    as_of: datetime | None = None,
    force: bool = False,
    workers: int | None = None,
    actor: str = "qbr-batch",
    wait: float = 0.0,
    poll_every: float = 30.0,
    progress: ProgressFn | None = None,
    on_estimate: Callable[[BatchEstimate], None] | None = None,
) -> OpenAIBatchOutcome:
    """Submit, poll or collect this out folder's Batch API run (see the module docstring).

    Args:
        wait: seconds to keep polling a running batch before returning ``running``.
        workers: threads that draft from the collected answers.

    Raises:
        InvalidInput: the backend is not ``openai:MODEL``, or the folder's pending batch is for
            another quarter or backend.
        LlmUnavailable: the API refused or could not be reached (nothing is lost: re-run).
    """
    from copilot.drafting.registry import get_backend

    engine = get_backend(backend, copilot.settings, base_url=base_url)
    if not isinstance(engine, OpenAIBackend):
        raise InvalidInput("--openai-batch needs an OpenAI backend: --backend openai:MODEL (the Batch API runs "
                           "on OpenAI, or on a server that implements /v1/files and /v1/batches)")
    out = Path(out_dir).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    state = read_state(out)
    if state is None:
        plan = run_qbr_batch(copilot, quarter, account_ids, out, backend=engine, as_of=as_of,
                             force=force, on_estimate=on_estimate and (lambda e: on_estimate(batch_priced(e))),
                             dry_run=True)
        if not plan.pending:
            return OpenAIBatchOutcome(phase="nothing_to_do", out=str(out))
        lines, submitted, broken = _requests(copilot, engine, plan.pending, plan.quarter, plan.as_of)
        state = BatchState(submission_id=uuid.uuid4().hex, batch_id="", input_file_id="", backend=engine.name,
                           quarter=plan.quarter, as_of=plan.as_of, as_of_pinned=as_of is not None,
                           submitted_at=datetime.now(timezone.utc), accounts={**submitted, **dict.fromkeys(broken)})
        estimate = batch_priced(plan.estimate) if plan.estimate else None
        if not lines:  # nothing to send: the run reports every account's own error
            return _collect(copilot, engine, state, None, out, force, workers, actor, progress)
        state.input_file_id = _upload(engine, lines, plan.quarter)
        _write_new_state(out, state)
        _record_batch(out, state, _create(engine, state, out))
        if wait <= 0:
            return OpenAIBatchOutcome(phase="submitted", out=str(out), batch_id=state.batch_id, status="validating",
                                      accounts=list(state.accounts), estimate=estimate)
    elif state.quarter != normalize_quarter(quarter) or state.backend != engine.name:
        raise InvalidInput(f"{out / STATE_FILE} is a pending {state.quarter} batch for {state.backend} "
                           f"(batch {state.batch_id}); run with --quarter {state.quarter} --backend {state.backend}, "
                           "or use another --out")
    elif not state.batch_id:  # a run stopped between recording the submission and the batch's id
        _record_batch(out, state, _create(engine, state, out))
    batch = _poll(engine, state.batch_id, wait, poll_every)
    if batch.status in RUNNING:
        state.status = batch.status
        write_json_atomic(out / STATE_FILE, state.model_dump(mode="json"))
        return OpenAIBatchOutcome(phase="running", out=str(out), batch_id=state.batch_id, status=batch.status,
                                  request_counts=_counts(batch), accounts=list(state.accounts))
    return _collect(copilot, engine, state, batch, out, force, workers, actor, progress)


def _collect(copilot: Copilot, engine: OpenAIBackend, state: BatchState, batch: Any, out: Path, force: bool,
             workers: int | None, actor: str, progress: ProgressFn | None) -> OpenAIBatchOutcome:
    """Draft every account of ``state`` from ``batch``'s answers (a normal run's outputs)."""
    try:
        answers = _answers(engine, batch, state) if batch is not None else {}
    except Exception as exc:
        raise LlmUnavailable(f"could not download the answers of batch {state.batch_id} ({exc.__class__.__name__}: "
                             f"{exc}); run again, the batch is still recorded") from None
    result = run_qbr_batch(copilot, state.quarter, list(state.accounts), out, workers=workers,
                           backend=BatchAnswers(engine, state, answers), progress=progress, as_of=state.as_of,
                           pin_as_of=state.as_of_pinned, force=force, actor=actor)
    if batch is not None:
        state.status, state.collected_at = batch.status, datetime.now(timezone.utc)
        _archive(out, state)
    return OpenAIBatchOutcome(phase="collected", out=str(out), batch_id=state.batch_id or None,
                              status=state.status if batch is not None else None,
                              request_counts=_counts(batch) if batch is not None else {},
                              accounts=list(state.accounts), result=result)


def batch_priced(estimate: BatchEstimate) -> BatchEstimate:
    """``estimate`` at the Batch API's price: half the online price per token."""
    if not estimate.cost_usd:  # unknown, or free (a local server)
        return estimate
    update: dict[str, Any] = {"price_note": estimate.price_note + "; Batch API: half of that"}
    if estimate.cost_usd is not None:
        update["cost_usd"] = round(estimate.cost_usd * BATCH_DISCOUNT, 6)
    if estimate.cost_usd_max is not None:
        update["cost_usd_max"] = round(estimate.cost_usd_max * BATCH_DISCOUNT, 6)
    return estimate.model_copy(update=update)
