"""The side-loaded Zendesk ticket export (tickets, users, organizations, comments) per organisation."""

from __future__ import annotations

from typing import Any

from copilot.synth.ids import IdCounter, resolve_refs, stable_int
from copilot.synth.people import team
from copilot.synth.specs import AccountSpec, Person, TicketSpec
from copilot.synth.timestamps import iso_z

__all__ = ["zendesk_document"]


def _zendesk_user_id(p: Person) -> int:
    return stable_int("zendesk-user:" + p.email, 11)


def zendesk_document(spec: AccountSpec, tickets: list[TicketSpec], key_map: dict[str, str],
                     comment_ids: IdCounter | None = None) -> dict[str, Any]:
    """The side-loaded Zendesk export for one organisation."""
    prio = {"P1": "urgent", "P2": "high", "P3": "normal", "P4": "low"}
    status = {"new": "new", "open": "open", "pending": "pending", "on_hold": "hold", "solved": "solved",
              "closed": "closed"}
    users: dict[int, dict[str, Any]] = {}
    comment_ids = comment_ids or IdCounter(18_200_000_000)

    def uid(p: Person) -> int:
        i = _zendesk_user_id(p)
        role = "end-user" if not p.is_agent else ("admin" if p in team().support_leads else "agent")
        users[i] = {"id": i, "name": p.name, "email": p.email, "role": role,
                    "organization_id": spec.zendesk_org_id if not p.is_agent else None}
        return i

    out, comments = [], {}
    for t in sorted(tickets, key=lambda t: int(t.native_id)):
        version_tag = f"v{t.version}" if spec.zendesk_version_tag == "v" else f"version:{t.version}"
        tags = sorted({f"component:{t.component}", version_tag, f"region:{t.region}", *t.tags})
        via = "web" if t.priority in ("P3", "P4") else ("email" if len(t.comments) % 2 else "web")
        out.append({
            "id": int(t.native_id),
            "url": f"https://parcelstream.zendesk.example/api/v2/tickets/{t.native_id}.json",
            "subject": resolve_refs(t.subject, key_map),
            "description": resolve_refs(t.description, key_map),
            "priority": prio[t.priority],
            "status": status[t.status],
            "type": t.type,
            "tags": tags,
            "organization_id": spec.zendesk_org_id,
            "requester_id": uid(t.requester),
            "submitter_id": uid(t.requester),
            "assignee_id": uid(t.assignee) if t.assignee else None,
            "created_at": iso_z(t.created_at),
            "updated_at": iso_z(t.updated_at),
            "via": {"channel": via},
            "custom_fields": [{"id": 360004817231, "value": spec.tier}],
        })
        thread = []
        for c in sorted(t.comments, key=lambda c: c.created_at):
            cid = comment_ids.next(7)
            thread.append({"id": cid, "type": "Comment", "author_id": uid(c.author),
                           "body": resolve_refs(c.body, key_map), "public": c.public,
                           "created_at": iso_z(c.created_at)})
        comments[t.native_id] = thread
    return {
        "tickets": out,
        "users": [users[k] for k in sorted(users)],
        "organizations": [{"id": spec.zendesk_org_id, "name": spec.name, "domain_names": [spec.domain]}],
        "comments": comments,
    }
