"""What the checks read: the public names of the context pieces, importable from one place.

:mod:`copilot.guardrails.account_data` (one account's records and derived lookups),
:mod:`copilot.guardrails.check_context` (``CheckContext``: one draft plus its account data) and
:mod:`copilot.guardrails.context_cache` (building contexts; account data cached per store version).
"""

from __future__ import annotations

from copilot.guardrails.account_data import PLAN_SECTION_FIELDS, AccountData
from copilot.guardrails.check_context import CheckContext
from copilot.guardrails.context_cache import (
    ContextCache,
    account_data,
    build_context,
    clear_cache,
    context_from_records,
    portfolio,
)
from copilot.guardrails.others import OtherAccount

__all__ = [
    "PLAN_SECTION_FIELDS",
    "AccountData",
    "CheckContext",
    "ContextCache",
    "OtherAccount",
    "account_data",
    "build_context",
    "clear_cache",
    "context_from_records",
    "portfolio",
]
