"""Từ vựng: the states and kinds every layer speaks of, each defined once, with the strings the database holds.

Statuses are `StrEnum`s, so `dossier.status == "received"` and `DossierStatus.RECEIVED` are the same thing,
and the columns (`Mapped[DossierStatus]`) store the same strings as before. Groups of statuses that rules
read ("still being handled", "waiting for the applicant", "ended") are named sets here, never tuples
written again beside the rule.
"""
from __future__ import annotations

from enum import StrEnum

from bpmn.vocabulary import (  # noqa: F401  (re-exported: one vocabulary for the whole project)
    APPRAISAL_DECISION,
    APPROVAL_DECISION,
    INTAKE_DECISION,
    RETURN_METHOD,
    STANDARD_ROLES,
    TASK_KINDS,
    Role,
    StepKind,
)


def N_(text: str) -> str:
    """Marks a label for the translation catalogue (`pybabel extract -k N_`, see babel.cfg); returns it as is.

    The labels here are the one wording; webapp.labels translates them for the English pages."""
    return text


def NP_(context: str, text: str) -> str:
    """N_ with a context (`-k NP_:1c,2`): the role "Quản trị" (Administrator) is not the menu "Quản trị"."""
    return text


class DossierStatus(StrEnum):
    """Trạng thái hồ sơ: where a dossier is in its life."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    SUPPLEMENT_AT_INTAKE = "supplement_at_intake"
    REFUSED = "refused"
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    PAYMENT_REQUESTED = "payment_requested"
    WITHDRAWAL_ASKED = "withdrawal_asked"
    STOPPED = "stopped"
    DONE = "done"
    RETURNED = "returned"
    CLOSED = "closed"


S = DossierStatus
STATUS_LABELS: dict[str, str] = {
    S.DRAFT: N_("Bản nháp"),
    S.SUBMITTED: N_("Chờ tiếp nhận"),
    S.SUPPLEMENT_AT_INTAKE: N_("Chờ bổ sung hồ sơ (khi tiếp nhận)"),
    S.REFUSED: N_("Từ chối tiếp nhận"),
    S.RECEIVED: N_("Đã tiếp nhận"),
    S.IN_PROGRESS: N_("Đang giải quyết"),
    S.SUPPLEMENT_REQUESTED: N_("Chờ bổ sung hồ sơ"),
    S.PAYMENT_REQUESTED: N_("Chờ nộp phí"),
    S.WITHDRAWAL_ASKED: N_("Xin rút hồ sơ"),
    S.STOPPED: N_("Dừng xử lý"),
    S.DONE: N_("Đã có kết quả"),
    S.RETURNED: N_("Đã trả kết quả"),
    S.CLOSED: N_("Đóng hồ sơ (quá hạn bổ sung)"),
}

# Received and not yet released: the handling unit's clock runs or is paused for the applicant.
HANDLING: frozenset[DossierStatus] = frozenset({S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED,
                                                S.PAYMENT_REQUESTED})
# Handling with the clock running (a supplement request pauses it; a fee request may too).
CLOCK_RUNNING: frozenset[DossierStatus] = frozenset({S.RECEIVED, S.IN_PROGRESS, S.PAYMENT_REQUESTED})
# The applicant must act next: bring papers or pay.
WAITING_FOR_APPLICANT: frozenset[DossierStatus] = frozenset({S.SUPPLEMENT_AT_INTAKE, S.SUPPLEMENT_REQUESTED,
                                                             S.PAYMENT_REQUESTED})
# Nothing more will happen to the dossier.
ENDED: frozenset[DossierStatus] = frozenset({S.REFUSED, S.STOPPED, S.RETURNED, S.CLOSED})
# Ended, or decided and waiting only to be handed over: no withdrawal, no stop, no extension.
DECIDED: frozenset[DossierStatus] = ENDED | {S.DONE}


class TaskState(StrEnum):
    """A worklist row's state."""

    READY = "ready"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Channel(StrEnum):
    """Kênh nộp: how the dossier reached the unit."""

    IN_PERSON = "in_person"
    POST = "post"
    ONLINE = "online"


CHANNEL_LABELS: dict[str, str] = {Channel.IN_PERSON: N_("Trực tiếp"), Channel.POST: N_("Bưu chính"),
                                  Channel.ONLINE: N_("Trực tuyến")}


class Lateness(StrEnum):
    """How a released result (or a completed step) compares with its due time (OpenCPS convention)."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


LATENESS_LABELS: dict[str, str] = {Lateness.EARLY: N_("Trước hạn"), Lateness.ON_TIME: N_("Đúng hạn"),
                                   Lateness.LATE: N_("Quá hạn")}


class OutboxState(StrEnum):
    """An outbox message: waiting to be sent (or retried), sent, or given up after its retries."""

    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


class TimerState(StrEnum):
    """A BPMN timer row: waiting, fired, or cancelled because its step ended first."""

    PENDING = "pending"
    FIRED = "fired"
    CANCELLED = "cancelled"


ROLE_LABELS: dict[str, str] = {Role.MOT_CUA: NP_("role", "Bộ phận Một cửa"),
                               Role.CHUYEN_VIEN: NP_("role", "Chuyên viên thụ lý"),
                               Role.LANH_DAO: NP_("role", "Lãnh đạo"),
                               Role.ANALYST: NP_("role", "Người thiết kế quy trình"),
                               Role.ADMIN: NP_("role", "Quản trị"), Role.SUPERVISOR: NP_("role", "Giám sát")}


