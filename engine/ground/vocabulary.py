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
    S.DRAFT: "Bản nháp",
    S.SUBMITTED: "Chờ tiếp nhận",
    S.SUPPLEMENT_AT_INTAKE: "Chờ bổ sung hồ sơ (khi tiếp nhận)",
    S.REFUSED: "Từ chối tiếp nhận",
    S.RECEIVED: "Đã tiếp nhận",
    S.IN_PROGRESS: "Đang giải quyết",
    S.SUPPLEMENT_REQUESTED: "Chờ bổ sung hồ sơ",
    S.PAYMENT_REQUESTED: "Chờ nộp phí",
    S.WITHDRAWAL_ASKED: "Xin rút hồ sơ",
    S.STOPPED: "Dừng xử lý",
    S.DONE: "Đã có kết quả",
    S.RETURNED: "Đã trả kết quả",
    S.CLOSED: "Đóng hồ sơ (quá hạn bổ sung)",
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


CHANNEL_LABELS: dict[str, str] = {Channel.IN_PERSON: "Trực tiếp", Channel.POST: "Bưu chính",
                                  Channel.ONLINE: "Trực tuyến"}


class Lateness(StrEnum):
    """How a released result (or a completed step) compares with its due time (OpenCPS convention)."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


LATENESS_LABELS: dict[str, str] = {Lateness.EARLY: "Trước hạn", Lateness.ON_TIME: "Đúng hạn",
                                   Lateness.LATE: "Quá hạn"}


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


ROLE_LABELS: dict[str, str] = {Role.MOT_CUA: "Một cửa", Role.CHUYEN_VIEN: "Chuyên viên thụ lý",
                               Role.LANH_DAO: "Lãnh đạo", Role.ANALYST: "Phân tích quy trình",
                               Role.ADMIN: "Quản trị", Role.SUPERVISOR: "Giám sát"}


