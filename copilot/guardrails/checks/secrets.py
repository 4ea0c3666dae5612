"""Secrets and personal data, by audience.

- credentials (API keys, tokens, passwords, private keys, card numbers): block in every draft —
  reference the ticket instead, and have the customer rotate what they pasted;
- internal hostnames and IP addresses: block in customer-facing drafts;
- personal contact details (e-mail, phone): block in customer-facing drafts, allowed in
  internal briefs.
"""

from __future__ import annotations

from copilot.drafting.draft import Finding
from copilot.guardrails.context import CheckContext
from copilot.guardrails.findings import block
from copilot.guardrails.registry import register
from copilot.records.secrets import find_secrets

__all__ = ["check", "preview"]

NAME = "secrets"

_LABEL = {
    "api_key": "an API key",
    "token": "an access token",
    "jwt": "a JWT token",
    "password": "a password",
    "private_key": "a private key",
    "card_number": "a payment card number",
    "connection_string": "a password in a connection string",
    "basic_auth": "HTTP Basic credentials",
    "webhook_secret": "a webhook signing secret",
    "internal_host": "an internal hostname",
    "private_ip": "a private IP address",
    "ip_address": "an IP address",
    "email": "a personal e-mail address",
    "phone": "a phone number",
}


def preview(secret: str) -> str:
    """A safe hint of a secret for messages: never the secret itself."""
    secret = secret.strip()
    if len(secret) <= 8:
        return "•" * len(secret)
    return f"{secret[:4]}…({len(secret)} chars)"


@register(NAME, description="no credentials anywhere; no internal hosts/IPs or personal contacts in customer drafts")
def check(ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for hit in find_secrets(ctx.markdown):
        label = _LABEL.get(hit.kind, hit.kind)
        if hit.category == "credential":
            out.append(
                block(
                    NAME,
                    f"The draft contains {label} ({preview(hit.text)}). Remove it: secrets never go "
                    "into a draft, even an internal one; point to the ticket instead.",
                    (hit.start, hit.end),
                    hit.kind,
                )
            )
        elif ctx.customer_facing and hit.category == "internal_host":
            out.append(
                block(
                    NAME,
                    f"'{hit.text}' is {label}; internal hosts and addresses never go to the customer.",
                    (hit.start, hit.end),
                    hit.kind,
                )
            )
        elif ctx.customer_facing and hit.category == "contact":
            out.append(
                block(
                    NAME,
                    f"'{hit.text}' is {label}; personal contact details belong in internal briefs "
                    "only. Use the person's name or a shared mailbox.",
                    (hit.start, hit.end),
                    hit.kind,
                )
            )
    return out
