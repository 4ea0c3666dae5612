"""``review …``: submit, list, show, edit, override, approve, reject, export and audit drafts.

Exit codes: 0 done; 1 refused (a blocking finding stands, or someone else changed the draft
first: a conflict); 2 unknown id or bad input. With ``--json``, a refusal still prints one JSON
document (``{"id", "status", "refused": true, "conflict", "error", "blocking"}``).
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from copilot.cli.common import Home, JsonFlag, emit, err_console, handle_errors, open_copilot
from copilot.console.provenance import provenance_view
from copilot.drafting.draft import Draft
from copilot.errors import Conflict, InvalidInput, NotFound, Refused
from copilot.review import STATUSES, ReviewItem

__all__ = ["register", "review_app"]

console = Console()
review_app = typer.Typer(no_args_is_help=True, help="Review drafts: approve, reject, edit, override, export.")

ReviewId = Annotated[str, typer.Argument(help="Review id (R7, or 7) or a draft id", show_default=False)]
Reviewer = Annotated[str, typer.Option("--reviewer", help="Who is acting (kept in the audit log)")]
Reason = Annotated[str, typer.Option("--reason", help="Why, in words (kept in the audit log)")]
ExpectedVersion = Annotated[
    int | None,
    typer.Option("--expected-version", help="Refuse (conflict) unless the draft is still at this version "
                                            "(`review show` prints it)"),
]


def _summary(item: ReviewItem) -> dict[str, Any]:
    data = item.model_dump(mode="json", exclude={"revisions", "overrides", "audit", "markdown", "findings"})
    data["approvable"] = item.approvable
    return data


def _refused(copilot: Any, review_id: str, exc: Refused, json_out: bool) -> typer.Exit:
    """Say why on stderr and, with ``--json``, as one document on stdout; exit 1."""
    label = "conflict" if isinstance(exc, Conflict) else "refused"
    err_console.print(f"[red]{label}:[/red] {escape(str(exc))}", soft_wrap=True)
    if json_out:
        payload: dict[str, Any] = {"id": review_id, "status": None, "refused": True,
                                   "conflict": isinstance(exc, Conflict), "error": str(exc), "blocking": []}
        try:
            item = copilot.review.get(review_id)
        except NotFound:
            item = None
        if item is not None:
            payload.update(id=item.id, status=item.status, version=item.version, revision=item.revision,
                           blocking=[f.model_dump(mode="json") for f in item.blocking])
        emit(payload, True)
    return typer.Exit(1)


def _act(home: Path | None, review_id: str, json_out: bool, action: Callable[[Any], ReviewItem],
         done: str) -> None:
    copilot = open_copilot(home)
    try:
        item = action(copilot.review)
    except Refused as exc:
        raise _refused(copilot, review_id, exc, json_out) from None
    emit(_summary(item), json_out, lambda: _print_item(item, headline=done))


def _print_item(item: ReviewItem, *, headline: str = "", full: bool = False) -> None:
    decided = f" by {item.decided_by} at {item.decided_at:%Y-%m-%d %H:%M UTC}" if item.decided_by and item.decided_at else ""
    console.print(f"[bold]{item.id}[/] {headline}{item.status.replace('_', ' ')}{decided} · {item.kind} "
                  f"for {item.account_id} / {item.subject_id} · revision {item.revision}, version {item.version} · "
                  f"sha256 {item.content_hash[:12]}…")
    if item.decision_reason:
        console.print(f"  reason: {escape(item.decision_reason)}")
    if item.findings:
        table = Table("check", "severity", "message", "state", title="findings (current revision)")
        for f in item.findings:
            state = "overridden" if f.overridden else ("blocks approval" if f.severity == "block" else "")
            table.add_row(f.check, f.severity, escape(f.message), state)
        console.print(table)
    elif full:
        console.print("  no findings on the current revision")
    if item.status == "in_review":
        console.print("  ready to approve" if not item.blocking
                      else f"  {len(item.blocking)} blocking finding(s) stand: fix (`review edit`) or override each")
    if not full:
        return
    if item.overrides:
        table = Table("revision", "check", "reviewer", "reason", "at", title="overrides")
        for o in item.overrides:
            table.add_row(str(o.revision), o.check, o.reviewer, escape(o.reason), f"{o.at:%Y-%m-%d %H:%M:%S}")
        console.print(table)
    table = Table("n", "author", "at", "sha256", "blocking", title="revisions")
    for r in item.revisions:
        table.add_row(str(r.n), r.author, f"{r.created_at:%Y-%m-%d %H:%M:%S}", r.content_hash[:12],
                      ", ".join(sorted({f.check for f in r.report.blocking} | set(r.report.crashed))) or "-")
    console.print(table)
    _print_provenance(item.provenance)
    _print_audit(item.audit)


def _print_provenance(p: dict[str, Any]) -> None:
    """How the draft was made: backend per section and, for a model draft, its audit record."""
    if not p:
        return
    view = provenance_view(p)
    for n, line in enumerate(view.summary):
        console.print(("" if n == 0 else "  ") + escape(line))
    for title, rows in (("sections", view.sections), ("fact table", view.facts), ("dropped statements", view.dropped)):
        if rows:
            table = Table(*rows[0], title=title)
            for row in rows:
                table.add_row(*(escape(v) for v in row.values()))
            console.print(table)


def _print_audit(entries: list[Any]) -> None:
    table = Table("#", "at (UTC)", "review", "actor", "action", "rev", "sha256 before → after", "detail",
                  title="audit log")
    for e in entries:
        hashes = f"{(e.hash_before or '-')[:8]} → {(e.hash_after or '-')[:8]}"
        table.add_row(str(e.id), f"{e.at:%Y-%m-%d %H:%M:%S}", e.review_id or "", e.actor, e.action,
                      "" if e.revision is None else str(e.revision), hashes, escape(_detail_text(e.detail)))
    console.print(table)


def _detail_text(detail: dict[str, Any]) -> str:
    """An audit entry's detail for a person: reasons first, kept text summarised, errors last."""
    order = sorted(detail, key=lambda k: (k != "reason", k == "error", k))
    parts = []
    for key in order:
        value = detail[key]
        if key == "markdown":
            parts.append(f"edited text kept ({len(value)} chars)")
        elif key == "overrides":
            parts.append("overrides: " + "; ".join(f"{o['check']} by {o['reviewer']}: {o['reason']}" for o in value)
                         if value else "no overrides")
        elif isinstance(value, (list, dict)):
            parts.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        elif value is not None:
            parts.append(f"{key}: {value}")
    return " · ".join(parts)


