"""What every command shares: ``--home``, ``--json``, and turning errors into exit codes.

Exit codes (the contract): 0 done; 1 refused by a check, a threshold or an approval; 2 bad
input, or an LLM that cannot be reached or answers with something that is not a chat
completion; 70 (``BUG_EXIT``, sysexits' EX_SOFTWARE) an unexpected exception: a bug, whose
traceback goes to a log file named in the one-line message.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import click
import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

from copilot.errors import CopilotError

__all__ = ["BUG_EXIT", "Home", "JsonFlag", "emit", "err_console", "handle_errors", "open_copilot", "report_bug"]

BUG_EXIT = 70

Home = Annotated[
    Path | None,
    typer.Option("--home", help="Folder for records, index, drafts and audit log [env: COPILOT_HOME; default ./.copilot]"),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout and nothing else there.")]

err_console = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])


def open_copilot(home: Path | None):  # noqa: ANN201 - Copilot
    from copilot.service import Copilot

    return Copilot(home)


def to_jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def emit(value: Any, as_json: bool, human: Callable[[], None] | None = None) -> None:
    """Print ``value`` as JSON on stdout, or call ``human`` to print it for a person."""
    if as_json or human is None:
        sys.stdout.write(json.dumps(to_jsonable(value), indent=2, default=str) + "\n")
    else:
        human()


def handle_errors(fn: F) -> F:
    """Turn a ``CopilotError`` into a one-line message on stderr and its exit code, and any
    other exception into a "this is a bug" line, its traceback in a log file, and exit 70."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CopilotError as exc:
            err_console.print(f"[red]error:[/red] {escape(_one_line(str(exc)))}", soft_wrap=True, markup=True,
                              highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the edge: nothing unexpected leaves as a traceback
            raise typer.Exit(report_bug(exc, kwargs.get("home"))) from None

    return wrapper  # type: ignore[return-value]


def report_bug(exc: BaseException, home: Path | str | None = None) -> int:
    """Log ``exc``'s traceback, say so in one line on stderr, and return ``BUG_EXIT``."""
    log = _bug_log(home)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    record = (f"--- {stamp} pid {os.getpid()}: {' '.join(sys.argv)}\n"
              + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as out:
            out.write(record)
        where = f"the traceback is in {log}"
    except OSError:
        sys.stderr.write(record)
        where = "the traceback is above"
    err_console.print(f"[red]internal error (this is a bug):[/red] {type(exc).__name__}: "
                      f"{escape(_one_line(str(exc))[:200])}; {escape(where)}. Please report it with that file.",
                      soft_wrap=True, markup=True, highlight=False)
    return BUG_EXIT


def _bug_log(home: Path | str | None) -> Path:
    raw = home or os.environ.get("COPILOT_HOME")
    if raw and Path(raw).expanduser().is_dir():
        return Path(raw).expanduser().resolve() / "logs" / "errors.log"
    return Path(tempfile.gettempdir()) / "tam-copilot-errors.log"


def _one_line(text: str) -> str:
    return " ".join(text.split())
