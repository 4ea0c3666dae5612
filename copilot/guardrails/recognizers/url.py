"""URLs (``https://status.acme.example/x``), compared lower-case up to the path; a trailing
sentence mark is not part of the URL."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import Scan

__all__ = ["KIND", "normalize_url", "recognize"]

KIND = "url"
URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+")
TRAILING = ".,;:!?)'\""


def normalize_url(raw: str) -> str:
    match = re.match(r"(?i)(https?)://([^/?#]+)(.*)", raw)
    if not match:
        return raw.lower()
    return f"{match.group(1).lower()}://{match.group(2).lower()}{match.group(3)}".rstrip("/")


def recognize(scan: Scan) -> None:
    if "://" not in scan.text:
        return
    for match in URL.finditer(scan.text):
        raw = match.group(0).rstrip(TRAILING)
        scan.add(KIND, match.start(), match.start() + len(raw), normalize_url(raw))
