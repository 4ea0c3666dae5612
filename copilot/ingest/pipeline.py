"""The ingest pipeline: files -> records (SQLite) -> chunks -> embeddings (Chroma).

Order of work, chosen so a crash at any point leaves a store the next run repairs:

1. find the files (:mod:`copilot.ingest.discovery`: resolved paths, no links leaving a
   folder), read and parse each within the run's :class:`IngestLimits` (plans first, to
   know the accounts); bad rows and files -> quarantine, never an aborted run;
2. reconcile with the store: ids another source/account holds are refused
   (:mod:`copilot.ingest.identity`), incidents get the union of their record and channel
   events (:mod:`copilot.ingest.channels`), impossible dates are refused
   (:mod:`copilot.ingest.chronology`);
3. in ONE SQLite transaction: upsert changed records, replace their chunk rows (new ones
   ``pending``), prune vanished records when asked (refused above ``prune_share``
   without ``confirm_prune``);
4. embed every ``pending`` chunk (including ones a crashed run left) and add it to Chroma,
   then mark it ``indexed``; delete Chroma entries that no chunk row backs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from copilot.errors import Refused
from copilot.ingest.base import AccountResolver, ParseResult
from copilot.ingest.channels import merge_channels
from copilot.ingest.chronology import Chronology
from copilot.ingest.csv_tickets import attach_comments, keep_stored_comments
from copilot.ingest.discovery import SKIP_NAMES, discover
from copilot.ingest.files import FileProblem, parse_source
from copilot.ingest.identity import collision, owner_of, refuse_collisions
from copilot.ingest.limits import IngestLimits, LimitExceeded, check_size
from copilot.ingest.quarantine import reason_counts
from copilot.ingest.registry import detect
from copilot.ingest.rows import unexpected
from copilot.records.models import AccountPlan, Comment, Incident, QuarantineEntry, Runbook, Ticket, content_hash
from copilot.records.store import Store
from copilot.search.chunking import chunks_for_incident, chunks_for_plan, chunks_for_runbook, chunks_for_ticket
from copilot.search.index import VectorIndex

__all__ = ["SKIP_NAMES", "IngestReport", "ingest_paths", "sync_index"]

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stages: ``parse``, ``embed``."""

KINDS = ("plan", "ticket", "incident", "runbook")


class IngestReport(BaseModel):
    """What ``ingest --json`` prints: totals in the store after the run, plus this run's work."""

    model_config = ConfigDict(extra="forbid")

    accounts: int = 0
    tickets: int = 0
    incidents: int = 0
    runbooks: int = 0
    plans: int = 0
    chunks: int = 0
    chunks_embedded: int = 0
    chunks_unchanged: int = 0
    chunks_removed: int = 0
    records_changed: int = 0
    records_pruned: int = 0
    files_read: int = 0
    files_failed: int = 0
    quarantined: list[QuarantineEntry] = Field(default_factory=list)
    quarantine_total: int = 0
    quarantine_by_reason: dict[str, int] = Field(default_factory=dict)
    quarantine_file: str = ""
    seconds: float = 0.0
    embed_seconds: float = 0.0


@dataclass
class _Batch:
    """Everything parsed in this run, keyed by id, before it is written."""

    plans: dict[str, AccountPlan] = field(default_factory=dict)
    tickets: dict[str, Ticket] = field(default_factory=dict)
    incidents: dict[str, Incident] = field(default_factory=dict)
    runbooks: dict[str, Runbook] = field(default_factory=dict)
    comments: list[tuple[str, list[Comment]]] = field(default_factory=list)  # (file, comments)
    messages: dict[str, list] = field(default_factory=dict)
    quarantine: list[QuarantineEntry] = field(default_factory=list)
    failed_files: set[str] = field(default_factory=set)
    refused_ids: set[str] = field(default_factory=set)  # ids another owner holds
    read_files: set[str] = field(default_factory=set)
    files_read: int = 0

    def refuse_file(self, path: Path, reason: str, action: str) -> None:
        self.quarantine.append(QuarantineEntry(file=str(path), row="", reason=reason, action=action))
        self.failed_files.add(str(path))


