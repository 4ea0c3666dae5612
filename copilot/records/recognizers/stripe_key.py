"""Stripe secret, publishable and restricted keys (``sk_live_…``, ``rk_test_…``) and webhook
signing secrets (``whsec_…``)."""

from __future__ import annotations

import re

from copilot.records.recognizers.base import Recognizer

__all__ = ["RECOGNIZERS"]

RECOGNIZERS = (
    Recognizer("api_key", "credential", re.compile(r"\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}\b"),
               hints=("_live_", "_test_")),
    Recognizer("webhook_secret", "credential", re.compile(r"\bwhsec_[A-Za-z0-9+/=_-]{16,}"), hints=("whsec_",)),
)
