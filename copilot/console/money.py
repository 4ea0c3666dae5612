"""Money as people read it: ``USD 480,000`` in tables, ``$480K`` on a metric tile."""

from __future__ import annotations

__all__ = ["format_money", "short_money"]

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def format_money(amount: float, currency: str) -> str:
    """``480000, "USD"`` -> ``USD 480,000`` (exact, with the currency code)."""
    return f"{currency} {amount:,.0f}"


def short_money(amount: float, currency: str) -> str:
    """``480000`` -> ``$480K``; ``1250000`` -> ``$1.25M``; an unknown currency keeps its code."""
    symbol = SYMBOLS.get(currency, "")
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if amount >= size:
            text = f"{amount / size:.2f}".rstrip("0").rstrip(".") + suffix
            break
    else:
        text = f"{amount:,.0f}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"
