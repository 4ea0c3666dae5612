"""Ticket fields every ticket source derives the same way.

- environment (product version, component, region) from tags such as ``v5.2.1``,
  ``version:5.2.1``, ``component:label-api``, ``region:eu-west-1``;
- ``first_response_at``: the first public comment by an agent, when the source has no
  explicit field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from copilot.records.models import Comment

__all__ = ["Environment", "environment_from_tags", "first_response_at", "normalize_version"]

_BARE_VERSION = re.compile(r"^v(\d+(?:\.\d+)+[0-9A-Za-z.+\-]*)$", re.IGNORECASE)


class Environment(BaseModel):
    """Environment details a ticket's tags can carry."""

    model_config = ConfigDict(extra="forbid")

    product_version: str = ""
    component: str = ""
    region: str = ""


def normalize_version(raw: str) -> str:
    """``v5.2.1`` / ``V5.2.1`` / ``5.2.1`` -> ``5.2.1``; other text is kept as stripped."""
    text = raw.strip()
    if re.match(r"^[vV]\d", text):
        return text[1:]
    return text


def environment_from_tags(tags: Iterable[str]) -> Environment:
    """Read version/component/region from tags; the first tag of each kind wins."""
    found: dict[str, str] = {}
    for tag in tags:
        text = tag.strip()
        bare = _BARE_VERSION.match(text)
        if bare:
            found.setdefault("product_version", bare.group(1))
            continue
        prefix, sep, value = text.partition(":")
        if not sep or not value.strip():
            continue
        prefix = prefix.strip().lower()
        if prefix == "version":
            found.setdefault("product_version", normalize_version(value))
        elif prefix in ("component", "region"):
            found.setdefault(prefix, value.strip())
    return Environment(**found)


def first_response_at(comments: Iterable[Comment]) -> datetime | None:
    """The ``created_at`` of the earliest public comment whose author is an agent."""
    times = [c.created_at for c in comments if c.public and c.author_role == "agent"]
    return min(times) if times else None
