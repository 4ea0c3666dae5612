"""``python -m copilot`` / ``tam-copilot``: the automation interface (see DESIGN.md).

Each command group lives in its own module with a ``register(app)`` function.
"""

from __future__ import annotations

import importlib
import sys

import typer

__all__ = ["app", "main"]

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="TAM Copilot: drafts escalation briefs, incident updates, PIRs and QBRs from an account's history.")

COMMAND_MODULES = ["records", "drafts", "checks", "review", "evals", "batch", "console", "portfolio", "kpis"]

for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"copilot.cli.{_name}")
    except ModuleNotFoundError as exc:  # a command group not written yet
        if exc.name != f"copilot.cli.{_name}":
            raise
        continue
    _module.register(app)


def main() -> None:
    """Run the CLI; an exception no command turned into an exit code is reported as a bug (70)."""
    from copilot.cli.common import report_bug

    try:
        app()
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:
        sys.exit(report_bug(exc))
