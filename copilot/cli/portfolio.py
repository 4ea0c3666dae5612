"""``portfolio``: the console's home page on the command line, and the risk register's export."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from copilot.cli.common import Home, JsonFlag, emit, err_console, handle_errors, open_copilot
from copilot.cli.drafts import parse_as_of
from copilot.cli.tables import print_table
from copilot.console.money import format_money
from copilot.errors import InvalidInput

__all__ = ["register"]


class RegisterFormat(str, Enum):
    table = "table"
    csv = "csv"
    md = "md"


@handle_errors
def portfolio(
    as_of: Annotated[str | None, typer.Option("--as-of", help="'Today' (e.g. 2026-11-16T08:00Z) [default: the "
                                               "wall clock, or the data's snapshot time for an old export]")] = None,
    risks: Annotated[bool, typer.Option("--risks", help="Print the risk register instead of the ranked accounts")] = False,
    account: Annotated[str | None, typer.Option("--account", help="With --risks: only this account's register")] = None,
    fmt: Annotated[RegisterFormat, typer.Option("--format", help="With --risks: table, csv or md")] = RegisterFormat.table,
    out: Annotated[Path | None, typer.Option("--out", help="With --risks: write the csv/md export to FILE")] = None,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """Accounts ranked by risk (with each score's reasons) and what needs you today; or the risk register."""
    if not risks and (account or out or fmt is not RegisterFormat.table):
        raise InvalidInput("--account, --format and --out go with --risks (the risk register); "
                           "`portfolio --json` prints every account")
    copilot = open_copilot(home)
    clock = copilot.clock(parse_as_of(as_of))
    if clock.source == "data snapshot" and not json_out:
        err_console.print(clock.note, style="dim", markup=False, soft_wrap=True)
    if risks:
        _register(copilot, clock.now, account, fmt, out, json_out)
        return
    page = copilot.portfolio(clock.now)

    def human() -> None:
        print_table(["#", "account", "score", "health", "tier", "ARR", "renewal", "step", "P1", "P2", "SLA at risk",
                     "churn signals", "3x3"],
                    [[r.rank, r.account_id, r.risk_score, r.health.value, r.tier.value,
                      format_money(r.arr.value, r.currency), f"{r.days_to_renewal.value} d",
                      f"{r.renewal_step.days_before}-day" if r.renewal_step else "—", r.open_p1.value, r.open_p2.value,
                      len(r.clocks_at_risk), ", ".join(dict.fromkeys(s.kind for s in r.churn_signals)) or "—",
                      "met" if r.stakeholder_coverage.met else "gaps"] for r in page.rows],
                    title=f"Portfolio as of {page.as_of:%Y-%m-%d %H:%M} UTC")
        print_table(["due", "account", "item", "action"],
                    [[f"{i.due_at:%Y-%m-%d %H:%M}" + (" overdue" if i.overdue else ""), i.account_id, i.title,
                      f"draft {i.action} {i.action_subject}" + (f" --quarter {i.quarter}" if i.quarter else "")]
                     for i in page.needs_you_today], title="Needs you today")

    emit(page, json_out, human)


def _register(copilot, now, account: str | None, fmt: RegisterFormat, out: Path | None, json_out: bool) -> None:
    from copilot.console.risk_register import register_csv, register_markdown

    entries = copilot.risk_register(account, as_of=now)
    if out is None and (json_out or fmt is RegisterFormat.table):
        emit(entries, json_out, lambda: print_table(
            ["account", "id", "severity", "risk", "owner", "due", "status", "evidence"],
            [[e.account_id, e.id, e.severity, e.risk, e.owner, e.due or "", e.status, " ".join(e.evidence)]
             for e in entries], title="Risk register"))
        return
    title = f"Risk register: {account or 'portfolio'} as of {now:%Y-%m-%d %H:%M} UTC"
    text = register_csv(entries) if fmt is RegisterFormat.csv else register_markdown(entries, title)
    if out is None:
        typer.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    emit({"out": str(out), "entries": len(entries), "format": "md" if fmt is RegisterFormat.table else fmt.value},
         json_out, lambda: err_console.print(f"wrote {len(entries)} risks to {out}", markup=False, highlight=False))


def register(app: typer.Typer) -> None:
    app.command("portfolio")(portfolio)
