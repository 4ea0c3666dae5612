"""Token budgets with tiktoken ``cl100k_base``: make prompt + context + answer fit the window.

``cl100k_base`` is the one encoding available offline here (llama-index-core ships its
cache); it is an estimate for non-OpenAI models, so a safety margin is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["TokenBudget", "count_tokens", "fit_passages", "shrink_markdown"]


@lru_cache(maxsize=1)
def _encoder():
    try:
        import tiktoken

        return tiktoken.get_encoding("cl100k_base").encode
    except Exception:
        from llama_index.core.utils import get_tokenizer

        return get_tokenizer()


def count_tokens(text: str) -> int:
    """Tokens in ``text`` under ``cl100k_base``."""
    return len(_encoder()(text)) if text else 0


class TokenBudget(BaseModel):
    """``context_window`` = prompt + completion; ``margin`` absorbs tokenizer differences and
    chat-template overhead of other model families."""

    model_config = ConfigDict(extra="forbid")

    context_window: int = 8192
    max_output_tokens: int = 1024
    margin: int = 96

    @property
    def prompt_tokens(self) -> int:
        """Tokens left for the whole prompt (system + user)."""
        return max(0, self.context_window - self.max_output_tokens - self.margin)


def fit_passages(passages: Sequence[Any], budget_tokens: int, render: Any = None) -> list[Any]:
    """The best-ranked passages whose rendered text fits ``budget_tokens``.

    Passages come ranked best first; the lowest-ranked are dropped first (a passage that does
    not fit is skipped, and so is everything ranked below it, to keep the order honest).

    Args:
        render: ``passage -> str`` as it will appear in the prompt (default: ``passage.text``).
    """
    kept, used = [], 0
    for passage in passages:
        text = render(passage) if render else passage.text
        cost = count_tokens(text)
        if used + cost > budget_tokens:
            break
        kept.append(passage)
        used += cost
    return kept


_BULLET = re.compile(r"^\s*(?:[-*]|\d{1,3}[.)])\s+")


def shrink_markdown(markdown: str, budget_tokens: int) -> str:
    """Drop bullet lines, last first from the longest section, until ``markdown`` fits.

    Headings and the first line of every section stay, so the structure survives.
    """
    lines = markdown.splitlines()
    if count_tokens(markdown) <= budget_tokens:
        return markdown
    while count_tokens("\n".join(lines)) > budget_tokens:
        sections: list[list[int]] = []
        for i, line in enumerate(lines):
            if line.startswith("#"):
                sections.append([])
            elif sections and _BULLET.match(line):
                sections[-1].append(i)
        droppable = [s[1:] for s in sections if len(s) > 1]
        if not any(droppable):
            break
        victim = max(droppable, key=len)[-1]
        del lines[victim]
    return "\n".join(lines)