def _read_text(path: Path, what: str) -> str:
    try:
        return sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{what} {path} is not UTF-8 text") from None


def _load_draft(path: Path) -> Draft:
    text = _read_text(path, "draft file")
    try:
        return Draft.model_validate_json(text)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()[:5])
        raise InvalidInput(f"{path} is not a Draft JSON document ({problems}); "
                           "`draft … --json --out FILE` writes one") from None


@review_app.command("submit")
@handle_errors
def submit(
    draft_file: Annotated[Path, typer.Argument(metavar="DRAFT.json", help="A Draft JSON file (`-` for stdin)")],
    author: Annotated[str | None, typer.Option("--author", help="Who submits it [default: your login]")] = None,
    hold: Annotated[bool, typer.Option("--hold", help="Keep it as a draft; `review send` puts it in review")] = False,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """Queue a draft for review; the guardrails run again on its markdown."""
    draft = _load_draft(draft_file)
    try:
        who = author or getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    item = open_copilot(home).review.submit(draft, who, hold=hold)
    payload = {"id": item.id, "status": item.status, **_summary(item)}
    emit(payload, json_out, lambda: _print_item(item, headline="submitted: "))


@review_app.command("list")
@handle_errors
def list_reviews(
    status: Annotated[str | None, typer.Option("--status", help=f"Only this status: {', '.join(STATUSES)}")] = None,
    account: Annotated[str | None, typer.Option("--account", help="Only this account")] = None,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """List reviews, newest first."""
    items = open_copilot(home).review.list(status=status, account_id=account)

    def human() -> None:
        if not items:
            console.print("no reviews yet — `review submit DRAFT.json` queues one")
            return
        table = Table("id", "status", "kind", "account", "subject", "rev", "ver", "blocking", "updated (UTC)")
        for i in items:
            table.add_row(i.id, i.status, i.kind, i.account_id, i.subject_id, str(i.revision), str(i.version),
                          ", ".join(sorted({f.check for f in i.blocking})) or "-", f"{i.updated_at:%Y-%m-%d %H:%M}")
        console.print(table)

    emit([_summary(i) for i in items], json_out, human)


@review_app.command("diff")
@handle_errors
def diff(
    review_id: ReviewId,
    before: Annotated[int | None, typer.Option("--before", help="Revision to compare from [default: the one before]")] = None,
    after: Annotated[int | None, typer.Option("--after", help="Revision to compare to [default: the current one]")] = None,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """Section by section: what changed between two revisions and which backend (or reviewer) wrote each."""
    changes = open_copilot(home).review.diff(review_id, before, after)

    def human() -> None:
        table = Table("section", "changed", "before", "after", title=f"{review_id}: sections")
        for c in changes:
            table.add_row(c.section, "yes" if c.changed else "", escape(c.backend_before), escape(c.backend_after))
        console.print(table)
        for c in changes:
            if c.diff:
                console.rule(c.section)
                console.print("\n".join(c.diff), markup=False, highlight=False)

    emit([c.model_dump(mode="json") for c in changes], json_out, human)


@review_app.command("redraft")
@handle_errors
def redraft_section(
    review_id: ReviewId,
    section: Annotated[str, typer.Option("--section", help="The section to write again (name or title)")],
    reviewer: Reviewer,
    backend: Annotated[str | None, typer.Option("--backend", help="template, or openai:MODEL[@URL]")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible server for openai:MODEL")] = None,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """Write one section again with a model or the template, as a new revision; the others stay."""
    item = open_copilot(home).redraft_review_section(review_id, section, reviewer, backend=backend, base_url=base_url)
    emit({"id": item.id, "status": item.status, "revision": item.revision, **_summary(item)}, json_out,
         lambda: _print_item(item, headline="redrafted: "))


@review_app.command("show")
@handle_errors
def show(review_id: ReviewId, home: Home = None, json_out: JsonFlag = False) -> None:
    """A review with its findings, overrides, revisions and audit log."""
    item = open_copilot(home).review.get(review_id)

    def human() -> None:
        _print_item(item, full=True)
        console.rule(f"revision {item.revision}")
        console.print(item.markdown, markup=False, highlight=False)

    emit(item.model_dump(mode="json"), json_out, human)


@review_app.command("send")
@handle_errors
def send(review_id: ReviewId, reviewer: Reviewer, expected_version: ExpectedVersion = None,
         home: Home = None, json_out: JsonFlag = False) -> None:
    """Send a held draft into review."""
    _act(home, review_id, json_out, lambda q: q.send(review_id, reviewer, expected_version), "sent: ")


@review_app.command("edit")
@handle_errors
def edit(
    review_id: ReviewId,
    markdown: Annotated[Path, typer.Option("--markdown", help="The edited Markdown (`-` for stdin)")],
    reviewer: Reviewer,
    expected_version: ExpectedVersion = None,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """Store edited Markdown as a new revision; the guardrails check it again."""
    text = _read_text(markdown, "markdown file")
    _act(home, review_id, json_out, lambda q: q.edit(review_id, text, reviewer, expected_version), "edited: ")


@review_app.command("override")
@handle_errors
def override(
    review_id: ReviewId,
    finding: Annotated[str, typer.Option("--finding", help="The blocking check to override, e.g. grounding")],
    reviewer: Reviewer,
    reason: Reason,
    expected_version: ExpectedVersion = None,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """Let one blocking check's findings stand on the current revision, for a written reason."""
    _act(home, review_id, json_out, lambda q: q.override(review_id, finding, reviewer, reason, expected_version),
         f"override of {finding} recorded: ")


@review_app.command("approve")
@handle_errors
def approve(review_id: ReviewId, reviewer: Reviewer, expected_version: ExpectedVersion = None,
            home: Home = None, json_out: JsonFlag = False) -> None:
    """Approve the current revision; exits 1 while a blocking finding stands un-overridden."""
    _act(home, review_id, json_out, lambda q: q.approve(review_id, reviewer, expected_version), "")


@review_app.command("reject")
@handle_errors
def reject(review_id: ReviewId, reviewer: Reviewer, reason: Reason, expected_version: ExpectedVersion = None,
           home: Home = None, json_out: JsonFlag = False) -> None:
    """Reject the draft with a reason; an edit reopens it."""
    _act(home, review_id, json_out, lambda q: q.reject(review_id, reviewer, reason, expected_version), "")


@review_app.command("export")
@handle_errors
def export(
    review_id: ReviewId,
    out: Annotated[Path, typer.Option("--out", help="Markdown file to write")],
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """Write an approved draft as Markdown with front matter (id, account, approver, content hash)."""
    copilot = open_copilot(home)
    try:
        path = copilot.review.export(review_id, out)
    except Refused as exc:
        raise _refused(copilot, review_id, exc, json_out) from None
    item = copilot.review.get(review_id)
    emit({"id": item.id, "status": item.status, "out": str(path), "content_hash": item.content_hash}, json_out,
         lambda: console.print(f"{item.id} (revision {item.revision}, approved by {item.decided_by}) → {path}"))


@review_app.command("audit")
@handle_errors
def audit(
    review_id: Annotated[str | None, typer.Argument(help="Only this review")] = None,
    verify: Annotated[bool, typer.Option("--verify", help="Check the log's hash chain; exit 1 if broken")] = False,
    home: Home = None,
    json_out: JsonFlag = False,
) -> None:
    """The append-only audit log: who did what, when, with content hashes and reasons."""
    queue = open_copilot(home).review
    if verify:
        result = queue.verify_audit()
        problems = result.for_review(queue.get(review_id).id) if review_id else result.problems
        payload = {**result.model_dump(mode="json"), "intact": not problems,
                   "problems": [p.model_dump(mode="json") for p in problems]}
        emit(payload, json_out, lambda: _print_verification(payload))
        if problems:
            raise typer.Exit(1)
        return
    entries = queue.audit(review_id)
    emit(entries, json_out, lambda: _print_audit(entries))


def _print_verification(payload: dict[str, Any]) -> None:
    head = f"{payload['entries']} entries, keyed with {payload['key_source']}"
    if payload["intact"]:
        console.print(f"audit log intact ({head}; checkpoint at entry #{payload['checkpoint']})")
        return
    err_console.print(f"[red]audit log does NOT verify[/red] ({head}):")
    for p in payload["problems"]:
        err_console.print(f"  - {escape(p['reason'])}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
