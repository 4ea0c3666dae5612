"""Secrets and personal data in text: credentials, card numbers, internal hosts/IPs, contacts.

The patterns are data (``SECRET_PATTERNS``); ``find_secrets`` returns every hit with its
span, and ``redact`` replaces them, so the LLM backend can strip text before it leaves the
machine with exactly the rules the guardrail enforces.

Categories:
- ``credential`` — API keys, tokens, JWTs, passwords, private keys, card numbers, connection
  strings with a password: never in any draft.
- ``internal_host`` — internal hostnames and IP addresses: never in a customer-facing draft.
- ``contact`` — personal e-mail addresses and phone numbers: allowed in internal briefs only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["SECRET_PATTERNS", "ROLE_MAILBOXES", "SecretHit", "SecretPattern", "find_secrets", "luhn_ok", "redact"]


@dataclass(frozen=True, slots=True)
class SecretHit:
    kind: str
    category: str  # credential | internal_host | contact
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class SecretPattern:
    kind: str
    category: str
    regex: re.Pattern[str]
    valid: Callable[[str], bool] | None = None
    group: str | int = 0  # the part of the match that is the secret
    hints: tuple[str, ...] = ()  # lower-case substrings one of which must occur (a fast pre-filter)
    prefilter: re.Pattern[str] | None = None  # a cheap pattern that must match somewhere first


def luhn_ok(number: str) -> bool:
    """The Luhn checksum over the digits of ``number``."""
    digits = [int(c) for c in number if c.isdigit()]
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    if not luhn_ok(digits):
        return False
    # issuer prefixes: Visa, Mastercard, Amex, Discover, JCB, Diners
    return bool(re.match(r"4|5[1-5]|2[2-7]|3[47]|6011|65|64[4-9]|35|30[0-5]|36|38", digits))


_PRIVATE_IP = re.compile(
    r"^(?:10\.|127\.|169\.254\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)"
)


def _ip(raw: str) -> bool:
    parts = raw.split("/", 1)[0].split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts)


ROLE_MAILBOXES = frozenset(
    {
        "support",
        "help",
        "helpdesk",
        "noreply",
        "no-reply",
        "status",
        "success",
        "security",
        "incidents",
        "billing",
        "info",
        "contact",
        "tam",
        "customer-success",
    }
)
"""Shared mailboxes (``support@…``) that are not personal data."""


def _personal_email(raw: str) -> bool:
    return raw.split("@", 1)[0].lower() not in ROLE_MAILBOXES


SECRET_PATTERNS: list[SecretPattern] = [
    SecretPattern(
        "private_key",
        "credential",
        re.compile(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
            r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)"
        ),
        hints=("private key",),
    ),
    SecretPattern(
        "api_key",
        "credential",
        re.compile(r"\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}\b"),
        hints=("_live_", "_test_"),
    ),
    SecretPattern("api_key", "credential", re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}"), hints=("sk-",)),
    SecretPattern("api_key", "credential", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), hints=("akia", "asia")),
    SecretPattern("api_key", "credential", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), hints=("aiza",)),
    SecretPattern(
        "token",
        "credential",
        re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}"),
        hints=("gh", "github_pat_"),
    ),
    SecretPattern("token", "credential", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), hints=("xox",)),
    SecretPattern("token", "credential", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"), hints=("glpat-",)),
    SecretPattern(
        "jwt",
        "credential",
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
        hints=("eyj",),
    ),
    SecretPattern(
        "token",
        "credential",
        re.compile(r"(?i)\bbearer\s+(?P<s>[A-Za-z0-9._~+/-]{15,}[A-Za-z0-9_~+/-]=*)"),
        group="s",
        hints=("bearer",),
    ),
    SecretPattern(
        "api_key",
        "credential",
        re.compile(
            r"(?i)\b(?:aws_secret_access_key|api[_-]?key|apikey|api[_-]?secret|client[_-]?secret|secret[_-]?key"
            r"|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|secret)\b[\"']?\s*(?:[=:]|\bis\b)\s*[\"']?"
            r"(?P<s>[A-Za-z0-9._~+/=-]{11,}[A-Za-z0-9_~+/=-])"
        ),
        group="s",
        hints=("key", "token", "secret"),
    ),
    SecretPattern(
        "password",
        "credential",
        re.compile(r"(?i)\b(?:password|passwd|passphrase|pwd)\b[\"']?\s*[=:]\s*[\"']?(?P<s>[^\s\"',;]{4,})"),
        group="s",
        hints=("pass", "pwd"),
    ),
    SecretPattern(
        "password",
        "credential",
        re.compile(r"(?i)\b(?:password|passwd|passphrase)\s+(?:is|was|set to)\s+[\"']?(?P<s>[^\s\"',;]{4,})"),
        group="s",
        valid=lambda raw: bool(re.search(r"[\d!@#$%^&*_+=?]", raw)),
        hints=("pass",),
    ),
    SecretPattern(
        "connection_string",
        "credential",
        re.compile(r"\b[a-z][a-z0-9+.-]{1,20}://[^\s:/@]+:(?P<s>[^\s@/]+)@[^\s]+"),
        group="s",
        hints=("://",),
    ),
    SecretPattern(
        "card_number",
        "credential",
        re.compile(r"(?<![\d.-])(?:\d[ -]?){12,18}\d(?![\d-])"),
        valid=_card,
        prefilter=re.compile(r"\d(?:[ -]?\d){12}"),
    ),
    SecretPattern(
        "internal_host",
        "internal_host",
        re.compile(
            r"(?i)(?<![\w@.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*"
            r"\.(?:internal|local|corp|lan|intra|cluster\.local|svc|localdomain)(?![\w-])"
        ),
        hints=(".internal", ".local", ".corp", ".lan", ".intra", ".svc"),
    ),
    SecretPattern(
        "internal_host",
        "internal_host",
        re.compile(
            r"(?i)\b(?:ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}"
            r"|[a-z0-9]+(?:-[a-z0-9]+)*-(?:prod|prd|stg|staging)(?:-[a-z0-9]+)*-?\d+)\b"
        ),
        hints=("ip-", "-prod", "-prd", "-stg", "-staging"),
    ),
    SecretPattern(
        "ip_address",
        "internal_host",
        re.compile(r"\d(?<![\w.]\d)\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?:/\d{1,2})?(?![\w]|\.\d)"),
        valid=_ip,
        hints=(".",),
    ),
    SecretPattern(
        "email",
        "contact",
        re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"),
        valid=_personal_email,
        hints=("@",),
    ),
    SecretPattern(
        "phone",
        "contact",
        re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])\d{3,4}[ .-]\d{3,4}(?![\w-])"),
        prefilter=re.compile(r"\d{3}[ .-]\d{3,4}(?![\w-])"),
    ),
]
"""Checked in order; a character belongs to at most one hit (credentials win)."""


def find_secrets(text: str) -> list[SecretHit]:
    """Every secret or personal-data hit in ``text``, sorted by position."""
    taken = bytearray(len(text))
    hits: list[SecretHit] = []
    lower = text.lower()
    for pattern in SECRET_PATTERNS:
        if pattern.hints and not any(h in lower for h in pattern.hints):
            continue
        if pattern.prefilter is not None and pattern.prefilter.search(text) is None:
            continue
        for match in pattern.regex.finditer(text):
            a, b = match.span(pattern.group)
            if a < 0 or b <= a or any(taken[a:b]):
                continue
            raw = text[a:b]
            if pattern.valid is not None and not pattern.valid(raw):
                continue
            if pattern.kind == "phone" and _looks_like_date_or_time(raw):
                continue
            taken[a:b] = b"\x01" * (b - a)
            kind = "private_ip" if pattern.kind == "ip_address" and _PRIVATE_IP.match(raw) else pattern.kind
            hits.append(SecretHit(kind, pattern.category, a, b, raw))
    hits.sort(key=lambda h: h.start)
    return hits


def _looks_like_date_or_time(raw: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}.*|.*\d{2}:\d{2}.*", raw))


def redact(text: str, categories: frozenset[str] = frozenset({"credential", "internal_host", "contact"})) -> str:
    """``text`` with each hit of ``categories`` replaced by ``[REDACTED <kind>]``."""
    out, pos = [], 0
    for hit in find_secrets(text):
        if hit.category not in categories:
            continue
        out.append(text[pos : hit.start])
        out.append(f"[REDACTED {hit.kind}]")
        pos = hit.end
    out.append(text[pos:])
    return "".join(out)
