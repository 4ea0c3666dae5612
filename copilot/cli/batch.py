"""``qbr-batch`` (every account's QBR, charts and an index) and ``generate-portfolio``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from copilot.cli.common import Home, JsonFlag, emit, err_console, handle_errors, open_copilot
from copilot.errors import InvalidInput

__all__ = ["register"]

console = Console()


@handle_errors
def qbr_batch(
    quarter: Annotated[str, typer.Option("--quarter", help="Calendar quarter, e.g. 2026Q3")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the drafts, charts and index (re-runs resume here)")],
    all_accounts: Annotated[bool, typer.Option("--all", help="Every account in the home")] = False,
    accounts: Annotated[str | None, typer.Option("--accounts", help="Comma-separated account ids")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Parallel workers; with an LLM backend, the cap on concurrent requests "
                                 "(default: the CPU count for template, 4 for LLMs)")] = None,
    backend: Annotated[str | None, typer.Option(
        "--backend", help="template (default), openai:MODEL, or openai:MODEL@http://HOST:PORT/v1")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="OpenAI-compatible server for openai:MODEL [env: COPILOT_LLM_BASE_URL]")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Draft every QBR as of this time (ISO 8601 with timezone; default now)")] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo every account, even unchanged ones")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Only show what would be drafted (and the token/cost estimate for an LLM)")] = False,
    actor: Annotated[str, typer.Option("--actor", help="Name the drafts are submitted for review under")] = "qbr-batch",
    openai_batch: Annotated[bool, typer.Option(
        "--openai-batch", help="With openai:MODEL: send the prompts through the OpenAI Batch API (half price, "
                               "answers within 24h). Run the same command again to collect; exit 3 until then")] = False,
    wait: Annotated[float, typer.Option(
        "--wait", min=0, help="With --openai-batch: keep polling a running batch for up to this many seconds")] = 0.0,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """Draft the quarter's QBR for many accounts: draft + guardrail report + charts each, an index, and
    every draft queued for review (in review; nothing is approved or sent). Exit 1 when any account failed,
    3 when an --openai-batch run is submitted or still running."""
    from copilot.batch import run_qbr_batch
    from copilot.cli.drafts import parse_as_of

    if all_accounts == (accounts is not None):
        raise InvalidInput("pass exactly one of --all or --accounts A,B")
    ids = None if all_accounts else [a for a in (accounts or "").split(",") if a.strip()]
    copilot = open_copilot(home)
    show_bar = not json_out and err_console.is_terminal
    # auto_refresh=False: no refresh thread exists when the worker processes are forked
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[last]}", style="dim"), console=err_console, disable=not show_bar,
                  auto_refresh=False) as bar:
        task = bar.add_task("drafting QBRs", total=None, last="")

        def progress(event) -> None:
            if event.status == "start":
                bar.update(task, total=event.total, completed=0,
                           description=f"drafting QBRs ({event.skipped} unchanged, skipped)")
            else:
                mark = "" if event.status == "ok" else " [failed]"
                bar.update(task, completed=event.done, last=f"{event.account_id}{mark}")
            bar.refresh()

        def estimate(e) -> None:
            err_console.print(e.describe())

        if openai_batch and not dry_run:
            from copilot.batch.openai_batch import run_openai_batch

            outcome = run_openai_batch(copilot, quarter, ids, out, backend, base_url=base_url,
                                       as_of=parse_as_of(as_of), force=force, workers=workers, actor=actor,
                                       wait=wait, progress=progress, on_estimate=estimate)
            _openai_batch_report(outcome, json_out)
            return
        result = run_qbr_batch(copilot, quarter, ids, out, workers=workers, backend=backend, progress=progress,
                               as_of=parse_as_of(as_of), force=force, actor=actor, base_url=base_url,
                               on_estimate=estimate, dry_run=dry_run)
    _report(result, json_out)


def _report(result, json_out: bool) -> None:
    """Print a run's result; exit 1 when any account failed."""
    payload = result.cli_payload()

    def human() -> None:
        if result.dry_run:
            console.print(f"would draft {len(result.pending)} account(s), skip {len(result.skipped)} unchanged "
                          f"(backend {result.backend}, {result.prompt_version}) into {result.out}")
            for account in result.pending:
                console.print(f"  {account}")
            return
        rate = f", {result.accounts_per_second} accounts/s" if result.accounts_per_second else ""
        console.print(f"[bold]{len(result.completed)}[/] drafted, {len(result.skipped)} unchanged (skipped), "
                      f"[{'red' if result.failed else 'green'}]{len(result.failed)} failed[/] in {result.seconds:.1f}s "
                      f"({result.executor} x{result.workers}{rate})")
        if result.failed:
            table = Table("account", "error", title="failed accounts")
            for f in result.failed:
                table.add_row(f.account_id, f.error)
            console.print(table)
        console.print(f"index: {result.index}  ·  drafts are in the review queue (`tam-copilot review list`)")

    emit(payload, json_out, human)
    if result.failed:
        raise typer.Exit(1)


def _openai_batch_report(outcome, json_out: bool) -> None:
    """Print what an --openai-batch invocation did; exit 3 while the batch is not collected."""
    if outcome.phase == "collected" and outcome.result is not None and not json_out:
        console.print(f"batch {outcome.batch_id} {outcome.status}: answers collected for "
                      f"{len(outcome.accounts)} account(s)")
        _report(outcome.result, json_out)
        return

    def human() -> None:
        counts = outcome.request_counts
        progress = f" ({counts.get('completed', 0)}/{counts.get('total', 0)} answered)" if counts else ""
        if outcome.phase == "nothing_to_do":
            console.print(f"nothing to submit: every account in {outcome.out} is unchanged")
        elif outcome.phase == "submitted":
            console.print(f"submitted batch {outcome.batch_id} with {len(outcome.accounts)} account(s); "
                          "run the same command again to collect the answers (OpenAI answers within 24h)")
        else:
            console.print(f"batch {outcome.batch_id} is {outcome.status}{progress}; run the same command again "
                          "later, or add --wait SECONDS")

    emit(outcome.cli_payload(), json_out, human)
    if outcome.phase == "collected" and outcome.result is not None and outcome.result.failed:
        raise typer.Exit(1)
    if outcome.phase in ("submitted", "running"):
        raise typer.Exit(3)


@handle_errors
def generate_portfolio(
    accounts: Annotated[int, typer.Option("--accounts", min=1, help="How many accounts")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives byte-identical files")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the portfolio into")],
    home: Home = None,  # accepted like on every command; a portfolio is written to --out, not the home
    json_out: JsonFlag = False,
) -> None:
    """Write a seeded synthetic portfolio in the source formats of data/sample, for demos and scale tests."""
    from copilot.synth.generator import generate_portfolio as generate

    try:
        counts = generate(out, accounts, seed)
    except ValueError as exc:
        raise InvalidInput(f"cannot generate {accounts} accounts: {exc}") from None
    payload = {"out": str(out), "seed": seed, **counts}

    def human() -> None:
        console.print(f"wrote {counts.get('accounts', accounts)} accounts, {counts.get('tickets', '?')} tickets, "
                      f"{counts.get('incidents', '?')} incidents, {counts.get('runbooks', '?')} runbooks to {out}")
        console.print(f"next: tam-copilot ingest {out} --home HOME, then "
                      f"tam-copilot qbr-batch --home HOME --quarter 2026Q3 --all --out OUT")

    emit(payload, json_out, human)


def register(app: typer.Typer) -> None:
    app.command("qbr-batch")(qbr_batch)
    app.command("generate-portfolio")(generate_portfolio)
