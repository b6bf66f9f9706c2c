"""Hồ sơ: dossiers, their workflow state, the worklist rows and the append-only event log."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.ground.db import Base, StrEnumType, postgresql_only
from engine.ground.vocabulary import Channel, DossierStatus, Lateness, TaskState
from engine.models.org import Unit, User
from engine.models.procedure import ProcedureVersion

TRIGRAM_COLUMNS = ("applicant_name_folded", "code", "applicant_id_number")


class Dossier(Base):
    """A dossier (hồ sơ) of one applicant for one procedure version, handled by one unit."""

    __tablename__ = "dossier"
    __table_args__ = (
        Index("ix_dossier_unit_status", "unit_id", "status"),
        Index("ix_dossier_unit_received", "unit_id", "received_at"),
        # supervision: the dashboard's counts per unit and period read these indexes only
        Index("ix_dossier_unit_received_facts", "unit_id", "received_at", "channel", "procedure_version_id"),
        Index("ix_dossier_unit_completed", "unit_id", "completed_at", "lateness", "procedure_version_id",
              "handling_minutes"),
        Index("ix_dossier_unit_returned", "unit_id", "returned_at"),  # supervision: returned in a period
        # the worklist's "contains" searches (LIKE '%…%') on PostgreSQL: trigram GIN indexes (pg_trgm)
        *(postgresql_only(Index(f"ix_dossier_{column}_trgm", column, postgresql_using="gin",
                                postgresql_ops={column: "gin_trgm_ops"}))
          for column in TRIGRAM_COLUMNS),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    procedure_version_id: Mapped[int] = mapped_column(ForeignKey("procedure_version.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel, 20))
    status: Mapped[DossierStatus] = mapped_column(StrEnumType(DossierStatus, 30))
    applicant: Mapped[dict[str, Any]] = mapped_column()
    applicant_name: Mapped[str] = mapped_column(String(255), index=True)
    applicant_id_number: Mapped[str | None] = mapped_column(String(20), index=True)
    # the name folded for searching without diacritics (engine.ground.search_text), kept by the listener below
    applicant_name_folded: Mapped[str | None] = mapped_column(String(255), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    checklist: Mapped[list[Any]] = mapped_column(default=list)
    result: Mapped[str | None] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime]
    received_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    supplements_in_handling: Mapped[int] = mapped_column(default=0)
    postmarked_at: Mapped[datetime | None]  # dấu bưu điện: the clock's start for a postal dossier
    resubmitted_at: Mapped[datetime | None]  # a complete supplement at intake arrived
    original_due_at: Mapped[datetime | None]  # the due time before the one extension (form 04)
    extended_at: Mapped[datetime | None]
    lateness: Mapped[Lateness | None] = mapped_column(StrEnumType(Lateness, 10))  # once ended
    handling_minutes: Mapped[int | None]  # working minutes receipt → release, less supplement waits (supervision)
    # một cửa liên thông: the group this dossier is a member of, and its place in the group's `members`
    group_id: Mapped[int | None] = mapped_column(ForeignKey("dossier_group.id"), index=True)
    group_member: Mapped[int | None]

    version: Mapped[ProcedureVersion] = relationship()
    unit: Mapped[Unit] = relationship()
    group: Mapped[DossierGroup | None] = relationship(back_populates="members")


class DossierGroup(Base):
    """Hồ sơ liên thông: one submission of a procedure group, its member dossiers each of their agency."""

    __tablename__ = "dossier_group"
    __table_args__ = (Index("ix_dossier_group_unit_returned", "unit_id", "returned_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    procedure_code: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))  # the desk that received it
    status: Mapped[str] = mapped_column(String(20))  # processing, done, partial, stopped
    applicant: Mapped[dict[str, Any]] = mapped_column()
    applicant_name: Mapped[str] = mapped_column(String(255))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the one declaration and the results so far
    stage: Mapped[int] = mapped_column(default=0)  # the stage whose members are open
    submitted_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]  # the receiving desk handed the results over (engine.dossier.group_return)

    unit: Mapped[Unit] = relationship()
    members: Mapped[list[Dossier]] = relationship(back_populates="group", order_by="Dossier.group_member")


class DossierSequence(Base):
    """The last dossier number issued per unit and day: codes without gaps or duplicates."""

    __tablename__ = "dossier_sequence"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


class WorkflowState(Base):
    """SpiffWorkflow's serialized workflow (without the spec) and an optimistic-lock counter."""

    __tablename__ = "workflow_state"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column()
    serializer_version: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime]


class HumanTask(Base):
    """A worklist row: one user task of a dossier's process, for a role in a unit."""

    __tablename__ = "human_task"
    __table_args__ = (
        Index("ix_human_task_worklist", "state", "unit_id", "role", "due_at", "created_at"),
        Index("ix_human_task_dossier", "dossier_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"))
    task_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    element_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(500))
    role: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str | None] = mapped_column(String(20))
    form_id: Mapped[str | None] = mapped_column(String(255))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    state: Mapped[TaskState] = mapped_column(StrEnumType(TaskState, 20), default=TaskState.READY)
    created_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    data: Mapped[dict[str, Any] | None] = mapped_column()
    lateness: Mapped[Lateness | None] = mapped_column(StrEnumType(Lateness, 10))  # once completed
    overrun_minutes: Mapped[int | None]  # working minutes past the step's due time

    dossier: Mapped[Dossier] = relationship()
    unit: Mapped[Unit] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])


class HumanTaskCandidate(Base):
    """An official who may claim a worklist row (`camunda:candidateUsers`); a row with none is open to its role."""

    __tablename__ = "human_task_candidate"

    task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)


class Event(Base):
    """An append-only audit event: who did what, when, to which dossier, with details."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(60), index=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)  # the audit filters by unit
    message: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)


@event.listens_for(Dossier, "before_insert")
@event.listens_for(Dossier, "before_update")
def _fold_name(_mapper, _connection, dossier: Dossier) -> None:
    from engine.ground.search_text import searchable_names

    dossier.applicant_name_folded = searchable_names(dossier.applicant_name, dossier.data)
