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


class StepFailed(Conflict):
    """Sự cố: the process could not run on (a script or condition failed, a gateway had no matching flow).

    Carries where (`element_id`), the kind of failure (bpmn.run_errors.KINDS) and SpiffWorkflow's words
    (`original`); whoever knows the dossier and the step adds them (`dossier_id`, `task_id`, `user_id`,
    `data`) so that an incident can be recorded once the step's transaction has been rolled back.
    """

    code = "step_failed"

    def __init__(self, message: str, element_id: str = "", kind: str = "other", original: str = "") -> None:
        super().__init__(message)
        self.element_id, self.kind, self.original = element_id, kind, original
        self.dossier_id: int | None = None
        self.task_id: int | None = None
        self.user_id: int | None = None
        self.data: dict | None = None
        self.source = "step"
