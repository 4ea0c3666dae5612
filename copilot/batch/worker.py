"""One account's batch QBR: draft -> files -> charts -> review queue -> manifest (last).

A ``WorkerContext`` holds what a worker reuses across accounts (its own ``Copilot`` over the
home, the backend, the review queue). The runner uses one per process (process pool: each
worker opens the home itself) or one shared by all threads (thread pool, serial).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from copilot.batch.errors import describe_failure, short_traceback
from copilot.batch.manifest import (
    ACCOUNTS_DIR,
    AccountManifest,
    GuardrailSummary,
    account_dir,
    account_snapshots,
    write_manifest,
)
from copilot.config import Settings
from copilot.drafting.base import Backend
from copilot.drafting.draft import Draft, GuardrailReport
from copilot.errors import Conflict, NotFound
from copilot.records.files import write_bytes_atomic, write_json_atomic, write_text_atomic
from copilot.service import Copilot

__all__ = [
    "AccountJob",
    "AccountOutcome",
    "BatchCopilot",
    "OUTPUT_FILES",
    "WorkerContext",
    "guardrail_summary",
    "init_process_worker",
    "run_in_process",
]

OUTPUT_FILES: dict[str, str] = {
    "draft_md": "draft.md",
    "draft_json": "draft.json",
    "guardrails": "guardrails.json",
    "chart_severity": "charts/tickets-by-severity.png",
    "chart_sla": "charts/sla-compliance.png",
    "chart_mttr": "charts/mttr-trend.png",
}
"""Output name -> path inside the account's folder (``accounts/<id>/``)."""

FACTS_ONLY_BACKENDS = frozenset({"template"})
"""Backends that draft from the facts alone and never read retrieved passages."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AccountJob(_Model):
    account_id: str
    quarter: str
    fingerprint: str
    backend: str  # the backend's name (model and server included), as recorded in the manifest
    prompt_version: str
    run_id: str
    as_of: datetime
    out_dir: str
    actor: str = "qbr-batch"


class AccountOutcome(_Model):
    account_id: str
    status: Literal["ok", "failed"]
    error: str | None = None
    seconds: float = 0.0
    manifest: AccountManifest | None = None


class BatchCopilot(Copilot):
    """A ``Copilot`` for batch workers: records read from a per-worker snapshot
    (:class:`copilot.batch.snapshot.SnapshotStore`), and no retrieval when the backend drafts
    from facts only.

    The template backend never reads ``DraftRequest.passages`` and the guardrails check a draft
    against the records, not against passages, so retrieving them would only cost time (and
    load the embedding model and Chroma into every worker). LLM backends keep retrieval.
    """

    retrieval: bool = True

    def __init__(self, home: str | Path | None = None, settings: Settings | None = None) -> None:
        super().__init__(home, settings)
        from copilot.batch.snapshot import SnapshotStore

        self.store.close()
        self.store = SnapshotStore(self.settings.db_path)

    def search(self, account_id: str, query: str, k: int = 8, **filters: Any):
        if not self.retrieval:
            return []
        return super().search(account_id, query, k, **filters)


def guardrail_summary(report: GuardrailReport | None) -> GuardrailSummary:
    if report is None:
        return GuardrailSummary(status="unchecked")
    warnings = sum(1 for f in report.findings if f.severity == "warn")
    return GuardrailSummary(status="passed" if report.passed else "blocked", blocking=len(report.blocking),
                            warnings=warnings, crashed=list(report.crashed))


class WorkerContext:
    """Per-worker state: a Copilot over the home, the drafting backend and the review queue.

    The review queue's checker reuses the guardrail report that drafting just produced for the
    very same Markdown (same process, same records, deterministic checks) instead of running
    every check a second time; a draft it has not seen is checked in full as usual.
    """

    def __init__(self, settings: Settings, backend: str | Backend | None, *, base_url: str | None = None) -> None:
        from copilot.drafting.registry import get_backend
        from copilot.review import ReviewQueue

        self.copilot = BatchCopilot(settings=settings)
        self.backend = backend if isinstance(backend, Backend) else get_backend(backend, settings, base_url=base_url)
        self.copilot.retrieval = self.backend.name not in FACTS_ONLY_BACKENDS
        self._reports: dict[str, GuardrailReport] = {}
        self._lock = threading.Lock()
        self.queue = ReviewQueue(self.copilot.store, self._check)

    # --- review ---------------------------------------------------------------------------

    def _check(self, draft: Draft) -> GuardrailReport:
        with self._lock:
            report = self._reports.pop(draft.content_hash, None)
        return report if report is not None else self.copilot.review.checker(draft)

    def submit(self, draft: Draft, actor: str) -> tuple[str, str]:
        """``(review id, status)``: the draft's existing review if it has one, else a new ``in_review``.

        A draft id is a hash of its Markdown, so after a kill between submit and manifest the
        re-run finds the review it already made instead of queueing the same text twice.
        """
        try:
            item = self.queue.get(draft.id)
            return item.id, item.status
        except NotFound:
            pass
        if draft.guardrails is not None:
            with self._lock:
                self._reports[draft.content_hash] = draft.guardrails
        try:
            item = self.queue.submit(draft, actor)
        except Conflict:  # another run queued it a moment ago
            item = self.queue.get(draft.id)
        finally:
            with self._lock:
                self._reports.pop(draft.content_hash, None)
        return item.id, item.status

    # --- one account ----------------------------------------------------------------------

    def run(self, job: AccountJob) -> AccountOutcome:
        """Produce every output for ``job.account_id``; never raises for an account's own failure."""
        from copilot.console.chart_images import chart_pngs

        started = time.perf_counter()
        out = Path(job.out_dir)
        folder = account_dir(out, job.account_id)
        snapshot = account_snapshots(self.copilot.store, [job.account_id]).get(job.account_id)
        base: dict[str, Any] = {
            "account_id": job.account_id, "account_name": snapshot.name if snapshot else job.account_id,
            "quarter": job.quarter, "fingerprint": job.fingerprint, "backend": job.backend,
            "prompt_version": job.prompt_version, "run_id": job.run_id, "as_of": job.as_of,
            **({k: getattr(snapshot, k) for k in ("health", "renewal_date", "tier", "arr")} if snapshot else {}),
        }
        _remove_stale_temps(folder)
        timings: dict[str, float] = {}
        stage, mark = "draft", time.perf_counter()

        def lap(name: str) -> None:
            nonlocal mark
            now = time.perf_counter()
            timings[name] = round(now - mark, 4)
            mark = now

        try:
            draft = self.copilot.draft("qbr_narrative", job.account_id, backend=self.backend, as_of=job.as_of,
                                       quarter=job.quarter)
            lap("draft")
            stage = "write"
            payload = draft.model_dump(mode="json")
            write_text_atomic(folder / OUTPUT_FILES["draft_md"], draft.markdown, fsync=False)
            write_json_atomic(folder / OUTPUT_FILES["draft_json"], payload, fsync=False)
            write_json_atomic(folder / OUTPUT_FILES["guardrails"], {
                "draft_id": draft.id, **(payload.get("guardrails") or {"passed": None, "findings": []}),
                "scores": payload.get("scores", {})}, fsync=False)
            lap("write")
            stage = "charts"
            data = self.copilot.chart_data(job.account_id, job.quarter)
            for name, png in chart_pngs(data, f"{base['account_name']} {job.quarter}").items():
                write_bytes_atomic(folder / OUTPUT_FILES[f"chart_{name}"], png, fsync=False)
            lap("charts")
            stage = "review"
            review_id, review_status = self.submit(draft, job.actor)
            lap("review")
            stage = "manifest"
            rel = f"{ACCOUNTS_DIR}/{job.account_id}"
            manifest = AccountManifest(
                **{**base, "prompt_version": draft.prompt_version or job.prompt_version}, status="ok",
                finished_at=datetime.now(timezone.utc), seconds=round(time.perf_counter() - started, 4),
                draft_id=draft.id, review_id=review_id, review_status=review_status,
                guardrails=guardrail_summary(draft.guardrails),
                files={name: f"{rel}/{path}" for name, path in OUTPUT_FILES.items()}, timings=timings)
        except Exception as exc:
            _remove_outputs(folder)
            manifest = AccountManifest(
                **base, status="failed", finished_at=datetime.now(timezone.utc),
                seconds=round(time.perf_counter() - started, 4), timings=timings, stage=stage,
                error=describe_failure(exc, stage, self.copilot.store, job.account_id),
                traceback=short_traceback(exc))
        write_manifest(out, manifest)  # the commit point: last, atomic, fsync'd
        return AccountOutcome(account_id=job.account_id, status=manifest.status, error=manifest.error,
                              seconds=manifest.seconds, manifest=manifest)


