"""Atlassian Document Format (Jira Cloud rich text) to plain text.

Paragraphs and headings become lines separated by a blank line, list items become
``- item`` / ``1. item``, hard breaks newlines, mentions ``@Name``, cards their URL,
tables one ``a | b`` line per row. Unknown nodes contribute the text of their children.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["adf_to_text", "rich_text"]

_BLOCKS = {"paragraph", "heading", "codeBlock", "blockquote", "rule", "panel", "mediaSingle",
           "mediaGroup", "table", "bulletList", "orderedList", "expand", "nestedExpand",
           "decisionList", "taskList"}


def _type(node: Mapping[str, Any]) -> str:
    kind = node.get("type")
    return kind if isinstance(kind, str) else ""


def _attrs(node: Mapping[str, Any]) -> Mapping[str, Any]:
    attrs = node.get("attrs")
    return attrs if isinstance(attrs, Mapping) else {}


def _inline(node: Mapping[str, Any]) -> str:
    kind = _type(node)
    attrs = _attrs(node)
    if kind == "text":
        return str(node.get("text", ""))
    if kind == "hardBreak":
        return "\n"
    if kind == "mention":
        name = str(attrs.get("text") or attrs.get("id") or "")
        return name if name.startswith("@") else f"@{name}"
    if kind == "emoji":
        return str(attrs.get("text") or attrs.get("shortName") or "")
    if kind in ("inlineCard", "blockCard", "embedCard"):
        return str(attrs.get("url", ""))
    if kind == "date":
        return str(attrs.get("timestamp", ""))
    if kind == "status":
        return str(attrs.get("text", ""))
    return _children_inline(node)


def _children_inline(node: Mapping[str, Any]) -> str:
    return "".join(_inline(c) if _type(c) not in _BLOCKS else _block(c)
                   for c in _content(node))


def _content(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    content = node.get("content")
    return [c for c in content if isinstance(c, Mapping)] if isinstance(content, list) else []


def _list(node: Mapping[str, Any], ordered: bool) -> str:
    order = _attrs(node).get("order", 1)
    start = order if isinstance(order, int) and not isinstance(order, bool) else 1
    lines = []
    for i, item in enumerate(_content(node)):
        marker = f"{start + i}." if ordered else "-"
        body = "\n".join(_block(c) for c in _content(item)).strip()
        lines.append(f"{marker} " + body.replace("\n", "\n  "))
    return "\n".join(lines)


def _block(node: Mapping[str, Any]) -> str:
    kind = _type(node)
    if kind == "bulletList":
        return _list(node, ordered=False)
    if kind == "orderedList":
        return _list(node, ordered=True)
    if kind == "rule":
        return "---"
    if kind == "table":
        rows = []
        for row in _content(node):
            cells = [" ".join(_block(b) for b in _content(cell)).strip() for cell in _content(row)]
            rows.append(" | ".join(cells))
        return "\n".join(rows)
    if kind == "blockquote":
        inner = "\n\n".join(_block(c) for c in _content(node))
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if kind in ("paragraph", "heading", "codeBlock"):
        return _children_inline(node)
    if kind in _BLOCKS or kind == "doc" or kind == "listItem":
        return "\n\n".join(t for t in (_block(c) for c in _content(node)) if t.strip())
    return _inline(node)


def adf_to_text(doc: Mapping[str, Any]) -> str:
    """Plain text of an ADF document (``{"type": "doc", "content": [...]}``)."""
    text = _block(doc)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def rich_text(value: object) -> str:
    """Jira text fields: plain strings as they are, ADF documents flattened, ``None`` empty."""
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return adf_to_text(value)
    return str(value).strip()