def _load(path: Path, batch: _Batch, limits: IngestLimits) -> tuple[object | None, object] | None:
    """``(data, ingestor)`` for a file some ingestor reads; else quarantined and None."""
    try:
        check_size(path, limits)
        data = parse_source(path, limits)
    except (FileProblem, LimitExceeded) as problem:
        batch.refuse_file(path, problem.reason, problem.action)
        return None
    ingestor = detect(path, data)
    if ingestor is None:
        batch.refuse_file(path, "unknown format: not a plan, Zendesk, Jira, CSV, Slack, incident or runbook file",
                          "see docs/formats.md for the accepted formats")
        return None
    return data, ingestor


def _parse_all(files: list[Path], store: Store, progress: Progress | None, limits: IngestLimits) -> _Batch:
    batch = _Batch()
    loaded = []
    for path in files:
        try:
            found = _load(path, batch, limits)
        except Exception as exc:
            batch.quarantine.append(unexpected(path, "", exc))
            batch.failed_files.add(str(path))
            continue
        if found is not None:
            loaded.append((path, *found))
    # Plans first: they define the accounts every other record is resolved against.
    plans = [item for item in loaded if item[2].name == "plans"]
    others = [item for item in loaded if item[2].name != "plans"]
    resolver = AccountResolver([])
    for n, (path, data, ingestor) in enumerate(plans + others, 1):
        if n == len(plans) + 1:
            known = {p.account.id: p for p in store.plans()}
            resolver = AccountResolver(list({**known, **batch.plans}.values()))
        try:
            result = ingestor.parse(path, data, resolver)
        except Exception as exc:
            result = ParseResult(quarantine=[unexpected(path, "", exc)])
        _merge(batch, result, path)
        if progress:
            progress("parse", n, len(loaded))
    return batch


def _merge(batch: _Batch, result: ParseResult, path: Path) -> None:
    batch.quarantine += result.quarantine
    if result.record_count == 0 and result.quarantine:
        batch.failed_files.add(str(path))  # nothing could be read from it
    else:
        batch.files_read += 1
        batch.read_files.add(str(path))
    for kind, items in (("plans", result.plans), ("tickets", result.tickets),
                        ("incidents", result.incidents), ("runbooks", result.runbooks)):
        target = getattr(batch, kind)
        for item in items:
            key = item.account.id if kind == "plans" else item.id
            first = target.get(key)
            if first is None:
                target[key] = item
            elif kind in ("tickets", "incidents") and owner_of(first) != owner_of(item):
                batch.quarantine.append(collision(item, (*owner_of(first), first.source_file)))
            elif content_hash(_comparable(first)) != content_hash(_comparable(item)):
                batch.quarantine.append(QuarantineEntry(
                    file=item.source_file, row=key,
                    reason=f"duplicate id {key} with different content (first seen in {first.source_file})",
                    action="keep one version of the record, then ingest again"))
    if result.csv_comments:
        batch.comments.append((str(path), result.csv_comments))
    for message in result.slack_messages:
        batch.messages.setdefault(message.channel, []).append(message)


def _comparable(record: BaseModel) -> dict:
    data = record.model_dump(mode="json")
    data.pop("source_file", None)
    return data


