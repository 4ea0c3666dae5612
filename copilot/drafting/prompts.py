"""Prompt and template files under ``copilot/prompts/<kind>/``, each carrying a version.

The first line of every file names its version: ``{# version: X #}`` in Jinja files,
``<!-- version: X -->`` in plain Markdown. The version travels with every draft
(``Draft.prompt_version``) so a reviewer can tell which wording produced it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

__all__ = ["PROMPTS_DIR", "cite", "clean_text", "jinja_env", "load_text", "raw", "render", "version_of"]

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
_VERSION = re.compile(r"^\s*(?:\{#|<!--)\s*version:\s*(?P<v>[^\s#>-][^\s]*)\s*(?:#\}|-->)\s*$")
_MARKER_LIKE = re.compile(r"\[(\s*sources?\s*:)", re.IGNORECASE)


class _Raw(str):
    """Template output that must not be cleaned (citation markers the template itself writes)."""


def raw(text: str) -> _Raw:
    """Mark ``text`` to be placed into a template as is (multi-line prompt blocks)."""
    return _Raw(text)


def clean_text(value: Any) -> str:
    """Make a record's text safe to place inside one Markdown line.

    Newlines and runs of whitespace collapse to one space (so source text can never start a
    heading or a list item), and ``[source:``-like text in a record becomes ``(source:``, so
    only the template decides what is cited.
    """
    text = " ".join(str(value).split())
    return _MARKER_LIKE.sub(r"(\1", text)


def cite(*groups: Any) -> _Raw:
    """`` [source: A, B]`` for the given source ids (lists or strings), or ``""`` for none."""
    ids: list[str] = []
    for group in groups:
        if not group:
            continue
        for sid in [group] if isinstance(group, str) else group:
            if sid and sid not in ids:
                ids.append(str(sid))
    return _Raw(f" [source: {', '.join(ids)}]" if ids else "")


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, _Raw):
        return value
    return clean_text(value)


@lru_cache(maxsize=1)
def jinja_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PROMPTS_DIR)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.globals["cite"] = cite
    env.filters["cite"] = cite
    return env


def load_text(kind: str, name: str) -> tuple[str, str]:
    """``(text without its version line, version)`` of ``prompts/<kind>/<name>``."""
    path = PROMPTS_DIR / kind / name
    text = path.read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    return rest, version_of(first, path)


def version_of(first_line: str, path: Path | str = "") -> str:
    match = _VERSION.match(first_line)
    if not match:
        raise ValueError(f"{path}: the first line must carry the version, e.g. '{{# version: X #}}'")
    return match.group("v")


def render(kind: str, name: str, /, **context: Any) -> tuple[str, str]:
    """Render the Jinja file ``prompts/<kind>/<name>``; returns ``(text, version)``."""
    path = PROMPTS_DIR / kind / name
    with path.open(encoding="utf-8") as fh:
        version = version_of(fh.readline(), path)
    text = jinja_env().get_template(f"{kind}/{name}").render(**context)
    return text, version
