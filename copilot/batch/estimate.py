"""Token and cost estimate for a batch with an LLM backend, printed before the run starts.

Tokens are counted with tiktoken ``cl100k_base`` (``copilot.drafting.budget``) over the exact
prompt each account would get *without* retrieved passages (instructions + the facts digest);
passages then fill at most the rest of the prompt budget, so the estimate gives both figures.
The answer is estimated as long as the digest (the model rewrites the digest into prose),
capped by the backend's ``max_output_tokens``.

Prices (USD per 1M tokens) come from ``$COPILOT_LLM_PRICE`` (``"IN,OUT"``) or a small table
of OpenAI list prices; a loopback server is free; anything else is reported as unknown.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from copilot.drafting.base import Backend
    from copilot.service import Copilot

__all__ = ["PRICES_PER_MTOK", "BatchEstimate", "estimate_batch", "price_for"]

PRICES_PER_MTOK: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
}
"""OpenAI list prices (input, output) in USD per 1M tokens, as published in 2025; check
https://openai.com/api/pricing/ or set ``COPILOT_LLM_PRICE="IN,OUT"`` for the current ones."""


class BatchEstimate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: str
    accounts: int
    encoding: str = "cl100k_base"
    prompt_tokens: int = 0  # instructions + facts digest, no passages
    prompt_tokens_max: int = 0  # passages filling each prompt's budget
    completion_tokens: int = 0
    completion_tokens_max: int = 0
    cost_usd: float | None = None
    cost_usd_max: float | None = None
    price_note: str = ""
    skipped: list[str] = Field(default_factory=list)  # accounts whose facts could not be built

    def describe(self) -> str:
        cost = (f"≈ ${self.cost_usd:.4f} (at most ${self.cost_usd_max:.4f})" if self.cost_usd is not None
                else "cost unknown")
        lines = [
            f"estimate for {self.accounts} account(s) with {self.backend} ({self.encoding}):",
            f"  prompt tokens ≈ {self.prompt_tokens:,} without retrieved passages, at most {self.prompt_tokens_max:,}",
            f"  answer tokens ≈ {self.completion_tokens:,}, at most {self.completion_tokens_max:,}",
            f"  {cost} — {self.price_note}",
        ]
        if self.skipped:
            lines.append(f"  not estimated (facts failed, will be reported): {', '.join(self.skipped)}")
        return "\n".join(lines)


def price_for(model: str, base_url: str | None, price: str | None = None) -> tuple[tuple[float, float] | None, str]:
    """``((in, out) USD per 1M tokens or None, where the price came from)``."""
    env = price
    if env:
        try:
            price_in, price_out = (float(x) for x in env.split(","))
            return (price_in, price_out), f"COPILOT_LLM_PRICE ${price_in}/${price_out} per 1M tokens"
        except ValueError:
            return None, f"COPILOT_LLM_PRICE={env!r} is not 'IN,OUT' (USD per 1M tokens)"
    host = urlparse(base_url).hostname if base_url else None
    if host in ("127.0.0.1", "localhost", "::1"):
        return (0.0, 0.0), "local server: no per-token cost"
    if base_url is None or host == "api.openai.com":
        for name in sorted(PRICES_PER_MTOK, key=len, reverse=True):
            if model == name or model.startswith(name + "-"):
                price_in, price_out = PRICES_PER_MTOK[name]
                return (price_in, price_out), f"{name} list price ${price_in}/${price_out} per 1M tokens (2025)"
    return None, "no price known for this model: set COPILOT_LLM_PRICE='IN,OUT' (USD per 1M tokens)"


def estimate_batch(copilot: "Copilot", engine: "Backend", account_ids: list[str], quarter: str,
                   as_of: datetime) -> BatchEstimate:
    """Count the tokens each account's prompt would use; accounts whose facts fail are listed."""
    from copilot.drafting.base import DraftRequest
    from copilot.drafting.budget import count_tokens
    from copilot.drafting.llm import OpenAIBackend, collect_names
    from copilot.drafting.pipeline import build_subject
    from copilot.drafting.template import render_template_markdown
    from copilot.records.redaction import Redactor

    kind = "qbr_narrative"
    result = BatchEstimate(backend=engine.name, accounts=len(account_ids))
    max_out = engine.budget.max_output_tokens if isinstance(engine, OpenAIBackend) else 1024
    for account in account_ids:
        try:
            found = build_subject(copilot, kind, account, as_of=as_of, quarter=quarter)
        except Exception:
            result.skipped.append(account)
            continue
        data = found.facts.model_dump(mode="json")
        digest, _ = render_template_markdown(kind, data)
        digest_tokens = count_tokens(digest)
        if isinstance(engine, OpenAIBackend):
            request = DraftRequest(kind=kind, account_id=found.account_id, subject_id=found.subject_id,
                                   title=found.title, facts=data)
            system, user, _, _ = engine.build_prompt(request, digest, Redactor(collect_names(data)))
            base = count_tokens(system) + count_tokens(user)
            ceiling = max(base, engine.budget.prompt_tokens)
        else:
            base = ceiling = digest_tokens
        result.prompt_tokens += base
        result.prompt_tokens_max += ceiling
        result.completion_tokens += min(digest_tokens, max_out)
        result.completion_tokens_max += max_out
    model = getattr(engine, "model", engine.name)
    price, result.price_note = price_for(model, getattr(engine, "base_url", None), copilot.settings.llm_price)
    if price is not None:
        result.cost_usd = round((result.prompt_tokens * price[0] + result.completion_tokens * price[1]) / 1e6, 6)
        result.cost_usd_max = round(
            (result.prompt_tokens_max * price[0] + result.completion_tokens_max * price[1]) / 1e6, 6)
    return result
