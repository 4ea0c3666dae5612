"""Tables on stdout: a rich table on a terminal, tab-separated values when piped.

A rich table fits itself to the terminal and cuts cells at 80 columns when stdout is a pipe, so
``tam-copilot list tickets | grep P1`` would lose text; a pipe gets one TSV line per row instead.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

__all__ = ["print_table"]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def print_table(columns: Sequence[str], rows: Sequence[Sequence[object]], *, title: str | None = None,
                console: Console | None = None) -> None:
    """Print ``rows`` under ``columns``: rich on a terminal, TSV (header first, no title) otherwise."""
    console = console or Console()
    if not console.is_terminal:
        out = console.file if console.file is not None else sys.stdout
        for row in [list(columns), *rows]:
            out.write("\t".join(_cell(v) for v in row) + "\n")
        return
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    console.print(table)
