"""``run_qbr_batch``: QBR drafts, charts and an index for many accounts, in parallel, resumable.

Layout of the out folder::

    index.md, index.html       every account, riskiest first, with links
    summary.json               the last run's result (what ``qbr-batch --json`` prints)
    run-log.jsonl              one line per account event of every run (completed/skipped/failed)
    accounts/<id>/draft.md, draft.json, guardrails.json, charts/*.png, manifest.json

How work is spread (``executor``):

* ``process`` (default for the template backend, which is CPU-bound): the parent drafts the
  first pending account itself, warming every lazy cache (templates, guardrail patterns,
  matplotlib fonts), then forks ``workers`` processes that inherit that warm state and each open
  their own ``Copilot`` over the home (SQLite in WAL mode takes the concurrent writers).
  Threads gain nothing here: drafting, checking and plotting hold the GIL.
* ``thread`` (default for LLM backends, which wait on the network): ``workers`` threads share
  one ``Copilot``; ``workers`` is then the cap on concurrent model requests. Retries with
  backoff on rate limits, 5xx and timeouts are the backend's (``copilot.drafting.llm``).
* ``serial``: everything in this process.

Resumability: see :mod:`copilot.batch.manifest`. A second run on the same out folder at the
same time is refused (an advisory lock on ``.qbr-batch.lock``).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from copilot.batch.estimate import BatchEstimate, estimate_batch
from copilot.batch.index import write_index
from copilot.batch.manifest import AccountManifest, fingerprints, outputs_present, read_manifests
from copilot.batch.outdir import RUN_LOG, OutLock, RunLog
from copilot.batch.pool import execute_jobs
from copilot.batch.worker import FACTS_ONLY_BACKENDS, AccountJob, AccountOutcome
from copilot.drafting.base import Backend
from copilot.errors import InvalidInput
from copilot.records.files import write_json_atomic

if TYPE_CHECKING:
    from copilot.service import Copilot

__all__ = [
    "BatchFailure",
    "BatchResult",
    "Executor",
    "ProgressEvent",
    "normalize_quarter",
    "prompt_version_for",
    "run_qbr_batch",
]

Executor = Literal["auto", "process", "thread", "serial"]
SUMMARY = "summary.json"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProgressEvent(_Model):
    """``status`` is ``start`` once (``total`` = accounts to draft), then ``ok``/``failed`` per account."""

    status: Literal["start", "ok", "failed"]
    done: int
    total: int
    skipped: int = 0
    account_id: str | None = None
    error: str | None = None


class BatchFailure(_Model):
    account_id: str
    error: str


class BatchResult(_Model):
    """What a run did. ``completed``/``skipped`` list account ids; ``failed`` carries the errors."""

    quarter: str
    out: str
    index: str
    completed: list[str] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)
    failed: list[BatchFailure] = Field(default_factory=list)
    pending: list[str] = Field(default_factory=list)  # dry run: what would be drafted
    dry_run: bool = False
    run_id: str
    backend: str
    prompt_version: str
    as_of: datetime
    executor: str
    workers: int
    seconds: float = 0.0
    drafting_seconds: float = 0.0
    accounts_per_second: float | None = None
    estimate: BatchEstimate | None = None

    def cli_payload(self) -> dict[str, Any]:
        """The ``qbr-batch --json`` document: the DESIGN contract keys (counts for completed and
        skipped, the failures with their errors, the out folder) plus details."""
        data = self.model_dump(mode="json")
        data["completed_accounts"], data["skipped_accounts"] = data.pop("completed"), data.pop("skipped")
        return {"completed": len(self.completed), "skipped": len(self.skipped), "failed": data.pop("failed"),
                "out": data.pop("out"), **data}


ProgressFn = Callable[[ProgressEvent], None]


# --- helpers -------------------------------------------------------------------------------


def prompt_version_for(backend_name: str) -> str:
    """The version(s) of the prompt files a backend drafts a QBR with, e.g. ``qbr-template-2026.11.1``.

    The template backend uses only ``template.md.j2``; LLM backends also the system and user
    prompts (and the shared user prompt they include).
    """
    from copilot.drafting.prompts import PROMPTS_DIR, version_of

    folder = PROMPTS_DIR / "qbr_narrative"
    if backend_name in FACTS_ONLY_BACKENDS:
        files = [folder / "template.md.j2"]
    else:
        files = sorted(p for p in folder.iterdir() if p.is_file()) + sorted(
            p for p in (PROMPTS_DIR / "_shared").glob("*") if p.is_file())
    versions = []
    for path in files:
        with path.open(encoding="utf-8") as fh:
            first = fh.readline()
        try:
            versions.append(version_of(first, path))
        except ValueError:  # an unversioned file: its content stands in for the version
            import hashlib

            versions.append(f"{path.name}@{hashlib.sha256(path.read_bytes()).hexdigest()[:12]}")
    return "+".join(versions)


def normalize_quarter(quarter: str) -> str:
    """``2026q3`` / `` 2026Q3 `` -> ``2026Q3`` (InvalidInput for anything else)."""
    from copilot.facts.common import parse_quarter

    year, q = parse_quarter(quarter.strip())
    return f"{year}Q{q}"


def _select_accounts(copilot: "Copilot", account_ids: Iterable[str] | None) -> list[str]:
    known = [r[0] for r in copilot.store.execute("SELECT account_id FROM plans ORDER BY account_id")]
    home = copilot.settings.home
    if not known:
        raise InvalidInput(
            f"no accounts in {home}: ingest the portfolio first (`tam-copilot ingest DIR --home {home}`), "
            f"or make a synthetic one with `tam-copilot generate-portfolio --accounts 20 --seed 1 --out DIR` "
            "and ingest that")
    if account_ids is None:
        return known
    wanted = list(dict.fromkeys(a.strip() for a in account_ids if a and a.strip()))
    if not wanted:
        raise InvalidInput("no account ids given: pass --accounts A,B or --all")
    unknown = [a for a in wanted if a not in set(known)]
    if unknown:
        raise InvalidInput(f"unknown account(s) {', '.join(unknown)} in {home}; `tam-copilot list accounts` "
                           "shows the ids")
    return wanted


def _with_current_review_status(copilot: "Copilot", manifests: Iterable[AccountManifest]) -> list[AccountManifest]:
    """The manifests with each review's status as the queue has it now (a reviewer may have
    approved or rejected a draft since the run that queued it)."""
    current = {item.id: item.status for item in copilot.review.list()}
    return [m.model_copy(update={"review_status": current.get(m.review_id, m.review_status)}) if m.review_id else m
            for m in manifests]


# --- the run -------------------------------------------------------------------------------


def run_qbr_batch(
    copilot: "Copilot",
    quarter: str,
    account_ids: Iterable[str] | None,
    out_dir: str | Path,
    workers: int | None = None,
    backend: str | Backend | None = None,
    progress: ProgressFn | None = None,
    *,
    as_of: datetime | None = None,
    pin_as_of: bool = True,
    force: bool = False,
    executor: Executor = "auto",
    actor: str = "qbr-batch",
    base_url: str | None = None,
    on_estimate: Callable[[BatchEstimate], None] | None = None,
    dry_run: bool = False,
) -> BatchResult:
    """Draft the ``quarter``'s QBR for every account in ``account_ids`` (None: all) into ``out_dir``.

    Args:
        workers: parallel workers (processes for the template backend, threads, i.e. the
            concurrency limit, for LLM backends); default: the CPU count for the
            template backend, 4 for LLM backends.
        backend: a backend spec (``template``, ``openai:MODEL[@URL]``; default the home's), or a
            backend object (drafted with threads: it is not sent to worker processes).
        progress: called with a ``ProgressEvent`` at the start and after every account.
        as_of: the moment all drafts are written as of (default: now, fixed for the run).
            A pinned ``as_of`` is part of the fingerprint; "now" is not.
        pin_as_of: False drafts as of ``as_of`` while fingerprinting as if it were "now" (the
            Batch API's collecting run drafts as of its submission).
        force: redo every account even when its manifest matches.
        on_estimate: called with the token/cost estimate before an LLM run starts.
        dry_run: plan and estimate only; draft nothing.

    Raises:
        InvalidInput: a bad quarter, an empty home, unknown accounts, a busy or mismatched out folder.
    """
    quarter = normalize_quarter(quarter)
    ids = _select_accounts(copilot, account_ids)
    from copilot.drafting.registry import get_backend

    engine = backend if isinstance(backend, Backend) else get_backend(backend, copilot.settings, base_url=base_url)
    facts_only = engine.name in FACTS_ONLY_BACKENDS
    version = prompt_version_for(engine.name)
    pinned = as_of if pin_as_of else None
    as_of = (as_of or datetime.now(timezone.utc)).astimezone(timezone.utc)
    run_id = f"{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:6]}"

    out = Path(out_dir).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    lock = OutLock(out)
    try:
        for stale in out.glob(".*.tmp"):  # an index or summary write a killed run left half-done
            stale.unlink(missing_ok=True)
        existing = read_manifests(out)
        other = sorted({m.quarter for m in existing.values()} - {quarter})
        if other:
            raise InvalidInput(f"{out} holds the {', '.join(other)} batch; use another --out for {quarter}")
        prints = fingerprints(copilot.store, ids, quarter=quarter, backend=engine.name, prompt_version=version,
                              as_of=pinned)
        skipped, pending = [], []
        for account in ids:
            m = existing.get(account)
            if (not force and m is not None and m.status == "ok" and m.fingerprint == prints[account]
                    and outputs_present(out, m)):
                skipped.append(account)
            else:
                pending.append(account)

        if workers is None:
            workers = (os.cpu_count() or 1) if facts_only else 4
        workers = max(1, int(workers))
        mode = executor
        if mode == "auto":
            mode = ("process" if workers > 1 and len(pending) > 2 else "serial") if facts_only else "thread"
        if mode == "process" and isinstance(backend, Backend):
            mode = "thread"
        if mode == "thread" and workers == 1:
            mode = "serial"
        if mode == "serial":
            workers = 1

        estimate = None
        if not facts_only and pending and getattr(engine, "costs_tokens", True):
            estimate = estimate_batch(copilot, engine, pending, quarter, as_of)
            if on_estimate:
                on_estimate(estimate)

        result = BatchResult(quarter=quarter, out=str(out), index=str(out / "index.md"), skipped=skipped,
                             run_id=run_id, backend=engine.name, prompt_version=version, as_of=as_of,
                             executor=mode, workers=workers, estimate=estimate)
        if dry_run:
            result.dry_run, result.pending = True, pending
            return result

        jobs = [AccountJob(account_id=a, quarter=quarter, fingerprint=prints[a], backend=engine.name,
                           prompt_version=version, run_id=run_id, as_of=as_of, out_dir=str(out), actor=actor)
                for a in pending]
        log = RunLog(out / RUN_LOG, run_id)
        started = time.perf_counter()
        try:
            log.write("run_started", quarter=quarter, accounts=len(ids), pending=len(pending), skipped=len(skipped),
                      backend=engine.name, prompt_version=version, executor=mode, workers=workers)
            for account in skipped:
                log.write("skipped", account_id=account, reason="inputs, prompt version and outputs unchanged")
            if progress:
                progress(ProgressEvent(status="start", done=0, total=len(jobs), skipped=len(skipped)))
            done = 0

            def record(outcome: AccountOutcome) -> None:
                nonlocal done
                done += 1
                if outcome.status == "ok":
                    result.completed.append(outcome.account_id)
                    log.write("completed", account_id=outcome.account_id, seconds=outcome.seconds)
                else:
                    result.failed.append(BatchFailure(account_id=outcome.account_id, error=outcome.error or "failed"))
                    log.write("failed", account_id=outcome.account_id, seconds=outcome.seconds, error=outcome.error)
                if progress:
                    progress(ProgressEvent(status=outcome.status, done=done, total=len(jobs), skipped=len(skipped),
                                           account_id=outcome.account_id, error=outcome.error))

            execute_jobs(jobs, mode, workers, copilot, backend, base_url, lock.fd, record)
            result.drafting_seconds = round(time.perf_counter() - started, 3)
            if jobs and result.drafting_seconds > 0:
                result.accounts_per_second = round(len(jobs) / result.drafting_seconds, 2)
            write_index(out, _with_current_review_status(copilot, read_manifests(out).values()), quarter=quarter,
                        as_of=as_of, backend=engine.name)
            result.seconds = round(time.perf_counter() - started, 3)
            log.write("run_finished", completed=len(result.completed), skipped=len(skipped),
                      failed=len(result.failed), seconds=result.seconds)
        finally:
            log.close()
        write_json_atomic(out / SUMMARY, result.cli_payload())
        return result
    finally:
        lock.release()