def _remove_stale_temps(folder: Path) -> None:
    """Temp files a killed run left mid-write (``.<name>.<random>.tmp``); the out-folder lock
    guarantees no other run is writing them now."""
    if folder.is_dir():
        for tmp in folder.rglob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def _remove_outputs(folder: Path) -> None:
    """Stale outputs of an earlier run must not pass for this run's result."""
    for rel in OUTPUT_FILES.values():
        (folder / rel).unlink(missing_ok=True)


# --- process pool plumbing ------------------------------------------------------------------

_CONTEXT: WorkerContext | None = None
_INIT_ERROR: str | None = None
INHERITED_SNAPSHOT: dict | None = None
"""Set by the runner just before forking: the parent's parsed records, adopted by every worker."""


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this worker when the batch process dies (e.g. ``kill -9``), so no
    orphan keeps writing into the out folder while a re-run starts."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - not glibc
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def init_process_worker(settings_json: str, backend: str | None, base_url: str | None, parent_pid: int,
                        lock_fd: int | None = None) -> None:
    """``ProcessPoolExecutor`` initializer: open this worker's own Copilot over the home.

    ``lock_fd`` (the parent's out-folder lock, inherited through fork) is closed here so that
    the lock lives exactly as long as the parent. An error is kept and reported per account
    rather than breaking the pool with no explanation.
    """
    global _CONTEXT, _INIT_ERROR
    _die_with_parent(parent_pid)
    if lock_fd is not None:
        try:
            os.close(lock_fd)
        except OSError:
            pass
    os.environ.setdefault("MPLBACKEND", "Agg")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        _CONTEXT = WorkerContext(Settings.model_validate_json(settings_json), backend, base_url=base_url)
        if INHERITED_SNAPSHOT:
            from copilot.batch.snapshot import SnapshotStore

            if isinstance(_CONTEXT.copilot.store, SnapshotStore):
                _CONTEXT.copilot.store.adopt_snapshot(INHERITED_SNAPSHOT)
    except Exception as exc:
        _INIT_ERROR = f"{type(exc).__name__}: {exc}"


def run_in_process(job: AccountJob) -> AccountOutcome:
    """``ProcessPoolExecutor`` task: one account, in this worker's context."""
    if _CONTEXT is None:
        raise RuntimeError(f"the worker process could not start: {_INIT_ERROR or 'not initialised'}")
    return _CONTEXT.run(job)
