"""The diagram's vocabulary, defined once: standard roles, step kinds and the decision fields.

A diagram names roles (`candidateGroups`), the legal meaning of a user task (its `kind` property) and
the standard decision fields its forms set. bpmn/ checks diagrams against these; engine/'s vocabulary
re-exports them beside the statuses, so the whole project speaks of one set.
"""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """The standard roles (admins may add more; a role column holds any string)."""

    MOT_CUA = "mot_cua"
    CHUYEN_VIEN = "chuyen_vien"
    LANH_DAO = "lanh_dao"
    ANALYST = "analyst"
    ADMIN = "admin"
    SUPERVISOR = "supervisor"


class StepKind(StrEnum):
    """The legal meaning of a user task (its `kind` property)."""

    INTAKE = "intake"
    APPRAISAL = "appraisal"
    APPROVAL = "approval"
    RETURN = "return"
    CONSULT = "consult"
    SUPPLEMENT = "supplement"
    PAYMENT = "payment"


STANDARD_ROLES: tuple[str, ...] = tuple(Role)
TASK_KINDS: tuple[str, ...] = tuple(StepKind)

# The standard decision fields that give a step its legal meaning (DESIGN.md, "BPMN vocabulary").
INTAKE_DECISION = "intake_decision"
APPRAISAL_DECISION = "appraisal_decision"
APPROVAL_DECISION = "approval_decision"
RETURN_METHOD = "return_method"
