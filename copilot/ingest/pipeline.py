"""The ingest pipeline: files -> records (SQLite) -> chunks -> embeddings (Chroma).

Order of work, chosen so a crash at any point leaves a store the next run repairs:

1. read and parse every file (plans first, to know the accounts); bad rows -> quarantine;
2. in ONE SQLite transaction: upsert changed records, replace their chunk rows (new ones
   ``pending``), prune vanished records when asked;
3. embed every ``pending`` chunk (including ones a crashed run left) and add it to Chroma,
   then mark it ``indexed``; delete Chroma entries that no chunk row backs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from copilot.search.chunking import chunks_for_incident, chunks_for_plan, chunks_for_runbook, chunks_for_ticket
from copilot.search.index import VectorIndex
from copilot.ingest.base import AccountResolver, ParseResult
from copilot.ingest.csv_tickets import attach_comments
from copilot.ingest.incidents import attach_channel
from copilot.ingest.registry import detect, load_file
from copilot.records.models import AccountPlan, Comment, Incident, QuarantineEntry, Runbook, Ticket, content_hash
from copilot.records.store import Store

__all__ = ["IngestReport", "ingest_paths"]

SKIP_NAMES = {"README.md", "README", ".DS_Store"}

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stages: ``parse``, ``embed``."""


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
    files_read: int = 0
    files_failed: int = 0


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[QuarantineEntry]]:
    """Every file under ``paths`` (sorted), skipping hidden files and READMEs."""
    files: list[Path] = []
    missing: list[QuarantineEntry] = []
    for root in paths:
        root = Path(root)
        if not root.exists():
            missing.append(QuarantineEntry(file=str(root), row="", reason="path does not exist",
                                           action="check the path and run ingest again"))
        elif root.is_file():
            files.append(root)
        else:
            files += sorted(p for p in root.rglob("*") if p.is_file()
                            and not any(part.startswith(".") for part in p.relative_to(root).parts)
                            and p.name not in SKIP_NAMES)
    return files, missing


def _parse_all(files: list[Path], store: Store, progress: Progress | None) -> _Batch:
    batch = _Batch()
    loaded = []
    for path in files:
        data, error = load_file(path)
        if error:
            batch.quarantine.append(QuarantineEntry(file=str(path), row="", reason=error,
                                                    action="fix or re-export the file, then ingest again"))
            batch.files_failed += 1
            continue
        ingestor = detect(path, data)
        if ingestor is None:
            batch.quarantine.append(QuarantineEntry(
                file=str(path), row="", reason="unknown format: not a plan, Zendesk, Jira, CSV, Slack, incident or runbook file",
                action="see docs/formats.md for the accepted formats"))
            batch.files_failed += 1
            continue
        loaded.append((path, data, ingestor))
    # Plans first: they define the accounts every other record is resolved against.
    plans = [item for item in loaded if item[2].name == "plans"]
    others = [item for item in loaded if item[2].name != "plans"]
    resolver = AccountResolver([])
    for n, (path, data, ingestor) in enumerate(plans + others, 1):
        if n == len(plans) + 1:
            known = {p.account.id: p for p in store.plans()}
            resolver = AccountResolver(list({**known, **batch.plans}.values()))
        _merge(batch, ingestor.parse(path, data, resolver), path)
        batch.files_read += 1
        if progress:
            progress("parse", n, len(loaded))
    return batch


def _merge(batch: _Batch, result: ParseResult, path: Path) -> None:
    batch.quarantine += result.quarantine
    for kind, items in (("plans", result.plans), ("tickets", result.tickets),
                        ("incidents", result.incidents), ("runbooks", result.runbooks)):
        target = getattr(batch, kind)
        for item in items:
            key = item.account.id if kind == "plans" else item.id
            if key in target and content_hash(_comparable(target[key])) != content_hash(_comparable(item)):
                batch.quarantine.append(QuarantineEntry(
                    file=item.source_file, row=key,
                    reason=f"duplicate id {key} with different content (first seen in {target[key].source_file})",
                    action="keep one version of the record, then ingest again"))
                continue
            target.setdefault(key, item)
    if result.csv_comments:
        batch.comments.append((str(path), result.csv_comments))
    for message in result.slack_messages:
        batch.messages.setdefault(message.channel, []).append(message)


def _comparable(record: BaseModel) -> dict:
    data = record.model_dump(mode="json")
    data.pop("source_file", None)
    return data


def _attach(batch: _Batch, store: Store) -> None:
    """CSV comments onto their tickets; Slack messages onto their incidents."""
    for file, comments in batch.comments:
        for ticket_id in {c.ticket_id for c in comments} - batch.tickets.keys():
            if (stored := store.ticket(ticket_id)) is not None:
                batch.tickets[ticket_id] = stored
        tickets, quarantined = attach_comments(list(batch.tickets.values()), comments, file=file)
        batch.tickets = {t.id: t for t in tickets}
        batch.quarantine += quarantined
    for incident_id, incident in list(batch.incidents.items()):
        if incident.channel in batch.messages:
            batch.incidents[incident_id] = attach_channel(incident, batch.messages[incident.channel])


def _write(batch: _Batch, store: Store, prune_roots: list[Path] | None) -> tuple[int, list[str], int]:
    """Upsert changed records and their chunk rows in one transaction."""
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
            if prune_roots is not None:
                for rid, source in store.record_ids(kind).items():
                    if rid in records or not _under(source, prune_roots):
                        continue
                    store.delete_record(kind, rid)
                    _, removed = store.replace_chunks(f"plan:{rid}" if kind == "plan" else rid, [])
                    removed_chunks += removed
                    pruned += 1
    return changed, removed_chunks, pruned


def _under(source: str, roots: list[Path]) -> bool:
    """Whether a record's source file lies in what this run read (or no longer exists)."""
    if not source or not Path(source).exists():
        return True
    src = Path(source).resolve()
    return any(src == r or r in src.parents for r in roots)


def ingest_paths(paths: list[Path], store: Store, index: VectorIndex, *, prune: bool = False,
                 progress: Progress | None = None) -> IngestReport:
    """Ingest files and folders into the store and index; see the module docstring."""
    started = datetime.now(timezone.utc)
    files, missing = discover(paths)
    batch = _parse_all(files, store, progress)
    batch.quarantine = missing + batch.quarantine
    batch.files_failed += len(missing)
    _attach(batch, store)
    changed, removed, pruned = _write(batch, store, [Path(p).resolve() for p in paths] if prune else None)
    index.delete(removed)
    embed_started = datetime.now(timezone.utc)
    embedded = sync_index(store, index, progress)
    embed_seconds = (datetime.now(timezone.utc) - embed_started).total_seconds()
    counts = store.counts()
    report = IngestReport(
        **{k: counts[k] for k in ("accounts", "tickets", "incidents", "runbooks", "plans", "chunks")},
        chunks_embedded=embedded, chunks_unchanged=counts["chunks"] - embedded, chunks_removed=len(removed),
        records_changed=changed, records_pruned=pruned, files_read=batch.files_read,
        files_failed=batch.files_failed, quarantined=batch.quarantine,
        seconds=(datetime.now(timezone.utc) - started).total_seconds(), embed_seconds=embed_seconds,
    )
    store.record_run(started, report.model_dump(mode="json", exclude={"quarantined"}), batch.quarantine)
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
