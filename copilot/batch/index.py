"""The batch index (``index.md`` and ``index.html``): every account, riskiest first.

Risk order: accounts whose QBR failed first (there is nothing to review yet), then health
red > yellow > green (unknown counts as red), then drafts the guardrails blocked, then fewer
days to renewal, then the account id.
"""

from __future__ import annotations

import html
from datetime import date, datetime, timezone
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from copilot.batch.manifest import AccountManifest
from copilot.records.files import write_text_atomic

__all__ = ["IndexRow", "index_rows", "render_html", "render_markdown", "risk_key", "write_index"]

HEALTH_RANK = {"red": 0, "yellow": 1, "green": 2}
CHART_LABELS = {"chart_severity": "severity", "chart_sla": "SLA", "chart_mttr": "MTTR"}


class IndexRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: str
    name: str
    status: str  # ok | failed
    health: str | None
    renewal_date: date | None
    days_to_renewal: int | None
    guardrails: str  # "passed" | "blocked (2)" | "unchecked" | "—"
    blocked: bool
    review: str  # "R12 in_review" | ""
    files: dict[str, str]
    error: str | None = None


def risk_key(row: IndexRow) -> tuple:
    return (row.status == "ok", HEALTH_RANK.get(row.health or "", 0), not row.blocked,
            row.days_to_renewal if row.days_to_renewal is not None else 10**9, row.account_id)


def index_rows(manifests: list[AccountManifest], as_of: datetime) -> list[IndexRow]:
    """One row per manifest, riskiest first; days to renewal count from ``as_of``'s UTC date."""
    today = as_of.astimezone(timezone.utc).date()
    rows = []
    for m in manifests:
        g = m.guardrails
        if m.status != "ok" or g is None:
            guard = "—" if m.status != "ok" else "unchecked"
        elif g.status == "blocked":
            guard = f"blocked ({g.blocking})"
        else:
            guard = g.status + (f" ({g.warnings} warning{'s' if g.warnings != 1 else ''})" if g.warnings else "")
        rows.append(IndexRow(
            account_id=m.account_id, name=m.account_name, status=m.status, health=m.health,
            renewal_date=m.renewal_date, days_to_renewal=(m.renewal_date - today).days if m.renewal_date else None,
            guardrails=guard, blocked=bool(g and g.status == "blocked"),
            review=f"{m.review_id} {m.review_status}" if m.review_id else "",
            files=m.files if m.status == "ok" else {}, error=m.error))
    return sorted(rows, key=risk_key)


def _links(row: IndexRow) -> list[tuple[str, str]]:
    """``(label, relative path)`` of an account's outputs, in reading order."""
    labels = {"draft_md": "draft.md", "draft_json": "draft.json", "guardrails": "guardrails", **CHART_LABELS}
    return [(label, row.files[key]) for key, label in labels.items() if key in row.files]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_link(label: str, target: str) -> str:
    return f"[{label}](<{target}>)"


def render_markdown(rows: list[IndexRow], *, quarter: str, as_of: datetime, backend: str) -> str:
    failed = [r for r in rows if r.status != "ok"]
    blocked = [r for r in rows if r.blocked]
    lines = [
        f"# QBR batch {quarter}",
        "",
        f"{len(rows)} accounts · {len(rows) - len(failed)} drafted · {len(failed)} failed · "
        f"{len(blocked)} blocked by guardrails · backend {backend} · days to renewal as of "
        f"{as_of.astimezone(timezone.utc).date().isoformat()}",
        "",
        "Riskiest first: failed, then health red > yellow > green, then guardrail-blocked, then days to renewal. "
        "Every draft was queued for review (its current status is shown); the batch never approves or sends anything.",
        "",
        "| # | Account | Health | Renewal | Days to renewal | Guardrails | Review | Outputs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, r in enumerate(rows, 1):
        if r.status == "ok":
            outputs = " · ".join(_md_link(label, target) for label, target in _links(r))
        else:
            outputs = f"**failed:** {_md_cell(r.error or 'unknown error')}"
        lines.append(
            f"| {n} | {_md_cell(r.name)} (`{r.account_id}`) | {r.health or '?'} | "
            f"{r.renewal_date.isoformat() if r.renewal_date else '?'} | "
            f"{r.days_to_renewal if r.days_to_renewal is not None else '?'} | {r.guardrails} | {r.review or '—'} | "
            f"{outputs} |")
    if failed:
        lines += ["", "## Failed accounts", ""]
        lines += [f"- `{r.account_id}`: {_md_cell(r.error or 'unknown error')}" for r in failed]
    return "\n".join(lines) + "\n"


_CSS = """body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#f5f5f5}.red{color:#b2182b;font-weight:600}.yellow{color:#b07d00;font-weight:600}
.green{color:#1a7f37}.failed{background:#fdecea}.blocked{color:#b2182b}"""


def render_html(rows: list[IndexRow], *, quarter: str, as_of: datetime, backend: str) -> str:
    e = html.escape
    failed = sum(r.status != "ok" for r in rows)
    out = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>QBR batch {e(quarter)}</title>",
           f"<style>{_CSS}</style></head><body>", f"<h1>QBR batch {e(quarter)}</h1>",
           f"<p>{len(rows)} accounts · {len(rows) - failed} drafted · {failed} failed · backend {e(backend)} · "
           f"days to renewal as of {as_of.astimezone(timezone.utc).date().isoformat()}. Riskiest first. "
           "Every draft was queued for review (its current status is shown); the batch never approves or sends "
           "anything.</p>",
           "<table><thead><tr><th>#</th><th>Account</th><th>Health</th><th>Renewal</th><th>Days to renewal</th>"
           "<th>Guardrails</th><th>Review</th><th>Outputs</th></tr></thead><tbody>"]
    for n, r in enumerate(rows, 1):
        if r.status == "ok":
            outputs = " · ".join(f"<a href='{e(t, quote=True)}'>{e(label)}</a>" for label, t in _links(r))
        else:
            outputs = f"<strong>failed:</strong> {e(r.error or 'unknown error')}"
        out.append(
            f"<tr class='{'failed' if r.status != 'ok' else ''}'><td>{n}</td>"
            f"<td>{e(r.name)} <code>{e(r.account_id)}</code></td>"
            f"<td class='{e(r.health or '')}'>{e(r.health or '?')}</td>"
            f"<td>{r.renewal_date.isoformat() if r.renewal_date else '?'}</td>"
            f"<td>{r.days_to_renewal if r.days_to_renewal is not None else '?'}</td>"
            f"<td class='{'blocked' if r.blocked else ''}'>{e(r.guardrails)}</td><td>{e(r.review or '—')}</td>"
            f"<td>{outputs}</td></tr>")
    out.append("</tbody></table></body></html>")
    return "\n".join(out) + "\n"


def write_index(out_dir: Path, manifests: list[AccountManifest], *, quarter: str, as_of: datetime,
                backend: str) -> list[IndexRow]:
    """Write ``index.md`` and ``index.html`` into ``out_dir``; returns the rows, riskiest first."""
    rows = index_rows(manifests, as_of)
    write_text_atomic(Path(out_dir) / "index.md", render_markdown(rows, quarter=quarter, as_of=as_of, backend=backend))
    write_text_atomic(Path(out_dir) / "index.html", render_html(rows, quarter=quarter, as_of=as_of, backend=backend))
    return rows
