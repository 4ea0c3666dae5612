"""Errors a user can act on. The CLI turns them into messages and exit codes at its edge."""

from __future__ import annotations

__all__ = ["CopilotError", "NotFound", "InvalidInput", "Refused", "Conflict"]


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
