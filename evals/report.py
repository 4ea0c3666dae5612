"""The eval report: ``<DIR>/<suite>.json`` (everything, per case) and ``<DIR>/<suite>.md`` (for people),
and the change of every metric against an earlier report (``--baseline FILE``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from copilot.errors import InvalidInput
from evals.runner import EvalResult

__all__ = ["baseline_diff", "load_baseline", "render_markdown", "write_report"]

GROUPS = ("retrieval", "drafts", "review", "adversarial", "guardrails", "isolation", "latency")


def load_baseline(path: Path) -> dict[str, Any]:
    """An earlier report (or ``eval --json`` output): ``{"file", "suite", "metrics"}``."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"baseline {path} is not JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("metrics"), dict):
        raise InvalidInput(f"baseline {path} has no \"metrics\" object; pass a report JSON that `eval --report DIR` "
                           "wrote, or saved `eval --json` output")
    metrics = {k: (float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None)
               for k, v in doc["metrics"].items()}
    return {"file": str(path), "suite": doc.get("suite"), "started_at": doc.get("started_at"), "metrics": metrics}


def baseline_diff(result: EvalResult, baseline: dict[str, Any]) -> dict[str, Any]:
    """``{"file", "suite", "changed": {metric: {"baseline", "current", "delta"}}, "added", "removed", "unchanged"}``."""
    before: dict[str, float | None] = baseline["metrics"]
    now = result.metrics
    changed: dict[str, dict[str, float | None]] = {}
    unchanged = 0
    for name in sorted(set(before) & set(now)):
        a, b = before[name], now[name]
        if a is None or b is None:
            if a != b:
                changed[name] = {"baseline": a, "current": b, "delta": None}
            else:
                unchanged += 1
        elif abs(b - a) > 1e-9:
            changed[name] = {"baseline": a, "current": b, "delta": round(b - a, 6)}
        else:
            unchanged += 1
    return {"file": baseline["file"], "suite": baseline.get("suite"), "started_at": baseline.get("started_at"),
            "changed": changed, "added": sorted(set(now) - set(before)), "removed": sorted(set(before) - set(now)),
            "unchanged": unchanged}


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.3f}"


def _delta(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:+.3f}" if not float(value).is_integer() else f"{int(value):+d}"


