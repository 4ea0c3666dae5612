"""Rubric scores for a draft (deterministic), in the shape pydantic-evals reports results:
each criterion a ``{"value", "reason"}`` pair.

- ``completeness`` (every kind): the share of the facts this kind must state that the
  Markdown states (milestone times, durations, metric lines, the ticket id and opened time …);
- ``grounding_precision`` (every kind): grounded fact atoms / all fact atoms;
- ``escalation_quality`` (briefs): 1–5 over six criteria — impact stated, evidence with IDs and
  timestamps, reproduction steps, hypotheses marked, next steps, clarity.

``scores["details"]`` says what was missing and which atoms were ungrounded.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from copilot.drafting.draft import Draft, GuardrailReport
from copilot.drafting.markdown import SOURCE_MARKER
from copilot.guardrails.checks.grounding import analyse
from copilot.guardrails.context import CheckContext, build_context
from copilot.guardrails.markdown import bullets
from copilot.records.source import RecordSource

__all__ = [
    "ESCALATION_CRITERIA",
    "completeness",
    "escalation_quality",
    "grounding_precision",
    "score_context",
    "score_draft",
]

ESCALATION_CRITERIA = (
    "impact_stated",
    "evidence_ids_timestamps",
    "reproduction_steps",
    "hypotheses_marked",
    "next_steps",
    "clarity",
)

_MARKED = re.compile(r"^\W*(?:unconfirmed|confirmed|hypothesis|suspected|possible|likely|ruled out)\b", re.IGNORECASE)
_NO_HYPOTHESIS = re.compile(
    r"\b(?:no hypothes\w+|cause (?:is )?unknown|treat the cause as unknown|not yet known)\b", re.IGNORECASE
)
_WORDS = re.compile(r"[A-Za-z0-9][\w'’-]*")
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


def _result(value: Any, reason: str) -> dict[str, Any]:
    return {"value": value, "reason": reason}


def _atoms_in(ctx: CheckContext, name: str, kinds: set[str] | None = None) -> list:
    sec = ctx.section(name)
    if sec is None:
        return []
    return [a for a in ctx.atoms if sec.body_start <= a.start < sec.end and (kinds is None or a.kind in kinds)]


def _body(ctx: CheckContext, name: str) -> str:
    sec = ctx.section(name)
    return SOURCE_MARKER.sub("", sec.text).strip() if sec else ""


# --- escalation quality ---------------------------------------------------------------------


def escalation_quality(ctx: CheckContext, report: GuardrailReport | None = None) -> dict[str, Any]:
    """``{"score": 1..5, "criteria": {name: {"value": bool, "reason": str}}}``."""
    md = ctx.markdown
    criteria: dict[str, dict[str, Any]] = {}

    impact = _body(ctx, "impact")
    when = _atoms_in(ctx, "impact", {"datetime", "date"})
    how_many = _atoms_in(ctx, "impact", {"number", "percent"}) or re.search(r"\bnot state|\bunknown\b", impact, re.I)
    ok = bool(impact) and bool(when) and bool(how_many)
    criteria["impact_stated"] = _result(
        ok,
        "who, how many and since when are stated"
        if ok
        else "the impact section should say who is affected, how many, and since when",
    )

    ids = _atoms_in(ctx, "evidence", {"id"})
    times = _atoms_in(ctx, "evidence", {"datetime", "time"})
    ok = bool(ids) and bool(times)
    criteria["evidence_ids_timestamps"] = _result(
        ok,
        f"{len(ids)} IDs and {len(times)} timestamps in the evidence"
        if ok
        else "the evidence needs request/record IDs and timestamps",
    )

    sec = ctx.section("reproduction")
    steps = bullets(md, sec.body_start, sec.end) if sec else []
    ok = len(steps) >= 2
    criteria["reproduction_steps"] = _result(
        ok, f"{len(steps)} reproduction steps" if ok else "at least two concrete reproduction steps are needed"
    )

    sec = ctx.section("hypotheses")
    items = bullets(md, sec.body_start, sec.end) if sec else []
    unmarked = [b.text for b in items if not _MARKED.search(b.text)]
    ok = sec is not None and (bool(items) and not unmarked or not items and bool(_NO_HYPOTHESIS.search(sec.text)))
    criteria["hypotheses_marked"] = _result(
        ok,
        "every hypothesis is marked confirmed/unconfirmed"
        if ok
        else (
            f"{len(unmarked)} hypotheses are not marked 'Unconfirmed:'"
            if unmarked
            else "no hypotheses section, or it neither lists nor rules out any"
        ),
    )

    sec = ctx.section("next_steps")
    steps = bullets(md, sec.body_start, sec.end) if sec else []
    ok = len(steps) >= 1
    criteria["next_steps"] = _result(ok, f"{len(steps)} next steps" if ok else "no concrete next step is listed")

    summary = _body(ctx, "summary")
    words = _WORDS.findall(summary)
    sentences = [s for s in _SENTENCES.split(SOURCE_MARKER.sub("", ctx.masked)) if _WORDS.search(s)]
    longest = max((len(_WORDS.findall(s)) for s in sentences), default=0)
    blocking_tone = [
        f for f in (report.findings if report else []) if f.check in ("tone", "sections") and f.severity == "block"
    ]
    ok = 0 < len(words) <= 120 and longest <= 60 and not blocking_tone
    reason = (
        f"summary {len(words)} words, longest sentence {longest} words"
        if ok
        else "keep the summary under 120 words, sentences under 60 words, and every section filled"
    )
    criteria["clarity"] = _result(ok, reason)

    passed = sum(1 for c in criteria.values() if c["value"])
    score = 1 + round(4 * passed / len(criteria))
    return {"score": score, "criteria": criteria, "reason": f"{passed} of {len(criteria)} criteria met"}


# --- completeness ------------------------------------------------------------------------------


def _fact(facts: dict, *path: str) -> Any:
    value: Any = facts
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if isinstance(value, dict) and "value" in value and "source_ids" in value:
        value = value["value"]
    return value


def _required(ctx: CheckContext) -> list[tuple[str, str, Any]]:
    """``(label, kind, value)`` of what the draft must state; kind is time|id|text|duration."""
    req: list[tuple[str, str, Any]] = []
    f = ctx.facts
    if ctx.kind == "escalation_brief" and ctx.subject_ticket is not None:
        t = ctx.subject_ticket
        req += [("ticket id", "id", t.id), ("opened at", "time", t.created_at), ("priority", "text", t.priority)]
        if t.product_version:
            req.append(("version", "text", t.product_version))
        if t.region:
            req.append(("region", "text", t.region))
        for inc in ctx.related_incidents:
            req.append((f"related incident {inc.id}", "id", inc.id))
        for rb in f.get("runbooks") or []:
            if isinstance(rb, dict) and rb.get("id"):
                req.append((f"runbook {rb['id']}", "id", rb["id"]))
        comms = f.get("comms") or {}
        if isinstance(comms, dict) and comms.get("next_update_due_text"):
            req.append(("next update due", "text", comms["next_update_due_text"]))
    elif ctx.kind == "incident_update" and ctx.subject_incident is not None:
        inc = ctx.subject_incident
        req.append(("status", "text", _fact(f, "status") or _status_as_of(inc, ctx.as_of)))
        nxt = _fact(f, "next_update_text")
        if nxt:
            req.append(("next update time", "text", nxt))
        as_of = ctx.as_of
        for label, field in (
            ("detected at", "detected_at"),
            ("mitigated at", "mitigated_at"),
            ("resolved at", "resolved_at"),
        ):
            at = getattr(inc, field)
            if at is not None and (as_of is None or at <= as_of):
                req.append((label, "time", at))
        if inc.workaround:
            req.append(("workaround", "section", "workaround"))
        if inc.root_cause.status != "confirmed":
            req.append(("root cause not confirmed", "regex", r"not (?:yet )?confirmed|unconfirmed|under investigation"))
    elif ctx.kind == "pir_timeline" and ctx.subject_incident is not None:
        from copilot.guardrails.checks.timeline import MILESTONES, recomputed_durations

        inc = ctx.subject_incident
        for label, (_m, field) in MILESTONES.items():
            at = getattr(inc, field)
            if at is not None:
                req.append((f"{label} time", "time", at))
        for label, minutes in recomputed_durations(inc).items():
            req.append((label, "duration", minutes))
        for action in inc.corrective_actions:
            req.append((f"corrective action {action.id}", "id", action.id))
        if inc.root_cause.status == "confirmed":
            req.append(("root cause", "overlap", inc.root_cause.summary))
    elif ctx.kind == "qbr_narrative":
        from copilot.guardrails.checks.qbr import quarter_of_draft, recomputed_lines

        quarter = quarter_of_draft(ctx)
        if quarter:
            for label, value in recomputed_lines(ctx, quarter).items():
                if not value.startswith("no "):
                    req.append((f"metric {label}", "text", label))
        for v in f.get("value_delivered") or []:
            if isinstance(v, dict) and v.get("outcome"):
                req.append((f"outcome {v.get('id', '')}", "text", v["outcome"][:40]))
        for r in f.get("risks") or []:
            if isinstance(r, dict) and r.get("id"):
                req.append((f"risk {r['id']}", "id", r["id"]))
        for s in f.get("success_plan") or []:
            if isinstance(s, dict) and s.get("id"):
                req.append((f"success plan {s['id']}", "id", s["id"]))
        req.append(("renewal date", "date", ctx.plan.contract.renewal_date))
    return req


def _status_as_of(incident: Any, as_of: datetime | None) -> str:
    """The incident's status at ``as_of``: its last status event by then (else from its milestones)."""
    if as_of is None:
        return incident.status
    events = sorted((e for e in incident.events if e.kind == "status" and e.at <= as_of), key=lambda e: e.at)
    if events and getattr(events[-1], "status", ""):
        return events[-1].status
    if incident.resolved_at and incident.resolved_at <= as_of:
        return "resolved"
    if incident.mitigated_at and incident.mitigated_at <= as_of:
        return "monitoring"
    return "investigating"


