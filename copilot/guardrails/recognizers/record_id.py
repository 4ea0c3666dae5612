"""Record and reference ids: tickets (``ZD-4123-c9001``), incidents (``INC-2026-0412``,
``INC0012345``), runbooks named after files (``RB-check_status.gcp-mirror``), Jira-style keys,
error codes, request/trace ids and hex ids. Compared case-insensitively except the lower-case
slug forms (``plan:``, ``slack:``)."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import Scan

__all__ = ["ID_PATTERNS", "ID_PREFIX_STOPLIST", "KIND", "normalize_id", "recognize"]

KIND = "id"
ID_PATTERNS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"slack:(?<!\wslack:)[A-Za-z0-9#_.-]+:\d+\.\d+\b"), ("slack:",)),
    (re.compile(r"plan:(?<!\wplan:)[a-z0-9][a-z0-9-]*(?:#[a-z0-9-]+)?"), ("plan:",)),
    (re.compile(r"ZD-(?<!\wZD-)\d+(?:-c\d+)?(?:#[a-z0-9]+)?\b"), ("zd-",)),
    (re.compile(r"INC-(?<!\wINC-)\d{4}-\d{2,}\b"), ("inc-",)),
    (re.compile(r"INC(?<!\wINC)\d{5,}\b"), ("inc",)),
    # runbook ids come from file names: ``RB-check_status.gcp-mirror`` (a final ``.`` ends the sentence)
    (re.compile(r"RB-(?<!\wRB-)[A-Za-z0-9]+(?:[-_.]+[A-Za-z0-9]+)*(?:#[A-Za-z0-9-]+)?"), ("rb-",)),
    (re.compile(r"CVE-(?<!\wCVE-)\d{4}-\d{4,}\b"), ("cve-",)),
    (re.compile(r"(?P<prefix>[A-Z](?<!\w[A-Z])[A-Z0-9]{1,9})-\d+(?:-c\d+)?\b"), ("-",)),
    (re.compile(r"[A-Z](?<![\w-][A-Z])-\d{3,}\b"), ("-",)),  # error codes such as E-3507
    (
        re.compile(r"[rtcsjRTCSJ](?<!\w[rtcsjRTCSJ])(?i:equest|eq|race|xn|orr|pan|ob)[_-][A-Za-z0-9-]{6,}\b"),
        ("req", "trace", "txn", "corr", "span", "job"),
    ),
    (re.compile(r"[0-9a-f](?<![\w-][0-9a-f])[0-9a-f]{9,}(?![\w-])"), ()),
]
"""Id shapes, most specific first, each with lower-case pre-filter hints."""
_REQUEST_ID, _HEX_ID = ID_PATTERNS[-2][0], ID_PATTERNS[-1][0]

ID_PREFIX_STOPLIST = frozenset(
    "UTF SHA ISO COVID AES RSA MP TLS SSL HTTP HTTPS IPV RFC PCI SOC GDPR ARM GPT SEV TLSV IP ID WCAG IEEE "
    "ECMA PKCS X MD CRC NIST FIPS HIPAA LTE USB PCIE DDR ES PY EC TOP TIER PHASE STEP".split()
)
"""``PREFIX-123`` shapes that are standards and labels, not record keys."""

_HEX = re.compile(r"[0-9a-f]+")


def normalize_id(raw: str) -> str:
    """IDs compare case-insensitively, except the lower-case slug forms (``plan:``, ``slack:``)."""
    if raw.startswith(("slack:", "plan:")) or _HEX.fullmatch(raw):
        return raw
    return raw.upper()


def _plausible(pattern: re.Pattern[str], raw: str) -> bool:
    """A request id needs a digit; a hex id needs a digit and a letter."""
    if pattern is _REQUEST_ID:
        return any(c.isdigit() for c in raw)
    if pattern is _HEX_ID:
        return any(c.isdigit() for c in raw) and not raw.isdigit()
    return True


def recognize(scan: Scan) -> None:
    if not scan.has_digit:
        return
    for pattern, hints in ID_PATTERNS:
        if hints and not any(h in scan.lower for h in hints):
            continue
        for match in pattern.finditer(scan.text):
            raw = match.group(0)
            if "prefix" in pattern.groupindex and match.group("prefix") in ID_PREFIX_STOPLIST:
                continue
            if _plausible(pattern, raw):
                scan.claim(KIND, *match.span(), normalize_id(raw))
