"""Jira: ``*.json`` with a top-level ``issues`` list (``GET /rest/api/3/search``).

Descriptions and comment bodies may be plain text or Atlassian Document Format. The
account is the plan whose ``mappings.jira_project_keys`` holds the issue key's project
prefix. A comment counts as the customer's when its author's email domain is one of the
account's ``email_domains`` (or, without an email, when the author is one of the plan's
customer-side stakeholders); every other author counts as an agent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from copilot.ingest.adf import rich_text
from copilot.ingest.base import AccountResolver, ParseResult
from copilot.ingest.rows import (
    DuplicateGuard,
    RowError,
    describe_validation_error,
    entry,
    field_timestamp,
    is_blank,
    optional_str,
    optional_timestamp,
    require_fields,
    require_mapping,
    str_list,
    unexpected,
    unresolved_account,
)
from copilot.ingest.severity import normalize_priority, normalize_status
from copilot.ingest.ticket_fields import environment_from_tags, first_response_at, normalize_version
from copilot.records.models import Comment, QuarantineEntry, Ticket

__all__ = ["JiraIngestor", "parse_jira"]

_KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*-\d+$")
_CATEGORY_STATUS = {"new": "open", "indeterminate": "open", "done": "solved"}


def _name(fields: Mapping[str, Any], key: str, attr: str = "name") -> str:
    value = fields.get(key)
    return optional_str(value.get(attr)) if isinstance(value, Mapping) else ""


def _names(fields: Mapping[str, Any], key: str) -> list[str]:
    value = fields.get(key)
    if not isinstance(value, list):
        return []
    return [optional_str(v.get("name")) for v in value if isinstance(v, Mapping) and v.get("name")]


def _status(fields: Mapping[str, Any]) -> str:
    name = _name(fields, "status")
    try:
        return normalize_status(name)
    except ValueError as exc:
        status = fields.get("status")
        category = status.get("statusCategory") if isinstance(status, Mapping) else None
        key = category.get("key") if isinstance(category, Mapping) else None
        if isinstance(key, str) and key in _CATEGORY_STATUS:
            return _CATEGORY_STATUS[key]
        raise RowError(str(exc)) from None


class _Parser:
    def __init__(self, path: Path, resolver: AccountResolver) -> None:
        self.path = path
        self.resolver = resolver
        self.quarantine: list[QuarantineEntry] = []

    def role(self, author: Mapping[str, Any], account_id: str) -> str:
        email = optional_str(author.get("emailAddress")).lower()
        if email:
            domain = email.rpartition("@")[2]
            ours = self.resolver.email_domains(account_id)
            is_customer = any(domain == d or domain.endswith(f".{d}") for d in ours)
            return "customer" if is_customer else "agent"
        plan = self.resolver.plan(account_id)
        name = optional_str(author.get("displayName")).casefold()
        stakeholders = plan.stakeholders if plan else []
        customers = {c.name.casefold() for c in stakeholders if not c.internal}
        return "customer" if name and name in customers else "agent"

    def comment(self, key: str, account_id: str, raw: object, index: int,
                guard: DuplicateGuard) -> Comment | None:
        row = f"{key} comments[{index}]"
        try:
            item = require_mapping(raw, "comment")
            if not is_blank(item.get("id")):
                row = f"{key}-c{optional_str(item['id'])}"
            require_fields(item, ["id", "created"])
            if item.get("body") is None:
                raise RowError("missing required field: body")
            if guard.check(row, dict(item), f"{key} comments[{index}]") == "same":
                return None
            public = item.get("jsdPublic", True)
            if not isinstance(public, bool):
                raise RowError(f"jsdPublic is {public!r}, expected true or false")
            author = item.get("author") if isinstance(item.get("author"), Mapping) else {}
            return Comment(
                id=row,
                ticket_id=key,
                author=optional_str(author.get("displayName")),
                author_role=self.role(author, account_id),
                public=public,
                created_at=field_timestamp(item["created"], "created"),
                body=rich_text(item["body"]),
            )
        except ValidationError as exc:
            self.quarantine.append(entry(self.path, row, describe_validation_error(exc)))
        except RowError as err:
            self.quarantine.append(entry(self.path, row, err.reason, err.action))
        except Exception as exc:
            self.quarantine.append(unexpected(self.path, row, exc))
        return None

    def comments(self, key: str, account_id: str, fields: Mapping[str, Any]) -> list[Comment]:
        holder = fields.get("comment")
        raw = holder.get("comments") if isinstance(holder, Mapping) else None
        if not isinstance(raw, list):
            return []
        guard = DuplicateGuard()
        parsed = [self.comment(key, account_id, c, i, guard) for i, c in enumerate(raw)]
        return sorted((c for c in parsed if c is not None), key=lambda c: (c.created_at, c.id))

    def issue(self, key: str, item: Mapping[str, Any]) -> Ticket:
        fields = require_mapping(item.get("fields"), "fields")
        flat = {
            "fields.summary": fields.get("summary"),
            "fields.priority.name": _name(fields, "priority"),
            "fields.status.name": _name(fields, "status"),
            "fields.created": fields.get("created"),
        }
        require_fields(flat, list(flat))
        project = key.rsplit("-", 1)[0]
        account_id = self.resolver.by_jira_project(project)
        if account_id is None:
            raise unresolved_account(self.resolver, "jira_project", project, "project key")
        try:
            priority = normalize_priority(_name(fields, "priority"))
        except ValueError as exc:
            raise RowError(str(exc)) from None
        status = _status(fields)
        labels = str_list(fields.get("labels"), "fields.labels")
        env = environment_from_tags(labels)
        components = _names(fields, "components")
        versions = _names(fields, "versions")
        created_at = field_timestamp(fields["created"], "fields.created")
        updated_at = optional_timestamp(fields.get("updated"), "fields.updated")
        resolved_at = optional_timestamp(fields.get("resolutiondate"), "fields.resolutiondate")
        comments = self.comments(key, account_id, fields)
        return Ticket(
            id=key,
            account_id=account_id,
            source="jira",
            source_file=str(self.path),
            subject=optional_str(fields["summary"]),
            description=rich_text(fields.get("description")),
            priority=priority,
            status=status,
            type=_name(fields, "issuetype"),
            tags=labels,
            component=components[0] if components else env.component,
            product_version=normalize_version(versions[0]) if versions else env.product_version,
            region=env.region,
            requester=_name(fields, "reporter", "displayName"),
            assignee=_name(fields, "assignee", "displayName"),
            created_at=created_at,
            updated_at=updated_at,
            first_response_at=first_response_at(comments),
            resolved_at=resolved_at,
            comments=comments,
        )

    def run(self, issues: list[object]) -> ParseResult:
        result = ParseResult()
        guard = DuplicateGuard()
        for index, raw in enumerate(issues):
            row = f"issues[{index}]"
            try:
                item = require_mapping(raw, "issue")
                key = optional_str(item.get("key"))
                if not key:
                    raise RowError("missing required field: key")
                if not _KEY_RE.match(key):
                    raise RowError(f"key {key!r} is not a Jira issue key (PROJECT-123)")
                row = key
                if guard.check(key, dict(item), f"issues[{index}]") == "same":
                    continue
                result.tickets.append(self.issue(key, item))
            except ValidationError as exc:
                result.quarantine.append(entry(self.path, row, describe_validation_error(exc)))
            except RowError as err:
                result.quarantine.append(entry(self.path, row, err.reason, err.action))
            except Exception as exc:
                result.quarantine.append(unexpected(self.path, row, exc))
        result.quarantine.extend(self.quarantine)
        return result


def parse_jira(path: Path, data: object, resolver: AccountResolver) -> ParseResult:
    """Parse a Jira search result into tickets with their comments."""
    if not isinstance(data, Mapping) or not isinstance(data.get("issues"), list):
        return ParseResult(quarantine=[entry(path, "", "expected an object with an 'issues' list")])
    return _Parser(path, resolver).run(data["issues"])


class JiraIngestor:
    """JSON documents with a top-level ``issues`` list."""

    name = "jira"

    def matches(self, path: Path, data: object | None) -> bool:
        return path.suffix.lower() == ".json" and isinstance(data, Mapping) and isinstance(
            data.get("issues"), list
        )

    def parse(self, path: Path, data: object | None, resolver: AccountResolver) -> ParseResult:
        return parse_jira(path, data, resolver)