def _attach(batch: _Batch, store: Store, clock: Chronology) -> None:
    """CSV comments onto their tickets (with the comments already stored for them); channel
    messages and stored events onto incidents."""
    for file, comments in batch.comments:
        for ticket_id in {c.ticket_id for c in comments} - batch.tickets.keys() - batch.refused_ids:
            if (stored := store.ticket(ticket_id)) is not None:
                batch.tickets[ticket_id] = stored
        comments, refused = clock.comments(
            file, comments, lambda tid: t.created_at if (t := batch.tickets.get(tid)) else None)
        tickets, quarantined = attach_comments(list(batch.tickets.values()), comments, file=file)
        batch.tickets = {t.id: t for t in tickets}
        batch.quarantine += refused + quarantined
    for ticket_id, ticket in list(batch.tickets.items()):
        if ticket.source == "csv":
            batch.tickets[ticket_id] = keep_stored_comments(ticket, store.ticket(ticket_id))
    for channel, messages in list(batch.messages.items()):
        batch.messages[channel], refused = clock.messages(messages)
        batch.quarantine += refused
    batch.quarantine += merge_channels(batch.incidents, batch.messages, store.incidents())


def _reconcile(batch: _Batch, store: Store, clock: Chronology) -> None:
    """Refuse ids other owners hold, merge with stored parts, refuse impossible dates."""
    for records, kind in ((batch.tickets, "ticket"), (batch.incidents, "incident")):
        refused = refuse_collisions(records, store.record_owners(kind))
        batch.refused_ids |= {q.row for q in refused}
        batch.quarantine += refused
    _attach(batch, store, clock)
    for records, check in ((batch.tickets, clock.ticket), (batch.incidents, clock.incident)):
        for record_id, record in list(records.items()):
            checked, refused = check(record)
            batch.quarantine += refused
            if checked is None:
                del records[record_id]
            else:
                records[record_id] = checked


def _prunable(source: str, roots: list[Path], failed: set[str]) -> bool:
    """Whether a record not produced by this run should go: its file is gone, or lies under
    what this run read (and was read: a file refused whole keeps its records)."""
    if not source or not Path(source).is_absolute() or source in failed:
        return False  # relative paths (stores from before paths were resolved): unknown, keep
    src = Path(source)
    if not src.exists():
        return True
    return any(src == r or r in src.parents for r in roots)


def _prune_plan(batch: _Batch, store: Store, roots: list[Path]) -> dict[str, list[str]]:
    """``{kind: record ids}`` that ``--prune`` removes.

    A record counts as produced by this run only when its own source file was read: a stored
    incident that this run's channel files updated, or a stored ticket that got CSV comments,
    still goes when its record file is gone.
    """
    batches = {"plan": batch.plans, "ticket": batch.tickets, "incident": batch.incidents,
               "runbook": batch.runbooks}
    doomed = {}
    for kind, records in batches.items():
        produced = {rid for rid, r in records.items() if r.source_file in batch.read_files}
        doomed[kind] = sorted(rid for rid, source in store.record_ids(kind).items()
                              if rid not in produced and _prunable(source, roots, batch.failed_files))
        for rid in doomed[kind]:
            records.pop(rid, None)
    return doomed


def _check_prune_share(doomed: dict[str, list[str]], store: Store, limits: IngestLimits) -> None:
    """Refuse a prune that would remove more than ``limits.prune_share`` of the home."""
    total, count = store.record_count(), sum(len(ids) for ids in doomed.values())
    if total and count / total > limits.prune_share:
        raise Refused(
            f"--prune would remove {count} of the {total} records in {store.path.parent} "
            f"({count / total:.0%}), more than the prune_share limit of {limits.prune_share:.0%}; "
            "nothing was changed. Check that the paths name every folder this home was built from "
            "(records whose source file is gone are removed too), then add --yes to remove them")


