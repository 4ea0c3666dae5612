"""Fixtures for the drafting tests (the sample home comes from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from copilot.drafting.base import Backend
from copilot.drafting.registry import register_backend, unregister_backend


@pytest.fixture
def register_fake_backend() -> Iterator[Callable[[str, Backend], None]]:
    """``register(prefix, backend)``: make spec ``prefix`` return ``backend``; always unregistered after."""
    registered: list[str] = []

    def register(prefix: str, backend: Backend) -> None:
        register_backend(prefix, lambda rest, settings, base_url: backend)
        registered.append(prefix)

    yield register
    for prefix in registered:
        unregister_backend(prefix)
