"""``eval``: run an evaluation suite and check its thresholds (exit 1 when one is missed).

Prints ``{"passed", "metrics", "failures", …}`` with ``--json``; ``--report DIR`` writes
``DIR/<suite>.json`` and ``DIR/<suite>.md``; ``--baseline FILE`` adds the change of every metric
against an earlier report.

Which home: ``--home DIR`` evaluates that home (the sample is ingested into it first only when it
has no accounts). Without ``--home`` the eval uses its own home, ``$COPILOT_EVAL_HOME`` or
``./.copilot/eval``, and syncs it with ``--data`` (default ``data/sample``) on every run: ingest is
idempotent, so a re-run embeds nothing new, and a fresh checkout (CI) builds it once. It never
uses ``$COPILOT_HOME``: the datasets are labelled against the sample, not a real portfolio.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from copilot.cli.common import Home, JsonFlag, err_console, handle_errors
from copilot.cli.console import REPO_ROOT
from copilot.config import Settings
from copilot.errors import InvalidInput

__all__ = ["default_data_dir", "register"]

console = Console()


class Suite(str, Enum):
    offline = "offline"
    realdata = "realdata"
    llm = "llm"


def default_data_dir() -> Path:
    """``./data/sample`` if present, else the repository's ``data/sample``."""
    here = Path("data/sample")
    if here.is_dir():
        return here
    return REPO_ROOT / "data" / "sample"


def _evals_importable() -> None:
    """The eval suite lives in the checkout's ``evals/`` folder (it is not installed as a package)."""
    root = str(REPO_ROOT)
    if not (REPO_ROOT / "evals" / "runner.py").is_file():
        raise InvalidInput(f"the eval suite is not here ({REPO_ROOT / 'evals'}); run `eval` from a checkout "
                           "of the repository (pip install -e .)")
    if root not in sys.path:
        sys.path.insert(0, root)


def _open(home: Path | None, data: Path | None, quiet: bool):
    from copilot.service import Copilot

    data = data or default_data_dir()
    if home is None:
        home = Settings().eval_home or Path(".copilot") / "eval"
        sync = True
    else:
        sync = False
    copilot = Copilot(home)
    if sync or not copilot.store.accounts():
        if not data.exists():
            raise InvalidInput(f"{copilot.settings.home} has no accounts and the sample {data} is missing; "
                               "pass --data PATH or run scripts/build_sample_data.py")
        if not quiet:
            err_console.print(f"eval home {copilot.settings.home}: ingesting {data}")
        report = copilot.ingest([data], prune=sync)
        if report.files_read == 0:
            raise InvalidInput(f"nothing could be read from {data}")
    return copilot


@handle_errors
def eval_command(
    suite: Annotated[Suite, typer.Option("--suite", help="offline (template backend, in CI on every change) or llm")]
    = Suite.offline,
    report: Annotated[Path | None, typer.Option("--report", help="Write DIR/<suite>.json and DIR/<suite>.md")] = None,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", help="An earlier report JSON (or saved eval --json output): show each metric's change")] = None,
    backend: Annotated[str | None, typer.Option(
        "--backend", help="Drafting backend: template (offline default) or openai:MODEL@http://HOST:PORT/v1 (llm)")] = None,
    data: Annotated[Path | None, typer.Option(
        "--data", help="Sample to ingest into the eval home [default: data/sample]")] = None,
    only: Annotated[str | None, typer.Option(
        "--only", help="Comma-separated parts: retrieval,drafts,adversarial,guardrails,isolation,realdata (a partial run "
                       "checks only the thresholds of what it measured)")] = None,
    limit: Annotated[int | None, typer.Option(
        "--limit", min=1, help="At most N golden and N adversarial cases, spread over kinds (for slow models)")] = None,
    thresholds: Annotated[Path | None, typer.Option("--thresholds", help="Thresholds file [default: evals/thresholds.toml]")]
    = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines on stderr")] = False,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """Measure retrieval, draft quality, guardrail efficacy, isolation and latency; exit 1 on a missed threshold."""
    _evals_importable()
    from evals.report import baseline_diff, load_baseline, write_report
    from evals.runner import run_suite
    from evals.thresholds import THRESHOLDS_FILE

    prior = load_baseline(baseline) if baseline is not None else None
    copilot = _open(home, data, quiet)
    say = (lambda _msg: None) if quiet else (lambda msg: err_console.print(msg, markup=False, highlight=False, soft_wrap=True))
    result = run_suite(copilot, suite.value, backend=backend, only=only.split(",") if only else None, limit=limit,
                       thresholds_file=thresholds or THRESHOLDS_FILE, say=say)
    diff = baseline_diff(result, prior) if prior is not None else None
    paths = write_report(result, report, diff) if report is not None else None
    payload = result.summary()
    payload["home"] = str(copilot.settings.home)
    payload["report"] = paths
    payload["baseline"] = diff
    if json_out:
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    else:
        _print(payload)
    if not result.passed:
        raise typer.Exit(1)


def _print(payload: dict) -> None:
    baseline = payload.get("baseline")
    changed = (baseline or {}).get("changed", {})
    failed = {f["metric"] for f in payload["failures"]}
    thresholds = payload.get("thresholds", {})
    columns = ["metric", "value", "threshold"] + (["change"] if baseline else [])
    table = Table(*columns, title=f"{payload['suite']} suite ({payload['backend']})")
    for name, value in payload["metrics"].items():
        row = [name, "—" if value is None else f"{value:.4g}", thresholds.get(name, "")]
        if baseline:
            delta = changed.get(name, {}).get("delta")
            row.append("" if delta is None else f"{delta:+.4g}")
        table.add_row(*row, style="red" if name in failed else "")
    console.print(table)
    for note in payload["notes"]:
        console.print(f"[yellow]note:[/] {note}")
    for failure in payload["failures"]:
        console.print(f"[red]missed:[/] {failure['message']}")
    verdict = "[green]passed[/]" if payload["passed"] else f"[red]failed[/] ({len(payload['failures'])} missed)"
    console.print(f"eval {payload['suite']}: {verdict} in {payload['seconds']:.0f} s"
                  + (f"; report {payload['report']['markdown']}" if payload.get("report") else ""))


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)
