"""Citations: every cited source exists and belongs to the draft's account (or is shared)."""

from __future__ import annotations

from copilot.drafting.draft import Finding
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, warn
from copilot.guardrails.registry import register

__all__ = ["check", "resolve"]

NAME = "citations"


def resolve(ctx: CheckContext, source_id: str) -> tuple[str, str | None]:
    """``("own"|"shared"|"foreign"|"unknown", the foreign account id)`` for a cited source."""
    acc = ctx.account
    base = source_id.split("@", 1)[0]
    for candidate in (source_id, base, base.split("#", 1)[0]):
        if candidate in acc.shared_sources or acc.record_of(candidate) in acc.runbooks:
            return "shared", None
        if candidate in acc.source_record or acc.record_of(candidate) is not None:
            return "own", None
        foreign = acc.foreign_owner(candidate)
        if foreign is not None:
            return "foreign", foreign
    return "unknown", None


@register(NAME, description="cited sources exist and belong to the draft's account (or are shared runbooks)")
def check(ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for marker in ctx.markers:
        if not marker.ids:
            out.append(
                warn(
                    NAME, "An empty [source: ] marker; name the record the line comes from.", (marker.start, marker.end)
                )
            )
        for sid, span in zip(marker.ids, marker.id_spans, strict=True):
            status, foreign = resolve(ctx, sid)
            if status == "foreign":
                out.append(
                    block(
                        NAME,
                        f"The cited source '{sid}' belongs to another account ({foreign}); a draft "
                        f"for {ctx.plan.account.name} may only cite its own records and shared runbooks.",
                        span,
                        sid,
                    )
                )
            elif status == "unknown":
                out.append(
                    block(
                        NAME,
                        f"The cited source '{sid}' is not a record or passage in this home; "
                        "correct the id or remove the citation.",
                        span,
                        sid,
                    )
                )
    marker_ids = {i for m in ctx.markers for i in m.ids}
    for citation in ctx.draft.citations:
        if citation.account_id not in (None, ctx.draft.account_id):
            out.append(
                block(
                    NAME,
                    f"The citation list names '{citation.source_id}' from account {citation.account_id}; remove it.",
                    None,
                    citation.source_id,
                )
            )
            continue
        if citation.source_id in marker_ids:
            continue
        status, foreign = resolve(ctx, citation.source_id)
        if status == "foreign":
            out.append(
                block(
                    NAME,
                    f"The citation list names '{citation.source_id}', a record of account {foreign}; remove it.",
                    None,
                    citation.source_id,
                )
            )
        elif status == "unknown":
            out.append(
                warn(
                    NAME,
                    f"The citation list names '{citation.source_id}', which is not in this home.",
                    None,
                    citation.source_id,
                )
            )
    if not ctx.markers and ctx.sections:
        out.append(
            warn(
                NAME,
                "The draft cites no sources; add [source: ID] markers so a reader can verify it.",
                (ctx.sections[0].heading_start, ctx.sections[0].body_start),
            )
        )
    return out