def _write(batch: _Batch, store: Store, doomed: dict[str, list[str]]) -> tuple[int, list[str], int]:
    """Upsert changed records and their chunk rows, and prune ``doomed``, in one transaction."""
    changed, removed_chunks, pruned = 0, [], 0
    writers = {
        "plan": (batch.plans, store.put_plan, chunks_for_plan, lambda p: p.account.id),
        "ticket": (batch.tickets, store.put_ticket, chunks_for_ticket, lambda t: t.id),
        "incident": (batch.incidents, store.put_incident, chunks_for_incident, lambda i: i.id),
        "runbook": (batch.runbooks, store.put_runbook, chunks_for_runbook, lambda r: r.id),
    }
    with store.transaction():
        for kind, (records, put, to_chunks, key) in writers.items():
            for record in records.values():
                digest = content_hash(record)
                rid = key(record)
                if store.record_hash(kind, rid) == digest:
                    continue
                put(record, digest)
                chunk_rid = f"plan:{rid}" if kind == "plan" else rid
                _, removed = store.replace_chunks(chunk_rid, to_chunks(record))
                removed_chunks += removed
                changed += 1
            for rid in doomed.get(kind, []):
                store.delete_record(kind, rid)
                _, removed = store.replace_chunks(f"plan:{rid}" if kind == "plan" else rid, [])
                removed_chunks += removed
                pruned += 1
    return changed, removed_chunks, pruned


def ingest_paths(paths: list[Path], store: Store, index: VectorIndex, *, prune: bool = False,
                 confirm_prune: bool = False, progress: Progress | None = None,
                 now: datetime | None = None, limits: IngestLimits | None = None) -> IngestReport:
    """Ingest files and folders into the store and index; see the module docstring.

    Args:
        prune: remove records whose source file is gone or lies under ``paths`` but no
            longer yields them.
        confirm_prune: allow a prune that removes more than ``limits.prune_share`` of the home.
        now: the run's clock for the future-date rule (default: the current time).
        limits: the run's limits (default: :meth:`IngestLimits.from_env`).

    Raises:
        Refused: the prune would remove too much without ``confirm_prune``; nothing is written.
    """
    started = datetime.now(timezone.utc)
    limits = limits or IngestLimits.from_env()
    clock = Chronology(now or started, limits.future_days)
    found = discover(paths)
    batch = _parse_all(found.files, store, progress, limits)
    batch.quarantine = found.refused + batch.quarantine
    batch.failed_files |= {q.file for q in found.refused}
    _reconcile(batch, store, clock)
    doomed = _prune_plan(batch, store, found.roots) if prune else {}
    if not confirm_prune:
        _check_prune_share(doomed, store, limits)
    changed, removed, pruned = _write(batch, store, doomed)
    index.delete(removed)
    embed_started = datetime.now(timezone.utc)
    embedded = sync_index(store, index, progress)
    embed_seconds = (datetime.now(timezone.utc) - embed_started).total_seconds()
    counts = store.counts()
    report = IngestReport(
        **{k: counts[k] for k in ("accounts", "tickets", "incidents", "runbooks", "plans", "chunks")},
        chunks_embedded=embedded, chunks_unchanged=counts["chunks"] - embedded, chunks_removed=len(removed),
        records_changed=changed, records_pruned=pruned, files_read=batch.files_read,
        files_failed=len(batch.failed_files), quarantined=batch.quarantine,
        quarantine_total=len(batch.quarantine), quarantine_by_reason=reason_counts(batch.quarantine),
        quarantine_file=str(store.quarantine_file),
        seconds=(datetime.now(timezone.utc) - started).total_seconds(), embed_seconds=embed_seconds,
    )
    stats = report.model_dump(mode="json", exclude={"quarantined"})
    store.record_run(started, stats, batch.quarantine, keep_rows=limits.quarantine_rows)
    return report


def sync_index(store: Store, index: VectorIndex, progress: Progress | None = None) -> int:
    """Make Chroma agree with the chunk rows: embed pending chunks, drop orphans.

    Returns:
        How many chunks were embedded.
    """
    # similar lengths batch together: far less padding for the transformer to chew through
    pending = sorted(store.chunks(state="pending"), key=lambda c: (len(c.text), c.id))
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("embed", done, len(pending))

    for start in range(0, len(pending), 512):
        part = pending[start:start + 512]
        index.add(part, progress=tick)
        store.mark_indexed([c.id for c in part])
    known = {r[0] for r in store.execute("SELECT id FROM chunks")}
    orphans = index.ids() - known
    index.delete(sorted(orphans))
    return len(pending)
