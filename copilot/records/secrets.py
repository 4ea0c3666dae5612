"""Finding and masking sensitive text with the one recognizer registry (``copilot.records.recognizers``).

``find_secrets`` returns every hit with its span and category; ``redact`` replaces them with
``[redacted secret]`` / ``[contact withheld]`` / ``[internal host]`` markers. Text that is
already a redaction marker (``[redacted secret]``, ``[REDACTED api_key]``, ``[SECRET_1]``) is
never a hit itself, so redacted text can be checked and redacted again.

Categories:
- ``credential`` — API keys, tokens, JWTs, passwords, private keys, card numbers, connection
  strings with a password, Basic auth headers, webhook signing secrets: never in any draft.
- ``internal_host`` — internal hostnames and IP addresses: never in a customer-facing draft.
- ``contact`` — personal e-mail addresses and phone numbers: allowed in internal briefs only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from copilot.records.recognizers import RECOGNIZERS, Recognizer
from copilot.records.recognizers.card_number import luhn_ok
from copilot.records.recognizers.email import ROLE_MAILBOXES
from copilot.records.recognizers.ip_address import PRIVATE_IP

__all__ = ["ALL_CATEGORIES", "CREDENTIALS", "MARKER", "ROLE_MAILBOXES", "SECRET_PATTERNS", "SecretHit",
           "SecretPattern", "find_secrets", "luhn_ok", "mask", "redact"]

SecretPattern = Recognizer
SECRET_PATTERNS = RECOGNIZERS
CREDENTIALS = frozenset({"credential"})
ALL_CATEGORIES = frozenset({"credential", "internal_host", "contact"})

MARKER = re.compile(
    r"(?i)\[(?:redacted|removed)(?: [a-z_ ]{1,30})?\]|\[(?:SECRET|EMAIL|PHONE|HOST|PERSON)_\d+\]"
    r"|\[contact withheld\]|\[internal host\]"
)
"""What redaction leaves behind: never itself a hit."""

_MASK = {"credential": "[redacted secret]", "contact": "[contact withheld]", "internal_host": "[internal host]"}


@dataclass(frozen=True, slots=True)
class SecretHit:
    kind: str
    category: str  # credential | internal_host | contact
    start: int
    end: int
    text: str


def find_secrets(text: str) -> list[SecretHit]:
    """Every secret or personal-data hit in ``text``, sorted by position."""
    if not text:
        return []
    taken = bytearray(len(text))
    for marker in MARKER.finditer(text):
        taken[marker.start():marker.end()] = b"\x01" * (marker.end() - marker.start())
    hits: list[SecretHit] = []
    lower = text.lower()
    for recognizer in RECOGNIZERS:
        if recognizer.hints and not any(h in lower for h in recognizer.hints):
            continue
        if recognizer.prefilter is not None and recognizer.prefilter.search(text) is None:
            continue
        for match in recognizer.regex.finditer(text):
            a, b = match.span(recognizer.group)
            if a < 0 or b <= a or any(taken[a:b]):
                continue
            raw = text[a:b]
            if recognizer.valid is not None and not recognizer.valid(raw):
                continue
            taken[a:b] = b"\x01" * (b - a)
            kind = "private_ip" if recognizer.kind == "ip_address" and PRIVATE_IP.match(raw) else recognizer.kind
            hits.append(SecretHit(kind, recognizer.category, a, b, raw))
    hits.sort(key=lambda h: h.start)
    return hits


def redact(text: str, categories: frozenset[str] = ALL_CATEGORIES) -> str:
    """``text`` with each hit of ``categories`` replaced by ``[REDACTED <kind>]``."""
    return _replace(text, categories, lambda hit: f"[REDACTED {hit.kind}]")


def mask(text: str, categories: frozenset[str] = CREDENTIALS) -> str:
    """``text`` with each hit of ``categories`` replaced by a reader-friendly marker
    (``[redacted secret]``, ``[contact withheld]``, ``[internal host]``)."""
    return _replace(text, categories, lambda hit: _MASK[hit.category])


def _replace(text: str, categories: frozenset[str], marker) -> str:
    if not text:
        return text
    out, pos = [], 0
    for hit in find_secrets(text):
        if hit.category not in categories:
            continue
        out.append(text[pos: hit.start])
        out.append(marker(hit))
        pos = hit.end
    out.append(text[pos:])
    return "".join(out)