def _present(ctx: CheckContext, kind: str, value: Any) -> bool:
    text = ctx.masked
    if kind == "time":
        minute = value.replace(second=0, microsecond=0) if isinstance(value, datetime) else value
        return any(
            (a.kind == "datetime" and a.value == minute)
            or (a.kind == "time" and a.value == (minute.hour, minute.minute))
            for a in ctx.atoms
        )
    if kind == "date":
        return any(
            (a.kind == "date" and a.value == value) or (a.kind == "datetime" and a.value.date() == value)
            for a in ctx.atoms
        )
    if kind == "id":
        return (
            any(a.kind == "id" and a.value.split("#", 1)[0] == str(value).upper() for a in ctx.atoms)
            or re.search(r"(?<![\w-])" + re.escape(str(value)) + r"(?![\w-])", text) is not None
        )
    if kind == "duration":
        return any(a.kind == "duration" and abs(a.value - value) <= 0.5 for a in ctx.atoms)
    if kind == "section":
        return bool(_body(ctx, value))
    if kind == "regex":
        return re.search(value, text, re.IGNORECASE) is not None
    if kind == "overlap":  # most content words of a long record text appear (paraphrase allowed)
        wanted = {w for w in re.findall(r"[a-z0-9][a-z0-9.-]{3,}", str(value).lower())}
        have = set(re.findall(r"[a-z0-9][a-z0-9.-]{3,}", text.lower()))
        return bool(wanted) and len(wanted & have) / len(wanted) >= 0.5
    return str(value).strip().lower() in " ".join(text.split()).lower()


