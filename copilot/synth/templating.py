"""Filling the story data's ``str.format`` templates, strictly."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["fill", "slugify"]


class _Strict(dict):
    def __missing__(self, key: str) -> str:  # pragma: no cover - authoring error
        raise KeyError(f"template placeholder {{{key}}} has no value")


def fill(template: str, ctx: dict[str, Any]) -> str:
    """``template.format(**ctx)``, failing with the placeholder's name when ``ctx`` lacks it."""
    return template.format_map(_Strict(ctx))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
