"""Host names (``api.acme.example``, ``db-3.internal``), found from their last label leftwards,
and EC2-style ``ip-10-0-3-17`` hosts; compared lower-case."""

from __future__ import annotations

import re

from copilot.guardrails.recognizers.scan import Scan

__all__ = ["KIND", "recognize", "recognize_ip_host"]

KIND = "hostname"
TLDS = (
    "com|net|org|io|dev|app|cloud|co|ai|us|eu|uk|de|fr|nl|jp|au|ca|ch|se|no|in|"
    "internal|local|corp|lan|intra|example|test|svc|localdomain|invalid"
)
TLD_END = re.compile(rf"\.(?:{TLDS})(?![\w-]|\.[a-z0-9])")
"""A hostname's last label (matched on lower-cased text); the host is extended to the left."""
HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
IP_HOST = re.compile(r"\bip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}\b")


def recognize(scan: Scan) -> None:
    if "." not in scan.text:
        return
    text = scan.text
    for match in TLD_END.finditer(scan.lower):
        start = match.start()
        while start > 0 and text[start - 1] in HOST_CHARS:
            start -= 1
        while start < match.start() and text[start] in ".-":
            start += 1
        end = match.end()
        if start >= match.start() or (start > 0 and text[start - 1] in "@_"):
            continue
        host = text[start:end]
        if any(not label or label[0] == "-" or label[-1] == "-" for label in host.split(".")):
            continue
        scan.claim(KIND, start, end, host.lower())


def recognize_ip_host(scan: Scan) -> None:
    if scan.has_digit and "ip-" in scan.text:
        scan.simple(IP_HOST, KIND, value=lambda m: m.group(0).lower())
