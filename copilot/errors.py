"""Errors a user can act on. The CLI turns them into messages and exit codes at its edge."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

__all__ = ["Conflict", "CopilotError", "InvalidInput", "MissingExtra", "NotFound", "Refused", "import_optional"]


class CopilotError(Exception):
    """Base: ``str(err)`` says what was wrong and what to do next."""

    exit_code = 2


class NotFound(CopilotError):
    """A named account, ticket, incident or draft does not exist in this home."""


class InvalidInput(CopilotError):
    """Input that could not be processed at all."""


class Refused(CopilotError):
    """A check, threshold or approval said no."""

    exit_code = 1


class Conflict(Refused):
    """Someone else changed the same thing first."""


class MissingExtra(InvalidInput):
    """An optional feature was asked for without the package that provides it."""


def import_optional(module: str, extra: str) -> ModuleType:
    """``module``, or :class:`MissingExtra` naming the extra to install (``pip install 'tam-copilot[extra]'``)."""
    try:
        return import_module(module)
    except ModuleNotFoundError as exc:
        raise MissingExtra(f"this needs the optional package for {module!r}, which is not installed: "
                           f"pip install -e '.[{extra}]' (or pip install 'tam-copilot[{extra}]')") from exc
