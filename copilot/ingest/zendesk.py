"""Zendesk: ``*.json`` with a top-level ``tickets`` list (Support API shapes, side-loaded).

``users``, ``organizations`` and ``comments`` (an object keyed by ticket id) sit next
to ``tickets``. Ticket ids become ``ZD-<id>``, comment ids ``ZD-<ticket>-c<id>``. The
account is the plan whose ``mappings.zendesk_organization_ids`` holds the ticket's
``organization_id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

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
from copilot.ingest.ticket_fields import environment_from_tags, first_response_at
from copilot.records.models import Comment, QuarantineEntry, Ticket

__all__ = ["ZendeskIngestor", "parse_zendesk"]

_AGENT_ROLES = {"agent", "admin"}
_REQUIRED = ["id", "subject", "priority", "status", "created_at", "organization_id"]


def _index_by_id(items: object) -> dict[str, Mapping[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {str(i["id"]): i for i in items if isinstance(i, Mapping) and "id" in i}


def _ticket_id(raw_id: object) -> str:
    text = str(raw_id).strip()
    if isinstance(raw_id, bool) or not text.isdigit():
        raise RowError(f"id {raw_id!r} is not a Zendesk ticket number")
    return f"ZD-{text}"


class _Parser:
    def __init__(self, path: Path, data: Mapping[str, Any], resolver: AccountResolver) -> None:
        self.path = path
        self.resolver = resolver
        self.users = _index_by_id(data.get("users"))
        self.orgs = _index_by_id(data.get("organizations"))
        self.comments = data.get("comments") or {}
        self.quarantine: list[QuarantineEntry] = []

    def user_name(self, user_id: object) -> str:
        user = self.users.get(str(user_id)) if user_id is not None else None
        return optional_str(user.get("name")) if user else ""

    def user_role(self, user_id: object) -> str:
        """agent/admin -> agent, end-user -> customer, a user not side-loaded -> unknown."""
        user = self.users.get(str(user_id))
        role = user.get("role") if user else None
        role = role if isinstance(role, str) else ""
        return "agent" if role in _AGENT_ROLES else "customer" if role == "end-user" else "unknown"

    def comment(
        self, ticket_id: str, raw: object, index: int, guard: DuplicateGuard
    ) -> Comment | None:
        row = f"{ticket_id} comments[{index}]"
        try:
            item = require_mapping(raw, "comment")
            if not is_blank(item.get("id")):
                row = f"{ticket_id}-c{optional_str(item['id'])}"
            body = item.get("body", item.get("plain_body"))
            require_fields({**item, "body": body}, ["id", "created_at", "body"])
            if guard.check(row, dict(item), f"{ticket_id} comments[{index}]") == "same":
                return None
            public = item.get("public", True)
            if not isinstance(public, bool):
                raise RowError(f"public is {public!r}, expected true or false")
            return Comment(
                id=row,
                ticket_id=ticket_id,
                author=self.user_name(item.get("author_id")),
                author_role=self.user_role(item.get("author_id")),
                public=public,
                created_at=field_timestamp(item["created_at"], "created_at"),
                body=optional_str(body),
            )
        except ValidationError as exc:
            self.quarantine.append(entry(self.path, row, describe_validation_error(exc)))
        except RowError as err:
            self.quarantine.append(entry(self.path, row, err.reason, err.action))
        except Exception as exc:
            self.quarantine.append(unexpected(self.path, row, exc))
        return None

    def ticket(self, item: Mapping[str, Any]) -> Ticket:
        require_fields(item, _REQUIRED)
        ticket_id = _ticket_id(item["id"])
        org = item["organization_id"]
        account_id = self.resolver.by_zendesk_org(org)
        if account_id is None:
            org_name = optional_str(self.orgs.get(str(org), {}).get("name"))
            note = f" (organization {org_name!r})" if org_name else ""
            raise unresolved_account(self.resolver, "zendesk_org", org, "organization_id", note)
        try:
            priority = normalize_priority(item["priority"])
            status = normalize_status(item["status"])
        except ValueError as exc:
            raise RowError(str(exc)) from None
        tags = str_list(item.get("tags"), "tags")
        env = environment_from_tags(tags)
        created_at = field_timestamp(item["created_at"], "created_at")
        updated_at = optional_timestamp(item.get("updated_at"), "updated_at")
        explicit_first = optional_timestamp(item.get("first_response_at"), "first_response_at")
        solved = item.get("solved_at", item.get("resolved_at"))
        resolved_at = optional_timestamp(solved, "solved_at")
        if resolved_at is None and status in ("solved", "closed"):
            resolved_at = updated_at  # Zendesk's API has no solved time; updated_at is when it was solved
        comments = self.ticket_comments(ticket_id, str(item["id"]).strip())
        return Ticket(
            id=ticket_id,
            account_id=account_id,
            source="zendesk",
            source_file=str(self.path),
            subject=optional_str(item["subject"]),
            description=optional_str(item.get("description")),
            priority=priority,
            status=status,
            type=optional_str(item.get("type")),
            tags=tags,
            component=env.component,
            product_version=env.product_version,
            region=env.region,
            requester=self.user_name(item.get("requester_id")),
            assignee=self.user_name(item.get("assignee_id")),
            created_at=created_at,
            updated_at=updated_at,
            first_response_at=explicit_first or first_response_at(comments),
            resolved_at=resolved_at,
            comments=comments,
        )

    def ticket_comments(self, ticket_id: str, raw_id: str) -> list[Comment]:
        raw = self.comments.get(raw_id) if isinstance(self.comments, Mapping) else None
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.quarantine.append(entry(self.path, f'comments["{raw_id}"]',
                                         "comments of a ticket must be a list"))
            return []
        guard = DuplicateGuard()
        parsed = [self.comment(ticket_id, c, i, guard) for i, c in enumerate(raw)]
        return sorted((c for c in parsed if c is not None), key=lambda c: (c.created_at, c.id))

    def run(self, tickets: list[object]) -> ParseResult:
        result = ParseResult()
        guard = DuplicateGuard()
        seen_ids: set[str] = set()
        for index, raw in enumerate(tickets):
            row = f"tickets[{index}]"
            try:
                item = require_mapping(raw, "ticket")
                if not is_blank(item.get("id")):
                    row = _ticket_id(item["id"])
                    seen_ids.add(str(item["id"]).strip())
                if guard.check(row, dict(item), f"tickets[{index}]") == "same":
                    continue
                result.tickets.append(self.ticket(item))
            except ValidationError as exc:
                result.quarantine.append(entry(self.path, row, describe_validation_error(exc)))
            except RowError as err:
                result.quarantine.append(entry(self.path, row, err.reason, err.action))
            except Exception as exc:
                result.quarantine.append(unexpected(self.path, row, exc))
        self.orphan_comments(seen_ids)
        result.quarantine.extend(self.quarantine)
        return result

    def orphan_comments(self, ticket_ids: set[str]) -> None:
        if not isinstance(self.comments, Mapping):
            self.quarantine.append(entry(self.path, "comments",
                                         "comments must be an object keyed by ticket id"))
            return
        for key in self.comments:
            if str(key).strip() not in ticket_ids:
                self.quarantine.append(entry(
                    self.path,
                    f'comments["{key}"]',
                    f"comments reference ticket {key}, which is not in this file's tickets",
                    "export the ticket together with its comments, or drop the comments",
                ))


def parse_zendesk(path: Path, data: object, resolver: AccountResolver) -> ParseResult:
    """Parse a side-loaded Zendesk export into tickets with their comments."""
    if not isinstance(data, Mapping) or not isinstance(data.get("tickets"), list):
        return ParseResult(quarantine=[entry(path, "", "expected an object with a 'tickets' list")])
    return _Parser(path, data, resolver).run(data["tickets"])


class ZendeskIngestor:
    """JSON documents with a top-level ``tickets`` list."""

    name = "zendesk"

    def matches(self, path: Path, data: object | None) -> bool:
        return path.suffix.lower() == ".json" and isinstance(data, Mapping) and isinstance(
            data.get("tickets"), list
        )

    def parse(self, path: Path, data: object | None, resolver: AccountResolver) -> ParseResult:
        return parse_zendesk(path, data, resolver)