def render_markdown(result: EvalResult, diff: dict[str, Any] | None = None) -> str:
    """The report for people: verdict, failures, metrics by group (with the baseline change), misses."""
    lines = [f"# Eval report: {result.suite} suite", ""]
    verdict = "PASSED" if result.passed else f"FAILED ({len(result.failures)} threshold(s) missed)"
    lines += [f"**{verdict}** · backend `{result.backend}` · {result.started_at:%Y-%m-%d %H:%M:%SZ} · "
              f"{result.seconds:.0f} s ({', '.join(f'{k} {v:.0f} s' for k, v in result.part_seconds.items())})"
              + (" · partial run: " + ", ".join(result.parts) if result.partial else ""), ""]
    if result.failures:
        lines += ["## Missed thresholds", ""]
        lines += [f"- `{f.metric}`: {f.message}" for f in result.failures]
        lines.append("")
    if result.notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in result.notes] + [""]
    if diff is not None:
        lines += [f"Baseline: `{diff['file']}` ({diff.get('started_at') or 'undated'}): {len(diff['changed'])} changed, "
                  f"{len(diff['added'])} new, {len(diff['removed'])} gone, {diff['unchanged']} unchanged.", ""]
    failed = {f.metric for f in result.failures}
    changed = diff["changed"] if diff else {}
    lines += ["## Metrics", "", "A ❌ marks a missed threshold."
              + (" Baseline and change are against the baseline report." if diff else ""), ""]
    for group in GROUPS + ("other",):
        names = [n for n in result.metrics if (n.split(".", 1)[0] == group) or
                 (group == "other" and n.split(".", 1)[0] not in GROUPS)]
        if not names:
            continue
        head = ["metric", "value", "threshold"] + (["baseline", "change"] if diff else [])
        lines += [f"### {group}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for name in names:
            mark = " ❌" if name in failed else ""
            row = [f"`{name}`{mark}", _fmt(result.metrics[name]), result.thresholds.get(name, "")]
            if diff:
                c = changed.get(name)
                if c:
                    row += [_fmt(c["baseline"]), _delta(c["delta"])]
                else:
                    row += ["new" if name in diff["added"] else _fmt(result.metrics[name]), ""]
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    if diff and diff["removed"]:
        lines += ["Metrics in the baseline but not measured now: " + ", ".join(f"`{n}`" for n in diff["removed"]), ""]
    lines += _misses(result)
    lines += ["## Datasets and prompts", ""]
    lines += [f"- `{name}`: {v['cases']} cases, sha256 `{v['sha256']}`" for name, v in result.datasets.items()]
    lines += [f"- prompt `{kind}`: `{version}`" for kind, version in sorted(result.prompt_versions.items())]
    lines.append("")
    return "\n".join(lines)


def _misses(result: EvalResult) -> list[str]:
    out: list[str] = []
    retrieval = [r for r in result.details.get("retrieval", []) if not r["hit_at_5"]]
    if retrieval:
        out += ["## Retrieval misses (no relevant source in the top 5)", "", "| case | type | query | relevant | top 5 |",
                "|---|---|---|---|---|"]
        for r in retrieval:
            out.append(f"| {r['id']} | {r['type']} | {_cell(r['query'])} | {_cell(', '.join(r['relevant']))} | "
                       f"{_cell(', '.join(r['ranked'][:5]))} |")
        out.append("")
    drafts = [r for r in result.details.get("drafts", []) if r.get("error") or r.get("missing_facts") or r.get("forbidden")
              or r.get("missing_sections") or not r.get("passed_guardrails") or r.get("leaks")]
    if drafts:
        out += ["## Draft cases with problems", "", "| case | kind | recall | missing facts | forbidden present | "
                "sections missing | blocking checks | leaks |", "|---|---|---|---|---|---|---|---|"]
        for r in drafts:
            if r.get("error"):
                out.append(f"| {r['id']} | {r['kind']} | 0 | error: {_cell(r['error'])} | | | | |")
                continue
            out.append(f"| {r['id']} | {r['kind']} | {r['fact_recall']:.2f} | {_cell(', '.join(r['missing_facts']))} | "
                       f"{_cell(', '.join(r['forbidden']))} | {', '.join(r['missing_sections'])} | "
                       f"{', '.join(r.get('blocking', []))} | {_cell(', '.join(r['leaks']))} |")
        out.append("")
    adversarial = [r for r in result.details.get("adversarial", []) if not r["passed"]]
    if adversarial:
        out += ["## Adversarial cases that failed", ""]
        out += [f"- `{r['id']}` ({r['type']}, {r['action']})"
                + (f" — KNOWN ISSUE, not counted in the pass rate: {r['known_issue']}" if r.get("known_issue") else "")
                + f": expected {r['expect']} — {'; '.join(r['problems'])}" for r in adversarial]
        out.append("")
    bench = result.details.get("guardrails") or {}
    for key, title in (("misses", "Guardrail benchmark: seeded defects not blocked"),
                       ("false_positives", "Guardrail benchmark: clean drafts blocked (false positives)"),
                       ("crashed", "Guardrail benchmark: crashed checks")):
        items = bench.get(key) or []
        if items:
            out += [f"## {title} ({len(items)})", ""]
            for item in items[:15]:
                out.append(f"- {_cell(_bench_item(item), 300)}")
            if len(items) > 15:
                out.append(f"- … {len(items) - 15} more in the JSON report")
            out.append("")
    leaks = result.details.get("isolation", [])
    if leaks:
        out += ["## Isolation leaks under bait searches", ""]
        out += [f"- `{r['account_id']}` asked {r['query']!r}: got {', '.join(r['foreign'])}" for r in leaks]
        out.append("")
    return out


def _bench_item(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    findings = item.get("findings")
    if isinstance(findings, list):
        checks = sorted({f.get("check", "?") for f in findings if isinstance(f, dict)})
        first = next((f.get("message", "") for f in findings if isinstance(f, dict)), "")
        return f"`{item.get('case', '?')}`: {', '.join(checks)} — {first}"
    return ", ".join(f"{k}: {v}" for k, v in item.items() if not isinstance(v, list | dict))


def _cell(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_report(result: EvalResult, directory: Path, diff: dict[str, Any] | None = None) -> dict[str, str]:
    """Write ``<suite>.json`` and ``<suite>.md`` into ``directory``; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"{result.suite}.json"
    md_path = directory / f"{result.suite}.md"
    doc = result.model_dump(mode="json")
    if diff is not None:
        doc["baseline"] = diff
    json_path.write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(result, diff), encoding="utf-8")
    return {"json": str(json_path), "markdown": str(md_path)}
