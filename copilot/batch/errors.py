"""Turning one account's failure into a one-line message a TAM can act on."""

from __future__ import annotations

import traceback
from typing import TYPE_CHECKING

from pydantic import ValidationError

from copilot.errors import CopilotError

if TYPE_CHECKING:
    from copilot.records.store import Store

__all__ = ["STAGES", "describe_failure", "find_invalid_record", "short_traceback"]

STAGES: dict[str, str] = {
    "draft": "drafting the QBR",
    "write": "writing the draft files",
    "charts": "rendering the charts",
    "review": "submitting the draft for review",
    "manifest": "writing the manifest",
}

_TABLES = (
    ("plan", "plans", "account_id", "AccountPlan"),
    ("ticket", "tickets", "id", "Ticket"),
    ("incident", "incidents", "id", "Incident"),
)


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return str(exc).splitlines()[0]
    first = errors[0]
    loc = ".".join(str(p) for p in first.get("loc", ())) or "(the whole record)"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{loc}: {first.get('msg', 'invalid')}{more}"


def find_invalid_record(store: "Store", account_id: str) -> str | None:
    """``"ticket WIL-191 (from jira/WIL-search.json): created_at: Field required"`` for the first of
    the account's stored records that no longer validates, or None when all do."""
    import copilot.records.models as models

    for kind, table, key, model_name in _TABLES:
        model = getattr(models, model_name)
        rows = store.execute(f"SELECT {key} AS id, source_file, json FROM {table} WHERE account_id=? ORDER BY {key}",
                             (account_id,))
        for row in rows:
            try:
                model.model_validate_json(row["json"])
            except ValidationError as exc:
                where = f" (from {row['source_file']})" if row["source_file"] else ""
                return f"{kind} {row['id']}{where}: {_first_error(exc)}"
    return None


def describe_failure(exc: BaseException, stage: str, store: "Store | None" = None, account_id: str = "") -> str:
    """What went wrong for one account, in one line, with what to do."""
    doing = STAGES.get(stage, stage)
    if isinstance(exc, ValidationError):
        culprit = find_invalid_record(store, account_id) if store is not None and account_id else None
        if culprit:
            return (f"{doing} failed: the stored {culprit}. Correct the record at its source and re-ingest it "
                    "(if ingest finds the source unchanged, the stored copy is damaged: ingest into a fresh "
                    "--home), then re-run qbr-batch")
        return f"{doing} failed: invalid data ({exc.title}: {_first_error(exc)})"
    if isinstance(exc, CopilotError):
        return f"{doing} failed: {exc}"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    message = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    if len(message) > 400:
        message = message[:397] + "..."
    return f"{doing} failed: {message}"


def short_traceback(exc: BaseException, limit: int = 6) -> str:
    """The last ``limit`` frames, for the manifest (debugging, not for the index)."""
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-limit))
