"""Backends by spec string: ``template`` | ``openai:<model>`` | ``openai:<model>@<base URL>``.

``openai:<model>`` talks to OpenAI, or to the OpenAI-compatible server named by
``--base-url`` / ``$COPILOT_LLM_BASE_URL``; the ``@URL`` form names the server inline, e.g.
``openai:smollm2@http://127.0.0.1:8080/v1``. New providers register a factory under a prefix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from copilot.drafting.base import Backend
from copilot.errors import InvalidInput

if TYPE_CHECKING:
    from copilot.config import Settings

__all__ = ["BackendFactory", "available_backends", "get_backend", "parse_spec", "register_backend",
           "unregister_backend"]

BackendFactory = Callable[[str, "Settings | None", "str | None"], Backend]
"""``factory(rest of spec after 'prefix:', settings, base_url override) -> Backend``."""

_SPEC = re.compile(r"^(?P<model>[^@\s]+?)(?:@(?P<url>https?://\S+))?$")


def parse_spec(rest: str) -> tuple[str, str | None]:
    """``"model"`` / ``"model@http://host/v1"`` -> ``(model, url or None)``."""
    match = _SPEC.match(rest.strip())
    if not match:
        raise InvalidInput(f"backend spec 'openai:{rest}' is not like openai:MODEL or openai:MODEL@http://HOST:PORT/v1")
    return match.group("model"), match.group("url")


def _template(rest: str, settings: Settings | None, base_url: str | None) -> Backend:
    from copilot.drafting.template import TemplateBackend

    return TemplateBackend()


def _openai(rest: str, settings: Settings | None, base_url: str | None) -> Backend:
    from copilot.drafting.llm import OpenAIBackend

    model, url = parse_spec(rest)
    # the LLM knobs (COPILOT_LLM_*) are read when the backend is made, not when the home was opened
    return OpenAIBackend(model, base_url=url or base_url or (settings.llm_base_url if settings else None))


_FACTORIES: dict[str, BackendFactory] = {"template": _template, "openai": _openai}


def register_backend(prefix: str, factory: BackendFactory) -> None:
    """Make ``prefix`` / ``prefix:...`` specs build backends with ``factory``."""
    _FACTORIES[prefix] = factory


def unregister_backend(prefix: str) -> None:
    _FACTORIES.pop(prefix, None)


def available_backends() -> list[str]:
    return sorted(_FACTORIES)


def get_backend(spec: str | None, settings: Settings | None = None, *, base_url: str | None = None) -> Backend:
    """The backend for ``spec`` (``None`` -> ``settings.backend``, else ``template``)."""
    spec = (spec or (settings.backend if settings else None) or "template").strip()
    prefix, _, rest = spec.partition(":")
    factory = _FACTORIES.get(prefix)
    if factory is None:
        raise InvalidInput(f"unknown backend {spec!r}; use one of: template, openai:MODEL, "
                           "openai:MODEL@http://HOST:PORT/v1" + (
                               f" (registered: {', '.join(available_backends())})"))
    if prefix == "openai" and not rest:
        raise InvalidInput("backend 'openai' needs a model: openai:MODEL (e.g. openai:gpt-4o-mini)")
    return factory(rest, settings, base_url)
