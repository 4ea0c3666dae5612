"""Running account jobs: serially, on a thread pool (LLM backends) or on forked processes (template).

Each strategy calls ``record(outcome)`` once per job, in completion order, in the calling thread.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from copilot.batch.errors import describe_failure, short_traceback
from copilot.batch.manifest import AccountManifest, account_snapshots, write_manifest
from copilot.batch.worker import AccountJob, AccountOutcome, WorkerContext, init_process_worker, run_in_process
from copilot.errors import InvalidInput

if TYPE_CHECKING:
    from copilot.drafting.base import Backend
    from copilot.service import Copilot

__all__ = ["EXECUTORS", "execute_jobs", "preload"]

EXECUTORS = ("process", "thread", "serial")


def preload() -> None:
    """Import what every worker needs before forking, so children share it instead of re-importing."""
    import matplotlib

    matplotlib.use("Agg")
    import copilot.console.chart_images
    import copilot.drafting.pipeline
    import copilot.drafting.template
    import copilot.facts.qbr
    import copilot.review

    try:
        import copilot.guardrails.engine
        import copilot.guardrails.scorers  # noqa: F401
    except ModuleNotFoundError:  # pragma: no cover - guardrails not installed
        pass


def _failed_outcome(job: AccountJob, exc: BaseException, copilot: "Copilot",
                    error: str | None = None) -> AccountOutcome:
    """An outcome (and, best effort, a manifest) for an account whose worker itself broke."""
    error = error or describe_failure(exc, "draft", copilot.store, job.account_id)
    snapshot = account_snapshots(copilot.store, [job.account_id]).get(job.account_id)
    manifest = AccountManifest(
        account_id=job.account_id, account_name=snapshot.name if snapshot else job.account_id, quarter=job.quarter,
        status="failed", fingerprint=job.fingerprint, backend=job.backend, prompt_version=job.prompt_version,
        run_id=job.run_id, as_of=job.as_of, finished_at=datetime.now(timezone.utc), error=error, stage="worker",
        traceback=short_traceback(exc),
        **({k: getattr(snapshot, k) for k in ("health", "renewal_date", "tier", "arr")} if snapshot else {}))
    try:
        write_manifest(Path(job.out_dir), manifest)
    except OSError:
        pass
    return AccountOutcome(account_id=job.account_id, status="failed", error=error, manifest=manifest)




def execute_jobs(jobs: list[AccountJob], mode: str, workers: int, copilot: "Copilot", backend: str | Backend | None,
             base_url: str | None, lock_fd: int, record: Callable[[AccountOutcome], None]) -> None:
    if not jobs:
        return
    settings = copilot.settings
    if mode == "serial":
        context = WorkerContext(settings, backend, base_url=base_url)
        for job in jobs:
            record(context.run(job))
        return
    if mode == "thread":
        context = WorkerContext(settings, backend, base_url=base_url)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="qbr") as pool:
            _drain({pool.submit(context.run, job): job for job in jobs}, copilot, record)
        return
    if mode != "process":
        raise InvalidInput(f"unknown executor {mode!r}: use auto, process, thread or serial")
    import multiprocessing

    preload()
    # The parent drafts the first account itself: it warms every lazy cache, which the forked
    # workers then inherit, and a problem common to all accounts shows up once, early.
    first, rest = jobs[0], jobs[1:]
    parent = WorkerContext(settings, backend, base_url=base_url)
    record(parent.run(first))
    if not rest:
        return
    import copilot.batch.worker as worker_module

    gc.freeze()  # the warm caches too: out of the collector's reach, and pages the workers keep sharing
    worker_module.INHERITED_SNAPSHOT = parent.copilot.store.export_snapshot()  # shared with the forks, copy-on-write
    pool = ProcessPoolExecutor(max_workers=min(workers, len(rest)), mp_context=multiprocessing.get_context("fork"),
                               initializer=init_process_worker,
                               initargs=(settings.worker_json(), backend, base_url, os.getpid(), lock_fd))
    try:
        _drain({pool.submit(run_in_process, job): job for job in rest}, copilot, record)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        worker_module.INHERITED_SNAPSHOT = None


def _drain(futures: dict[Future, AccountJob], copilot: "Copilot", record: Callable[[AccountOutcome], None]) -> None:
    for future in as_completed(futures):
        job = futures[future]
        try:
            outcome = future.result()
        except BrokenProcessPool as exc:
            outcome = _failed_outcome(job, exc, copilot, error="a worker process died while this account was "
                                      "queued or running (out of memory? killed?); re-run qbr-batch to retry it")
        except Exception as exc:
            outcome = _failed_outcome(job, exc, copilot)
        record(outcome)
