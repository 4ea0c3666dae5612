"""The Jira ``/rest/api/3/search`` body per project, with Atlassian Document Format text."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from copilot.synth.ids import IdCounter, resolve_refs
from copilot.synth.specs import AccountSpec, Person, TicketSpec
from copilot.synth.timestamps import iso_jira
from copilot.synth.world import VENDOR_DOMAIN

__all__ = ["JIRA_PRIORITY", "jira_document", "to_adf"]

_LOGLINE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
_STEP = re.compile(r"^\d+\. ")


def _adf_text(text: str) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            nodes.append({"type": "hardBreak"})
        if line:
            nodes.append({"type": "text", "text": line})
    return nodes


def to_adf(text: str) -> dict[str, Any]:
    """Plain text -> Atlassian Document Format (paragraphs, numbered steps, log lines as code)."""
    content: list[dict[str, Any]] = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        head, rest = lines[0], lines[1:]
        if rest and head.endswith(":") and all(_LOGLINE.match(x) for x in rest):
            content.append({"type": "paragraph", "content": _adf_text(head)})
            content.append({"type": "codeBlock", "attrs": {"language": "text"},
                            "content": [{"type": "text", "text": "\n".join(rest)}]})
        elif rest and head.endswith(":") and all(_STEP.match(x) for x in rest):
            content.append({"type": "paragraph", "content": _adf_text(head)})
            content.append({"type": "orderedList", "content": [
                {"type": "listItem", "content": [
                    {"type": "paragraph", "content": _adf_text(_STEP.sub("", x, count=1))}]}
                for x in rest]})
        elif all(_LOGLINE.match(x) for x in lines):
            content.append({"type": "codeBlock", "attrs": {"language": "text"},
                            "content": [{"type": "text", "text": block}]})
        else:
            content.append({"type": "paragraph", "content": _adf_text(block)})
    return {"type": "doc", "version": 1, "content": content}


JIRA_PRIORITY = {
    "standard": {"P1": "Highest", "P2": "High", "P3": "Medium", "P4": "Low"},
    "classic": {"P1": "Blocker", "P2": "Critical", "P3": "Major", "P4": "Minor"},
    "sev": {"P1": "Sev1", "P2": "Sev2", "P3": "Sev3", "P4": "Sev4"},
}


def _jira_user(p: Person) -> dict[str, Any]:
    return {"accountId": hashlib.sha256(p.email.encode()).hexdigest()[:24], "displayName": p.name,
            "emailAddress": p.email}


def jira_document(spec: AccountSpec, tickets: list[TicketSpec], key_map: dict[str, str],
                  issue_ids: IdCounter | None = None, comment_ids: IdCounter | None = None) -> dict[str, Any]:
    """The body of GET /rest/api/3/search for the account's project."""
    body = to_adf if spec.jira_adf else (lambda s: s)
    issue_ids = issue_ids or IdCounter(10000)
    comment_ids = comment_ids or IdCounter(100000)
    issues = []
    for t in sorted(tickets, key=lambda t: int(t.native_id.split("-")[1])):
        number = int(t.native_id.split("-")[1])
        last_customer = t.comments and not sorted(t.comments, key=lambda c: c.created_at)[-1].author.is_agent
        status = {
            "new": "Open", "open": "Open" if last_customer else "In Progress", "pending": "Waiting for customer",
            "on_hold": "In Progress", "solved": "Resolved" if spec.jira_priority_style != "classic" else "Done",
            "closed": "Closed",
        }[t.status]
        comments = []
        for c in sorted(t.comments, key=lambda c: c.created_at):
            comments.append({
                "id": str(comment_ids.next(3)),
                "author": _jira_user(c.author), "body": body(resolve_refs(c.body, key_map)),
                "created": iso_jira(c.created_at), "updated": iso_jira(c.created_at), "jsdPublic": c.public,
            })
        issue_id = str(issue_ids.next())
        issues.append({
            "id": issue_id,
            "key": t.native_id,
            "self": f"https://support.{VENDOR_DOMAIN}/rest/api/3/issue/{issue_id}",
            "fields": {
                "summary": resolve_refs(t.subject, key_map),
                "description": body(resolve_refs(t.description, key_map)),
                "issuetype": {"name": {"question": "Question", "task": "Task"}.get(t.type, "Bug")},
                "project": {"key": spec.jira_key, "name": f"{spec.name} Support"},
                "priority": {"name": JIRA_PRIORITY[spec.jira_priority_style][t.priority]},
                "status": {"name": status},
                "resolution": {"name": "Done"} if t.resolved_at else None,
                "created": iso_jira(t.created_at),
                "updated": iso_jira(t.updated_at),
                "resolutiondate": iso_jira(t.resolved_at) if t.resolved_at else None,
                "labels": sorted({f"region:{t.region}", *t.tags}),
                "components": [{"name": t.component}],
                "versions": [{"name": t.version}],
                "reporter": _jira_user(t.requester),
                "assignee": _jira_user(t.assignee) if t.assignee else None,
                "comment": {"comments": comments, "maxResults": len(comments), "total": len(comments),
                            "startAt": 0},
            },
            "_sort": number,
        })
    for i in issues:
        i.pop("_sort")
    return {"expand": "names,schema", "startAt": 0, "maxResults": max(50, len(issues)), "total": len(issues),
            "issues": issues}
