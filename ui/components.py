"""Rendering helpers for the console: no business logic, only how things look.

- ``guard``: turns any error into a message a TAM understands, with what to do (never a traceback);
- ``highlight_markdown``: a draft's markdown with each guardrail finding marked at its span;
- ``findings_panel``, ``scores_panel``, ``citations``: the panels around a draft or an answer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

import streamlit as st

from copilot import Conflict, CopilotError, NotFound, Refused, defuse, inert

__all__ = [
    "callback",
    "citations",
    "describe_error",
    "findings_panel",
    "guard",
    "highlight_markdown",
    "pending_error",
    "render_draft",
    "scores_panel",
    "show_error",
    "when",
]

log = logging.getLogger("copilot.ui")

SEVERITY_STYLE = {
    "block": "background:#ffd7d5;border-bottom:2px solid #c62828;padding:0 2px;border-radius:2px",
    "warn": "background:#fff1c2;border-bottom:2px solid #b7860b;padding:0 2px;border-radius:2px",
    "overridden": "background:#e6e6e6;border-bottom:2px dashed #777;padding:0 2px;border-radius:2px",
}
SEVERITY_LABEL = {"block": ":material/block: blocks approval", "warn": ":material/warning: warning",
                  "overridden": ":material/task_alt: overridden"}


# --- errors --------------------------------------------------------------------------------


def describe_error(action: str, exc: BaseException) -> tuple[str, str]:
    """``(level, message)`` for an error raised while doing ``action``; level is error|warning.

    ``CopilotError`` messages are already written for people (what was wrong, what to do); any
    other error is logged with its traceback on the server and described briefly.
    """
    if isinstance(exc, NotFound):
        return "error", (f"Could not {action}: {exc}. Pick another item, or ingest the account's data on the "
                         "Ingest page.")
    if isinstance(exc, Conflict):
        return "warning", (f"Could not {action}: {exc} In the console, open it on the Review queue page "
                           "(it shows the current version).")
    if isinstance(exc, Refused):
        return "warning", f"Could not {action}: {exc}"
    if isinstance(exc, CopilotError):
        return "error", f"Could not {action}: {exc}"
    log.error("console: %s failed", action, exc_info=exc)
    return "error", (f"Could not {action}: something unexpected went wrong ({type(exc).__name__}: "
                     f"{_short(str(exc))}). Try again; if it keeps failing, note the time "
                     f"({when(datetime.now(timezone.utc))}) and send the console's log to the Copilot admin.")


def show_error(level: str, message: str) -> None:
    if level == "warning":
        st.warning(message, icon=":material/front_hand:")
    else:
        st.error(message, icon=":material/warning:")


@contextmanager
def guard(action: str) -> Iterator[None]:
    """Show an error raised while doing ``action`` as a message with what to do next (never a traceback)."""
    try:
        yield
    except Exception as exc:
        show_error(*describe_error(action, exc))


def callback(slot: str, action: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run ``fn`` as a widget callback; a failure is kept for ``pending_error(slot)`` to show."""
    errors = st.session_state.setdefault("errors", {})
    errors.pop(slot, None)
    try:
        fn(*args, **kwargs)
    except Exception as exc:
        errors[slot] = describe_error(action, exc)


def pending_error(slot: str) -> None:
    """Show (once) the error a callback for ``slot`` left behind."""
    found = st.session_state.get("errors", {}).pop(slot, None)
    if found:
        show_error(*found)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def when(moment: datetime | None) -> str:
    """``2026-04-12 09:05 UTC`` (or an em dash when unknown)."""
    if moment is None:
        return "—"
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


# --- highlighted findings --------------------------------------------------------------------

_LINE_MARKER = re.compile(r"^(\s*(?:#{1,6}\s+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+|>\s*|\|\s*)*)")


def _escape(text: str) -> str:
    # record text inside a draft: keep its Markdown structure, but nothing links, loads or runs
    return defuse(text)


def _finding_value(f: Any, name: str, default: Any = None) -> Any:
    return f.get(name, default) if isinstance(f, dict) else getattr(f, name, default)


def _style_of(findings: Sequence[Any]) -> str:
    live = [f for f in findings if not _finding_value(f, "overridden", False)]
    if not live:
        return "overridden"
    return "block" if any(_finding_value(f, "severity") == "block" for f in live) else "warn"


def highlight_markdown(markdown: str, findings: Sequence[Any]) -> str:
    """``markdown`` HTML-escaped, with ``<mark title=message>`` around each finding's span.

    Spans are character offsets into ``markdown``. A span is cut at line breaks and table-cell
    bars, and never covers a line's markdown marker (``## ``, ``- ``, ``1. ``, ``| ``), so the
    result still renders as the same markdown. Each marked piece ends with the numbers of its
    findings (``[1]``), matching ``findings_panel``.
    """
    size = len(markdown)
    spans: list[tuple[int, int, int]] = []  # start, end, finding number
    for n, f in enumerate(findings, 1):
        span = _finding_value(f, "span")
        if not span:
            continue
        start, end = max(0, int(span[0])), min(size, int(span[1]))
        if end > start:
            spans.append((start, end, n))
    if not spans:
        return _escape(markdown)

    # characters that may not be inside a mark: newlines, table bars, and line markers
    barrier = [False] * size
    offset = 0
    for line in markdown.splitlines(keepends=True):
        marker = _LINE_MARKER.match(line)
        for i in range(offset, offset + (marker.end() if marker else 0)):
            barrier[i] = True
        is_table = line.lstrip().startswith("|")
        for i, ch in enumerate(line, offset):
            if ch in "\r\n" or (is_table and ch == "|"):
                barrier[i] = True
        offset += len(line)

    covering: list[list[int]] = [[] for _ in range(size)]
    for start, end, n in spans:
        for i in range(start, end):
            if not barrier[i]:
                covering[i].append(n)

    out: list[str] = []
    i = 0
    while i < size:
        numbers = covering[i]
        j = i + 1
        while j < size and covering[j] == numbers:
            j += 1
        piece = markdown[i:j]
        if numbers:
            marked = [findings[n - 1] for n in numbers]
            title = " | ".join(f"[{n}] {_finding_value(f, 'check')}: {_finding_value(f, 'message')}"
                               for n, f in zip(numbers, marked, strict=True))
            label = "".join(f"[{n}]" for n in numbers)
            stripped = piece.rstrip()
            trail = piece[len(stripped):]
            tip = defuse(title).replace('"', "&quot;")
            out.append(f'<mark style="{SEVERITY_STYLE[_style_of(marked)]}" title="{tip}">'
                       f"{_escape(stripped)}<sup>{label}</sup></mark>{_escape(trail)}")
        else:
            out.append(_escape(piece))
        i = j
    return "".join(out)


