"""``check DRAFT.json``: re-check a draft whose Markdown a person may have edited.

The Markdown is the truth: it is re-split into sections by its ``## `` headings and every
guardrail runs against the account's records in ``--home``. Prints
``{"passed", "findings", "scores", …}``; exit 1 while a blocking finding stands, 2 when the
file cannot be read as a Draft (or its account is not in this home).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from copilot.cli.common import Home, JsonFlag, emit, handle_errors, open_copilot
from copilot.drafting.draft import Draft
from copilot.errors import InvalidInput

__all__ = ["check", "load_draft_file", "register"]

console = Console()


def load_draft_file(path: Path) -> Draft:
    """A Draft from a JSON file (``-`` for stdin); keys the Draft model does not know are ignored."""
    try:
        raw = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read draft file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"draft file {path} is not UTF-8 text") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{path} is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "`draft … --json --out FILE` writes a Draft file"
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{path} holds a JSON {type(data).__name__}, not a Draft object")
    data = {k: v for k, v in data.items() if k in Draft.model_fields}
    try:
        return Draft.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()[:5])
        raise InvalidInput(
            f"{path} is not a Draft JSON document ({problems}); `draft … --json --out FILE` writes one"
        ) from None


def _line_col(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"{line}:{col}"


def _print(draft: Draft, payload: dict[str, Any]) -> None:
    findings = payload["findings"]
    verdict = "[green]passed[/]" if payload["passed"] else "[red]blocked[/]"
    console.print(
        f"{draft.kind} {draft.subject_id} ({draft.account_id}): {verdict} — "
        f"{sum(f['severity'] == 'block' for f in findings)} blocking, "
        f"{sum(f['severity'] == 'warn' for f in findings)} warnings"
    )
    if findings:
        table = Table("severity", "check", "at", "message", "text")
        for f in findings:
            span = f.get("span")
            at = _line_col(draft.markdown, span[0]) if span else ""
            text = draft.markdown[span[0] : span[1]].strip()[:60] if span and f["check"] != "secrets" else ""
            style = "red" if f["severity"] == "block" else "yellow"
            table.add_row(
                f"[{style}]{f['severity']}[/]",
                f["check"] + (" (crashed)" if f.get("crashed") else ""),
                at,
                escape(f["message"]),
                escape(text),
            )
        console.print(table)
    scores = payload["scores"]
    parts = [
        f"completeness {scores.get('completeness', 0):.0%}",
        f"grounding {scores.get('grounding_precision', 0):.0%}",
    ]
    if "escalation_quality" in scores:
        parts.append(f"escalation quality {scores['escalation_quality']['score']}/5")
    console.print("scores: " + ", ".join(parts))


@handle_errors
def check(
    draft_file: Annotated[Path, typer.Argument(metavar="DRAFT.json", help="A Draft JSON file (`-` for stdin)")],
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """Re-check a (possibly edited) draft against its account's records; exit 1 if anything blocks."""
    from copilot.guardrails.engine import evaluate_draft

    draft = load_draft_file(draft_file)
    if not draft.markdown.strip():
        raise InvalidInput(f"{draft_file} has no markdown to check")
    copilot = open_copilot(home)
    copilot.plan(draft.account_id)
    checked, report, scores = evaluate_draft(copilot.store, draft, edited=True)
    payload = {
        "passed": report.passed,
        "findings": [f.model_dump(mode="json") for f in report.findings],
        "scores": scores,
        "crashed": report.crashed,
        "draft_id": draft.id,
        "kind": draft.kind,
        "account_id": draft.account_id,
        "subject_id": draft.subject_id,
    }
    emit(payload, json_out, lambda: _print(checked, payload))
    if not report.passed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("check")(check)
