"""``kpis``: the TAM's KPIs for one account or the whole portfolio, per quarter, with the trend."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from copilot.cli.common import Home, JsonFlag, emit, err_console, handle_errors, open_copilot
from copilot.cli.drafts import AsOf, parse_as_of
from copilot.cli.tables import print_table
from copilot.errors import InvalidInput

__all__ = ["register"]

console = Console()


@handle_errors
def kpis(
    account: Annotated[str | None, typer.Option("--account", help="Account id (see `list accounts`)")] = None,
    all_accounts: Annotated[bool, typer.Option("--all", help="The whole portfolio (pooled) and one row per account")] = False,
    quarter: Annotated[str | None, typer.Option(
        "--quarter", help="Calendar quarter, e.g. 2026Q3 (default: the quarter holding --as-of)")] = None,
    as_of: AsOf = None,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """KPIs (time to engage, MTTM P1, MTTR, SLA, cadence, repeats, problem closure, success plan,
    renewal risk) for a quarter against the previous one; each cites the records it came from."""
    from copilot.facts.common import quarter_of

    if (account is None) == (not all_accounts):
        raise InvalidInput("give either --account ID or --all")
    copilot = open_copilot(home)
    clock = copilot.clock(parse_as_of(as_of))
    report = copilot.kpis(account, quarter or quarter_of(clock.now), as_of=clock.now)

    def human() -> None:
        scope = report.account_id or f"portfolio ({len(report.accounts)} accounts)"
        err_console.print(f"{scope}, {report.quarter} vs {report.previous_quarter}; {clock.note}", highlight=False)
        rows = [(line.label, line.current.text, line.previous.text, line.trend.text) for line in report.kpis]
        print_table(["KPI", report.quarter, report.previous_quarter, "trend"], rows,
                    title=f"KPIs: {scope}", console=console)

    emit(report, json_out, human)


def register(app: typer.Typer) -> None:
    app.command("kpis")(kpis)
