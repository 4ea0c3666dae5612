"""Row-level helpers shared by the parsers: typed field access, errors, duplicates.

A parser turns each source row into a record inside a ``try``; anything wrong with the
row raises :class:`RowError` (reason + action), which the parser turns into a
:class:`~copilot.models.QuarantineEntry` while the other rows carry on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from copilot.ingest.base import AccountResolver, MappingKind
from copilot.ingest.severity import parse_timestamp
from copilot.records.models import QuarantineEntry

__all__ = [
    "DuplicateGuard",
    "RowError",
    "describe_validation_error",
    "entry",
    "field_timestamp",
    "is_blank",
    "missing_fields",
    "optional_str",
    "optional_timestamp",
    "require_fields",
    "require_mapping",
    "str_list",
    "unexpected",
    "unresolved_account",
]

RETRY = "fix the row in the source export and re-ingest"


class RowError(Exception):
    """A row that cannot be ingested: what was wrong and what to do about it."""

    def __init__(self, reason: str, action: str = RETRY) -> None:
        super().__init__(reason)
        self.reason = reason
        self.action = action


def entry(path: Path | str, row: str, reason: str, action: str = RETRY) -> QuarantineEntry:
    """A quarantine entry for ``row`` of ``path``."""
    return QuarantineEntry(file=str(path), row=row, reason=reason, action=action)


def unexpected(path: Path | str, row: str, exc: Exception) -> QuarantineEntry:
    """Last resort for a row whose shape no check anticipated: quarantine, never crash."""
    return entry(
        path, row, f"could not read this row ({type(exc).__name__}: {exc})",
        "check the row against docs/formats.md; if it looks right, report it as an ingest bug",
    )


def is_blank(value: object) -> bool:
    """``None``, or a string of only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def missing_fields(row: Mapping[str, Any], names: list[str]) -> list[str]:
    """The names among ``names`` that are absent or blank in ``row``."""
    return [name for name in names if is_blank(row.get(name))]


def require_fields(row: Mapping[str, Any], names: list[str]) -> None:
    """Raise :class:`RowError` naming every missing required field."""
    missing = missing_fields(row, names)
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise RowError(f"missing required field{plural}: {', '.join(missing)}")


def require_mapping(value: object, what: str) -> Mapping[str, Any]:
    """``value`` as a mapping, or a :class:`RowError` saying it is not an object."""
    if not isinstance(value, Mapping):
        raise RowError(f"{what} is {type(value).__name__}, expected an object")
    return value


def optional_str(value: object) -> str:
    """A stripped string for scalars, ``""`` for ``None``."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise RowError(f"expected text, got {type(value).__name__}: {value!r:.60}")
    return str(value).strip()


def str_list(value: object, name: str) -> list[str]:
    """A list of non-blank strings from a list of scalars; ``None`` is empty.

    Raises:
        RowError: ``value`` is not a list, or holds objects/lists.
    """
    if value is None:
        return []
    if not isinstance(value, list):
        raise RowError(f"{name} must be a list, got {type(value).__name__}")
    return [text for text in (optional_str(v) for v in value) if text]


def field_timestamp(value: object, name: str) -> datetime:
    """Parse a required timestamp field, naming the field in the error."""
    if is_blank(value):
        raise RowError(f"missing required field: {name}")
    try:
        return parse_timestamp(value)  # type: ignore[arg-type]
    except ValueError as exc:
        raise RowError(f"{name}: {exc}", "give the timestamp a timezone (Z or an offset) "
                       "in the source and re-ingest") from None


def optional_timestamp(value: object, name: str) -> datetime | None:
    """Parse an optional timestamp field: blank is ``None``, bad values are errors."""
    return None if is_blank(value) else field_timestamp(value, name)


def describe_validation_error(exc: ValidationError) -> str:
    """One line per pydantic error: ``loc: message (got value)``."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        got = err.get("input")
        quiet = err["type"] == "missing" or isinstance(got, (dict, list))
        suffix = "" if quiet else f" (got {got!r})"
        parts.append(f"{loc}: {err['msg']}{suffix}")
    return "; ".join(parts)


_MAPPING_FIELD: dict[MappingKind, str] = {
    "zendesk_org": "mappings.zendesk_organization_ids",
    "jira_project": "mappings.jira_project_keys",
    "customer_name": "account.name / account.aliases / mappings.csv_customer_names",
    "slack_channel": "mappings.slack_channels",
}


def unresolved_account(
    resolver: AccountResolver, kind: MappingKind, key: object, label: str, note: str = ""
) -> RowError:
    """The error for a key no single plan maps (unknown or claimed twice).

    Args:
        label: what the key is, e.g. ``"organization_id"``.
        note: extra context printed after the key, e.g. ``" (organization 'Fabrikam')"``.
    """
    field = _MAPPING_FIELD[kind]
    claimants = resolver.claimants(kind, key) if not is_blank(key) else []  # type: ignore[arg-type]
    if len(claimants) > 1:
        return RowError(
            f"{label} {key!r}{note} is mapped by several account plans ({', '.join(claimants)}); "
            "not guessing which one",
            f"keep {key!r} in {field} of exactly one account plan, then re-ingest",
        )
    return RowError(
        f"unknown account: {label} {key!r}{note} is not in any account plan's {field}",
        f"add {key!r} to {field} of the account plan it belongs to, then re-ingest",
    )


class DuplicateGuard:
    """Tracks ids seen in one file: identical repeats merge, conflicting ones are refused."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[object, str]] = {}

    def check(self, key: str, raw: object, row: str) -> Literal["new", "same"]:
        """Register ``key`` with its raw content.

        Returns:
            ``"new"`` the first time, ``"same"`` for an identical repeat (skip it silently).

        Raises:
            RowError: for a repeat whose content differs from the first occurrence.
        """
        if key not in self._seen:
            self._seen[key] = (raw, row)
            return "new"
        first_raw, first_row = self._seen[key]
        if first_raw == raw:
            return "same"
        raise RowError(
            f"duplicate id {key} with content different from its first occurrence at "
            f"{first_row}; the first occurrence stands, this one is refused",
            "remove or correct the conflicting duplicate in the source and re-ingest",
        )
