"""What every command shares: ``--home``, ``--json``, and turning errors into exit codes."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console

from copilot.errors import CopilotError

__all__ = ["Home", "JsonFlag", "emit", "err_console", "handle_errors", "open_copilot"]

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
    """Turn a ``CopilotError`` into a one-line message on stderr and its exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CopilotError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]
