"""``draft brief|update|pir|qbr``: draft an artifact, print it (or its JSON), optionally save it."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from copilot.cli.common import Home, JsonFlag, err_console, handle_errors, open_copilot
from copilot.errors import InvalidInput

if TYPE_CHECKING:
    from copilot.drafting.draft import Draft

__all__ = ["parse_as_of", "register"]

draft_app = typer.Typer(no_args_is_help=True, help="Draft an escalation brief, incident update, PIR or QBR.")

Backend = Annotated[str | None, typer.Option(
    "--backend", help="template (default), openai:MODEL, or openai:MODEL@http://HOST:PORT/v1 [env: COPILOT_BACKEND]")]
BaseUrl = Annotated[str | None, typer.Option(
    "--base-url", help="OpenAI-compatible server for openai:MODEL [env: COPILOT_LLM_BASE_URL]")]
Out = Annotated[Path | None, typer.Option(
    "--out", help="Write the draft to FILE: its JSON when FILE ends in .json, else its Markdown")]
SectionOpt = Annotated[str | None, typer.Option(
    "--section", help="Redraft only this section (name or title, e.g. workaround) with --backend; the other "
    "sections stay as they are in --from (default: the template draft)")]
FromDraft = Annotated[Path | None, typer.Option(
    "--from", help="With --section: the draft JSON whose other sections are kept")]
AsOf = Annotated[str | None, typer.Option(
    "--as-of", help="Write the draft as of this time (ISO 8601 with timezone, e.g. 2026-04-12T10:00Z; default: now, or the data's snapshot time for an old export)")]


def parse_as_of(value: str | None) -> datetime | None:
    """``2026-04-12T10:00Z`` / ``2026-04-12T10:00:00+02:00`` / ``2026-04-12 10:00 UTC`` -> aware UTC."""
    if value is None:
        return None
    text = value.strip()
    if text.upper().endswith(" UTC"):
        text = text[:-4] + "+00:00"
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"--as-of {value!r} is not a time like 2026-04-12T10:00Z") from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"--as-of {value!r} has no timezone; add Z (UTC) or an offset such as +02:00")
    return parsed.astimezone(timezone.utc)


def _run(kind: str, subject: str, *, home: Path | None, backend: str | None, base_url: str | None,
         as_of: str | None, quarter: str | None, out: Path | None, json_out: bool,
         section: str | None = None, base: Path | None = None) -> None:
    copilot = open_copilot(home)
    clock = copilot.clock(parse_as_of(as_of))
    if clock.source == "data snapshot":
        err_console.print(clock.note, style="dim", markup=False, soft_wrap=True)
    if base is not None and section is None:
        raise InvalidInput("--from needs --section NAME: it names the draft whose other sections are kept")
    if section is None:
        draft = copilot.draft(kind, subject, backend=backend, as_of=clock.now, quarter=quarter, base_url=base_url)
    else:
        start = _read_draft(base, kind, subject) if base is not None else copilot.draft(
            kind, subject, backend="template", as_of=clock.now, quarter=quarter)
        draft = copilot.redraft_section(start, section, backend=backend, as_of=clock.now, base_url=base_url)
    payload = draft.model_dump(mode="json")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".json":
            out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        else:
            out.write_text(draft.markdown, encoding="utf-8")
    if json_out:
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    sys.stdout.write(draft.markdown)
    report = draft.guardrails
    status = "[green]passed[/]" if report.passed else "[red]blocked[/]"
    err_console.print(f"guardrails {status}: {len(report.findings)} finding(s)")
    for f in report.findings:
        err_console.print(f"  {f.severity:5} {f.check}: {f.message}", markup=False)
    backends = draft.scores.get("section_backends") or {}
    if len(set(backends.values())) > 1:
        err_console.print("sections: " + ", ".join(f"{name} ← {by}" for name, by in backends.items()), markup=False)
    err_console.print(f"{draft.id} · {draft.backend} · {draft.prompt_version}"
                      + (f" · saved to {out}" if out else ""), style="dim")


def _read_draft(path: Path, kind: str, subject: str) -> Draft:
    from copilot.drafting.draft import Draft

    try:
        draft = Draft.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"--from {path}: not a draft JSON file ({exc.__class__.__name__}); save one with "
                           "`draft ... --out FILE.json`") from None
    if draft.kind != kind or draft.subject_id.partition(":")[0] != subject:
        raise InvalidInput(f"--from {path} is a {draft.kind} of {draft.subject_id}, not a {kind} of {subject}")
    return draft


@handle_errors
def brief(
    ticket: Annotated[str, typer.Option("--ticket", help="Ticket id, e.g. ZD-4123")],
    backend: Backend = None, base_url: BaseUrl = None, as_of: AsOf = None, out: Out = None,
    home: Home = None, json_out: JsonFlag = False, section: SectionOpt = None, base: FromDraft = None,
) -> None:
    """Escalation brief for Engineering/SRE about one ticket (internal)."""
    _run("escalation_brief", ticket, home=home, backend=backend, base_url=base_url, as_of=as_of, quarter=None,
         out=out, json_out=json_out, section=section, base=base)


@handle_errors
def update(
    incident: Annotated[str, typer.Option("--incident", help="Incident id, e.g. INC-2026-0412")],
    as_of: AsOf = None, backend: Backend = None, base_url: BaseUrl = None, out: Out = None,
    home: Home = None, json_out: JsonFlag = False, section: SectionOpt = None, base: FromDraft = None,
) -> None:
    """Customer incident update as of a time (default: now, or the data's snapshot time for an old export)."""
    _run("incident_update", incident, home=home, backend=backend, base_url=base_url, as_of=as_of, quarter=None,
         out=out, json_out=json_out, section=section, base=base)


@handle_errors
def pir(
    incident: Annotated[str, typer.Option("--incident", help="Incident id, e.g. INC-2026-0412")],
    backend: Backend = None, base_url: BaseUrl = None, out: Out = None,
    home: Home = None, json_out: JsonFlag = False, section: SectionOpt = None, base: FromDraft = None,
) -> None:
    """Post-incident review: sourced UTC timeline, milestones, durations, causes, actions."""
    _run("pir_timeline", incident, home=home, backend=backend, base_url=base_url, as_of=None, quarter=None,
         out=out, json_out=json_out, section=section, base=base)


@handle_errors
def qbr(
    account: Annotated[str, typer.Option("--account", help="Account id (see `list accounts`)")],
    quarter: Annotated[str, typer.Option("--quarter", help="Calendar quarter, e.g. 2026Q3")],
    as_of: AsOf = None, backend: Backend = None, base_url: BaseUrl = None, out: Out = None,
    home: Home = None, json_out: JsonFlag = False, section: SectionOpt = None, base: FromDraft = None,
) -> None:
    """QBR narrative for one account and quarter (renewal context counted from --as-of, default: now, or the data's snapshot time for an old export)."""
    _run("qbr_narrative", account, home=home, backend=backend, base_url=base_url, as_of=as_of, quarter=quarter,
         out=out, json_out=json_out, section=section, base=base)


def register(app: typer.Typer) -> None:
    draft_app.command("brief")(brief)
    draft_app.command("update")(update)
    draft_app.command("pir")(pir)
    draft_app.command("qbr")(qbr)
    app.add_typer(draft_app, name="draft")
