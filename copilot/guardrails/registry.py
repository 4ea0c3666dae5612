"""The check registry: name -> check function, and which draft kinds/audiences it applies to.

Adding a check is one new module under ``copilot/guardrails/checks/`` that decorates its
``check(ctx)`` with ``@register(...)`` and is listed in ``checks/__init__.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from copilot.drafting.draft import Finding

__all__ = ["CheckFn", "CheckSpec", "REGISTRY", "all_checks", "checks_for", "register"]

CheckFn = Callable[..., list[Finding]]
"""``check(ctx: CheckContext) -> list[Finding]``."""


@dataclass(frozen=True)
class CheckSpec:
    name: str
    fn: CheckFn
    kinds: frozenset[str] | None = None  # None: every kind
    audiences: frozenset[str] | None = None  # None: every audience
    description: str = ""

    def applies(self, kind: str, audience: str) -> bool:
        return (self.kinds is None or kind in self.kinds) and (self.audiences is None or audience in self.audiences)


REGISTRY: dict[str, CheckSpec] = {}


def register(
    name: str, *, kinds: set[str] | None = None, audiences: set[str] | None = None, description: str = ""
) -> Callable[[CheckFn], CheckFn]:
    """Decorator: add ``fn`` to the registry under ``name``."""

    def wrap(fn: CheckFn) -> CheckFn:
        REGISTRY[name] = CheckSpec(
            name,
            fn,
            frozenset(kinds) if kinds else None,
            frozenset(audiences) if audiences else None,
            description or (fn.__doc__ or "").strip(),
        )
        return fn

    return wrap


def all_checks() -> dict[str, CheckSpec]:
    """Every registered check (importing the built-in ones on first use)."""
    import copilot.guardrails.checks  # noqa: F401  (registers the built-in checks)

    return dict(REGISTRY)


def checks_for(kind: str, audience: str) -> list[CheckSpec]:
    return [spec for spec in all_checks().values() if spec.applies(kind, audience)]
