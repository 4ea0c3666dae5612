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


@handle_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest")],
    prune: Annotated[bool, typer.Option(help="Remove records and chunks whose source is gone")] = False,
    strict: Annotated[bool, typer.Option(help="Exit 1 when any row was quarantined")] = False,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """Ingest account history (plans, tickets, incidents, runbooks) into records and the index."""
    copilot = open_copilot(home)
    show_bar = not json_out and err_console.is_terminal
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, disable=not show_bar) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task({"parse": "reading files", "embed": "embedding"}.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        report = copilot.ingest(paths, prune=prune, progress=progress)
    payload = report.model_dump(mode="json")

    def human() -> None:
        console.print(f"[bold]{report.accounts}[/] accounts, {report.tickets} tickets, {report.incidents} incidents, "
                      f"{report.runbooks} runbooks in {copilot.settings.home}")
        console.print(f"chunks embedded: {report.chunks_embedded}, unchanged: {report.chunks_unchanged}, "
                      f"removed: {report.chunks_removed}; records pruned: {report.records_pruned}")
        if report.quarantined:
            table = Table("file", "row", "reason", "what to do", title=f"{len(report.quarantined)} quarantined")
            for q in report.quarantined:
                table.add_row(q.file, q.row, q.reason, q.action)
            console.print(table)

    emit(payload, json_out, human)
    if report.files_read == 0:
        err_console.print("error: nothing could be read from the given paths (see the quarantine above)")
        raise typer.Exit(2)
    if strict and report.quarantined:
        raise typer.Exit(1)


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