def findings_panel(findings: Sequence[Any], markdown: str = "", *, key: str = "") -> None:
    """Each finding with its number, severity, check, message and the text at its span."""
    st.subheader("Guardrail findings")
    if not findings:
        st.success("No findings: every check passed.", icon=":material/task_alt:")
        return
    blocking = sum(1 for f in findings if _finding_value(f, "severity") == "block"
                   and not _finding_value(f, "overridden", False))
    warnings = sum(1 for f in findings if _finding_value(f, "severity") == "warn")
    if blocking:
        st.warning(f"{blocking} blocking finding(s): fix the text and re-check, or a reviewer overrides each "
                 f"with a written reason. {warnings} warning(s).", icon=":material/block:")
    else:
        st.info(f"No blocking findings. {warnings} warning(s) to read before sending.", icon=":material/info:")
    for n, f in enumerate(findings, 1):
        severity = "overridden" if _finding_value(f, "overridden", False) else _finding_value(f, "severity", "warn")
        span = _finding_value(f, "span")
        quoted = markdown[span[0]:span[1]] if span and markdown else ""
        with st.container(border=True, key=f"finding-{key}-{n}" if key else None):
            st.markdown(f"**[{n}] {SEVERITY_LABEL.get(severity, severity)}** · `{_finding_value(f, 'check')}`")
            st.markdown(_escape(str(_finding_value(f, "message", ""))))
            if quoted:
                st.caption(f"at: “{inert(_short(quoted, 200))}”")
            elif span is None:
                st.caption("applies to the whole draft")


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _number(value: Any) -> str:
    """Fractions (0..1 floats) as percentages, other numbers as they are."""
    if isinstance(value, float):
        return f"{value:.0%}" if 0.0 <= value <= 1.0 else f"{value:g}"
    return str(value)


def scores_panel(scores: dict[str, Any]) -> None:
    """Rubric scores: numbers as metrics; a rubric (``score`` + ``criteria``) as a checklist."""
    if not scores:
        return
    st.subheader("Scores")
    flat = {k: v for k, v in scores.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    rubrics = {k: v for k, v in scores.items() if isinstance(v, dict) and "score" in v}
    if flat or rubrics:
        cols = st.columns(min(4, len(flat) + len(rubrics)))
        for n, (name, value) in enumerate(list(rubrics.items()) + list(flat.items())):
            shown = value["score"] if name in rubrics else value
            cols[n % len(cols)].metric(_label(name), _number(shown), help=value.get("reason") if name in rubrics
                                       else None)
    for name, rubric in rubrics.items():
        criteria = rubric.get("criteria") or {}
        if isinstance(criteria, dict) and criteria:
            st.caption(f"{_label(name)}: {rubric.get('reason', '')}")
            st.table([{"criterion": _label(k), "met": "yes" if _value(v) else "no", "why": _reason(v)}
                      for k, v in criteria.items()])
    for name, value in scores.items():
        if name in flat or name in rubrics:
            continue
        with st.expander(_label(name)):
            if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
                st.dataframe([{"measure": _label(k), "value": _number(_value(v)), "why": _reason(v)}
                              for k, v in value.items()], hide_index=True, width="stretch")
            else:
                st.json(value)


def _value(item: Any) -> Any:
    return item.get("value") if isinstance(item, dict) else item


def _reason(item: Any) -> str:
    return str(item.get("reason", "")) if isinstance(item, dict) else ""


_HEADING_LINE = re.compile(r"^(#{1,4})(?=[ \t])", re.MULTILINE)


def render_draft(markdown: str, findings: Sequence[Any], *, key: str = "") -> None:
    """A draft's text with findings highlighted at their spans (headings two levels smaller)."""
    with st.container(border=True, key=f"draft-text-{key}" if key else None):
        html_text = _HEADING_LINE.sub(lambda m: m.group(1) + "##", highlight_markdown(markdown, findings))
        st.markdown(html_text, unsafe_allow_html=True)


# --- citations ---------------------------------------------------------------------------------


def citations(items: Sequence[Any], passages: dict[str, str] | None = None, *, key: str = "",
              allowed_hosts: Sequence[str] = ()) -> None:
    """Numbered citations, each an expander with the source passage (or its snippet), as inert text."""
    passages = passages or {}
    for n, c in enumerate(items, 1):
        source_id = _finding_value(c, "source_id")
        kind = _finding_value(c, "kind", "") or "source"
        scope = "shared runbook" if _finding_value(c, "account_id") is None else _finding_value(c, "account_id")
        with st.expander(f"\\[{n}\\] {inert(source_id)} · {inert(kind)} · {inert(scope)}"):
            st.markdown(inert(passages.get(source_id) or _finding_value(c, "snippet", "") or "(no text)",
                              allowed_hosts))
