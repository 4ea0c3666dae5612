"""Raw HTML: markup that an e-mail client, a status page or a browser would execute or load.

``<script>``, ``<img>``, ``<iframe>`` and the like, any tag with an event handler (``onerror=``),
``javascript:``/``data:`` URLs and HTML comments (text the reader never sees) block in
customer-facing drafts and warn in internal ones. Drafts are Markdown: a sentence never needs
a tag, and a tag copied from a ticket is the customer's (or an attacker's) text, not ours.
"""

from __future__ import annotations

import re

from copilot.drafting.draft import Finding
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block, warn
from copilot.guardrails.registry import register

__all__ = ["ACTIVE_TAGS", "check", "find_raw_html"]

NAME = "raw_html"

ACTIVE_TAGS = frozenset({
    "script", "img", "image", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "style",
    "link", "meta", "base", "form", "input", "button", "textarea", "select", "video", "audio", "source", "track",
    "picture", "portal", "template", "a", "body", "html", "head", "marquee", "details", "dialog",
})
"""Tags that run code, load a remote resource, submit data or change how the rest is shown."""

_TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>?")
_HANDLER = re.compile(r"(?i)\bon[a-z]{3,}\s*=")
_URL_SCHEME = re.compile(r"(?i)(?:\]\(\s*|\b(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?)"
                         r"(?P<u>(?:javascript|vbscript|data)\s*:(?:[^\s()\"'>]|\([^\s()]*\))*)")
_COMMENT = re.compile(r"<!--[\s\S]*?(?:-->|\Z)")


def find_raw_html(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, what)`` for each piece of active HTML in ``text``."""
    hits: list[tuple[int, int, str]] = []
    for match in _TAG.finditer(text):
        name = match.group(1).lower()
        if name in ACTIVE_TAGS:
            hits.append((match.start(), match.end(), f"an HTML <{name}> tag"))
        elif _HANDLER.search(match.group(0)):
            hits.append((match.start(), match.end(), f"an event handler in an HTML <{name}> tag"))
    for match in _URL_SCHEME.finditer(text):
        scheme = match.group("u").split(":", 1)[0].strip().lower()
        hits.append((match.start("u"), match.end("u"), f"a {scheme}: URL"))
    for match in _COMMENT.finditer(text):
        hits.append((match.start(), match.end(), "an HTML comment (hidden from the reader)"))
    return sorted(set(hits))


@register(NAME, description="no raw HTML (scripts, images, iframes, event handlers, javascript: URLs) in drafts")
def check(ctx: CheckContext) -> list[Finding]:
    make = block if ctx.customer_facing else warn
    return [
        make(NAME, f"The draft contains {what}: {ctx.markdown[a:b][:60]!r}. Drafts are plain Markdown; "
                   "remove the markup (quote it in words if the customer needs to know about it).", (a, b), what)
        for a, b, what in find_raw_html(ctx.markdown)
    ]
