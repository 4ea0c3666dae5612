"""``ingest``, ``list`` and ``ask``."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from copilot.cli.common import Home, JsonFlag, emit, err_console, handle_errors, open_copilot
from copilot.cli.tables import print_table
from copilot.console.money import format_money
from copilot.errors import InvalidInput

__all__ = ["register"]

console = Console()


class ListKind(str, Enum):
    accounts = "accounts"
    tickets = "tickets"
    incidents = "incidents"


SHOWN_ROWS = 20
"""Quarantined rows the human output lists; the rest are counted by reason and in the file."""


@handle_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest")],
    prune: Annotated[bool, typer.Option(help="Remove records and chunks whose source is gone")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Let --prune remove more than half of the home's records")] = False,
    strict: Annotated[bool, typer.Option(help="Exit 1 when any row was quarantined")] = False,
    max_file_mb: Annotated[float | None, typer.Option(
        "--max-file-mb", help="Largest source file read [env: COPILOT_INGEST_MAX_FILE_MB; default 50]")] = None,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """Ingest account history (plans, tickets, incidents, runbooks) into records and the index."""
    from copilot.ingest.limits import IngestLimits

    try:
        limits = IngestLimits.from_env(max_file_mb=max_file_mb)
    except ValueError as exc:
        raise InvalidInput(f"bad ingest limit: {exc}") from None
    copilot = open_copilot(home)
    show_bar = not json_out and err_console.is_terminal
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, disable=not show_bar) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task({"parse": "reading files", "embed": "embedding"}.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        report = copilot.ingest(paths, prune=prune, confirm_prune=yes, progress=progress, limits=limits)
    payload = report.model_dump(mode="json")

    def human() -> None:
        console.print(f"[bold]{report.accounts}[/] accounts, {report.tickets} tickets, {report.incidents} incidents, "
                      f"{report.runbooks} runbooks in {copilot.settings.home}")
        console.print(f"chunks embedded: {report.chunks_embedded}, unchanged: {report.chunks_unchanged}, "
                      f"removed: {report.chunks_removed}; records changed: {report.records_changed}, "
                      f"pruned: {report.records_pruned}")
        if report.quarantined:
            _print_quarantine(report)

    emit(payload, json_out, human)
    if report.files_read == 0:
        refused = [q for q in report.quarantined if q.row in ("", "line 1")][:3]
        detail = "; ".join(f"{q.file}: {q.reason}" + (f" ({q.action})" if q.action else "") for q in refused)
        if not refused and report.quarantine_by_reason:
            reason, count = next(iter(report.quarantine_by_reason.items()))
            detail = f"every row was quarantined, mostly ({count}) for: {reason}"
        err_console.print(f"error: nothing could be read from the given paths{': ' + detail if detail else ''}",
                          markup=False, highlight=False)
        raise typer.Exit(2)
    if strict and report.quarantined:
        raise typer.Exit(1)


def _print_quarantine(report) -> None:
    """Counts by kind of reason, the first rows, and where the full list is."""
    counts = Table("rows", "reason", title=f"{report.quarantine_total} quarantined")
    for reason, n in list(report.quarantine_by_reason.items())[:10]:
        counts.add_row(str(n), reason)
    console.print(counts)
    shown = report.quarantined[:SHOWN_ROWS]
    table = Table("file", "row", "reason", "what to do", title=f"first {len(shown)} of {report.quarantine_total}")
    for q in shown:
        table.add_row(q.file, q.row, q.reason, q.action)
    console.print(table)
    console.print(f"full list: {report.quarantine_file} (one JSON object a line; also `ingest --json`)",
                  markup=False, highlight=False)


@handle_errors
def list_records(
    kind: Annotated[ListKind, typer.Argument(help="accounts, tickets or incidents")],
    account: Annotated[str | None, typer.Option("--account", help="Only this account")] = None,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """List accounts, tickets or incidents."""
    copilot = open_copilot(home)
    if account:
        copilot.plan(account)
    rows: list[dict] = []
    if kind is ListKind.accounts:
        for plan in copilot.store.plans():
            if account and plan.account.id != account:
                continue
            rows.append({"id": plan.account.id, "name": plan.account.name, "tier": plan.contract.tier,
                         "arr": plan.contract.arr, "currency": plan.contract.currency,
                         "renewal_date": str(plan.contract.renewal_date),
                         "health": plan.account.health, "status": plan.account.health,
                         "created_at": str(plan.contract.start_date)})
    elif kind is ListKind.tickets:
        rows = [{"id": t.id, "account_id": t.account_id, "subject": t.subject, "priority": t.priority,
                 "status": t.status, "created_at": t.created_at.isoformat(), "source": t.source}
                for t in copilot.store.tickets(account)]
    else:
        rows = [{"id": i.id, "account_id": i.account_id, "subject": i.title, "name": i.title,
                 "priority": i.priority, "status": i.status, "created_at": i.started_at.isoformat()}
                for i in copilot.store.incidents(account)]

    def human() -> None:
        if not rows:
            console.print(f"no {kind.value} yet — run `tam-copilot ingest data/sample` first")
            return
        shown = [_money_columns(row) for row in rows]
        print_table(list(shown[0]), [list(r.values()) for r in shown], console=console)

    emit(rows, json_out, human)


def _money_columns(row: dict) -> dict:
    """An account row for people: ARR as money in its currency (``--json`` keeps the number and the code)."""
    if "arr" not in row:
        return row
    shown = {k: v for k, v in row.items() if k != "currency"}
    shown["arr"] = format_money(row["arr"], row["currency"])
    return shown


@handle_errors
def ask(
    question: Annotated[str, typer.Argument(help="The question, in plain words")],
    account: Annotated[str, typer.Option("--account", help="Account id (see `list accounts`)")],
    backend: Annotated[str | None, typer.Option(help="template (extractive) or openai:MODEL")] = None,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """Answer a question from one account's history, with citations."""
    if not question.strip():
        raise InvalidInput("the question is empty")
    answer = open_copilot(home).ask(account, question, backend=backend)

    def human() -> None:
        console.print(answer.answer)
        for n, c in enumerate(answer.citations, 1):
            console.print(f"  [{n}] {c.source_id} ({c.kind}, {c.account_id or 'shared'})", style="dim")

    emit(answer.model_dump(mode="json", include={"answer", "citations", "extractive", "backend"}), json_out, human)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("list")(list_records)
    app.command("ask")(ask)
