"""Domain errors with clear Vietnamese messages; the web edge maps them to HTTP statuses."""
from __future__ import annotations


class DomainError(Exception):
    """Base of every error the engine raises on purpose."""

    code = "domain_error"

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    code = "not_found"


class Forbidden(DomainError):
    """The caller's roles or units do not allow the action."""

    code = "forbidden"


class Conflict(DomainError):
    """The state moved on: the task was completed or taken by someone else."""

    code = "conflict"


class Invalid(DomainError):
    """Input that fails validation; `fields` names each bad field."""

    code = "invalid"


class Unauthenticated(DomainError):
    """Wrong credentials or no valid token."""

    code = "unauthenticated"
