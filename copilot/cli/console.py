"""``ui``: start the Streamlit console on 127.0.0.1 (ingesting the sample data into an empty home)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from copilot.cli.common import Home, err_console, handle_errors, open_copilot
from copilot.errors import InvalidInput

__all__ = ["APP_PATH", "REPO_ROOT", "register", "streamlit_command"]

REPO_ROOT = Path(__file__).resolve().parents[2]
APP_PATH = REPO_ROOT / "ui" / "app.py"
SAMPLE_DATA = REPO_ROOT / "data" / "sample"


def streamlit_command(port: int, app_path: Path = APP_PATH) -> list[str]:
    """The ``streamlit run`` command line for the console on 127.0.0.1:``port``."""
    return [sys.executable, "-m", "streamlit", "run", str(app_path),
            "--server.address", "127.0.0.1", "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            # a person sees messages, never tracebacks; no developer menu in the console
            "--client.showErrorDetails", "none", "--client.toolbarMode", "viewer"]


def _ingest_sample(copilot, data: Path) -> None:
    err_console.print(f"The home {copilot.settings.home} has no accounts yet: ingesting {data} first "
                      "(the first run embeds every passage, about a minute).")
    stages = {"parse": "reading files", "embed": "embedding passages"}
    last: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        step = max(1, total // 10)
        if done == total or done - last.get(stage, -step) >= step:
            last[stage] = done
            err_console.print(f"  {stages.get(stage, stage)}: {done}/{total}")

    report = copilot.ingest([data], progress=progress)
    err_console.print(f"Ingested {report.accounts} accounts, {report.tickets} tickets, {report.incidents} incidents, "
                      f"{report.runbooks} runbooks; {len(report.quarantined)} rows quarantined "
                      "(see the Ingest page).")


@handle_errors
def ui(
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1")] = 8501,
    data: Annotated[Path | None, typer.Option("--data", help="Data to ingest when the home has no accounts "
                                                              "[default: the repo's data/sample]")] = None,
    home: Home = None,
) -> None:
    """Start the Streamlit console on 127.0.0.1 (ingests the sample data first when the home is empty)."""
    if not APP_PATH.is_file():
        raise InvalidInput(f"the console app is missing at {APP_PATH}; reinstall with `pip install -e .` from the repo")
    copilot = open_copilot(home)
    if not copilot.store.accounts():
        source = data or SAMPLE_DATA
        if not source.exists():
            raise InvalidInput(f"the home {copilot.settings.home} is empty and {source} does not exist; "
                               "pass --data PATH with account files, or ingest first")
        _ingest_sample(copilot, source)
    home_dir = str(copilot.settings.home)
    copilot.store.close()
    env = dict(os.environ, COPILOT_HOME=home_dir, HF_HUB_OFFLINE=os.environ.get("HF_HUB_OFFLINE", "1"),
               TRANSFORMERS_OFFLINE=os.environ.get("TRANSFORMERS_OFFLINE", "1"))
    err_console.print(f"TAM Copilot console: http://127.0.0.1:{port}  (home {home_dir}; Ctrl+C stops it)")
    command = streamlit_command(port)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvpe(command[0], command, env)


def register(app: typer.Typer) -> None:
    app.command("ui")(ui)
