"""The one registry of sensitive-data recognizers (presidio's shape: one small module per kind).

Everything that must keep a secret out of somewhere uses these, through
``copilot.records.secrets.find_secrets`` / ``redact`` and ``copilot.records.redaction``: the
secrets guardrail, the redaction before text goes to an LLM, ``ask`` answers, citation
snippets, stored drafts, exports, the console and the text stored in the search index.

Order matters: a character belongs to at most one hit, and earlier recognizers win, so
specific credential formats come before generic ones, and credentials before hosts and contacts.
"""

from __future__ import annotations

from copilot.records.recognizers import (
    assigned_secret,
    auth_header,
    aws_key,
    azure_key,
    card_number,
    connection_string,
    email,
    gcp_key,
    github_token,
    gitlab_token,
    internal_host,
    ip_address,
    jwt,
    openai_key,
    password,
    phone,
    private_key,
    slack_token,
    stripe_key,
)
from copilot.records.recognizers.base import CATEGORIES, Recognizer

__all__ = ["CATEGORIES", "MODULES", "RECOGNIZERS", "Recognizer"]

MODULES = (
    private_key, stripe_key, openai_key, aws_key, gcp_key, azure_key, github_token, gitlab_token, slack_token,
    jwt, auth_header, connection_string, assigned_secret, password, card_number,
    internal_host, ip_address, email, phone,
)
"""In the order their recognizers are tried."""

RECOGNIZERS: tuple[Recognizer, ...] = tuple(r for module in MODULES for r in module.RECOGNIZERS)