def completeness(ctx: CheckContext) -> dict[str, Any]:
    """``{"value": share present, "present", "required", "missing": [labels]}``."""
    required = _required(ctx)
    missing = [label for label, kind, value in required if not _present(ctx, kind, value)]
    value = 1.0 if not required else round((len(required) - len(missing)) / len(required), 4)
    return {
        "value": value,
        "present": len(required) - len(missing),
        "required": len(required),
        "missing": missing,
        "reason": "every required fact is stated" if not missing else f"missing: {', '.join(missing[:6])}",
    }


def grounding_precision(ctx: CheckContext) -> dict[str, Any]:
    """``{"value": grounded / all atoms, "grounded", "atoms", "ungrounded": [text]}``."""
    result = analyse(ctx)
    bad = (
        [a.text.strip() for a in result.ungrounded]
        + [a.text.strip() for a, _ in result.uncited]
        + [m[0].text.strip() for m in result.mislabelled]
    )
    good = len(result.atoms) - len(bad)
    return {
        "value": round(result.precision, 4),
        "grounded": good,
        "atoms": len(result.atoms),
        "ungrounded": bad[:20],
        "reason": f"{good} of {len(result.atoms)} fact atoms grounded",
    }


def score_context(ctx: CheckContext, report: GuardrailReport | None = None) -> dict[str, Any]:
    """All scores for the draft in ``ctx`` (see the module docstring for the shape)."""
    comp = completeness(ctx)
    grounding = grounding_precision(ctx)
    scores: dict[str, Any] = {
        "completeness": comp["value"],
        "grounding_precision": grounding["value"],
        "details": {"completeness": comp, "grounding_precision": grounding},
    }
    if ctx.kind == "escalation_brief":
        scores["escalation_quality"] = escalation_quality(ctx, report)
    return scores


def score_draft(source: CheckContext | RecordSource, draft: Draft, report: GuardrailReport | None = None) -> dict[str, Any]:
    """Scores for ``draft``. ``source`` is a ``CheckContext`` or the records of the draft's home.

    ``report`` (the draft's guardrail report) feeds the clarity criterion; when omitted the
    draft's own ``guardrails`` are used.
    """
    ctx = source if isinstance(source, CheckContext) else build_context(source, draft)
    return score_context(ctx, report if report is not None else draft.guardrails)
