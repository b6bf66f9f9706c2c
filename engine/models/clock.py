"""The statutory clock's tables: admin calendar days, BPMN timers and the outbox of messages."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.ground.db import Base, StrEnumType
from engine.ground.vocabulary import OutboxState, TimerState
from engine.models.org import Unit


class CalendarDay(Base):
    """Ngày nghỉ / ngày làm bù: an admin's extra day off or make-up working day.

    `unit_id` None means everywhere; a unit's own day applies to the unit and the units under it.
    Ids only grow (AUTOINCREMENT on SQLite), so (count, max id) identifies the table's content.
    """

    __tablename__ = "calendar_day"
    __table_args__ = (
        Index("uq_calendar_day_unit", "day", "unit_id", unique=True, postgresql_where=text("unit_id IS NOT NULL"),
              sqlite_where=text("unit_id IS NOT NULL")),
        Index("uq_calendar_day_everywhere", "day", unique=True, postgresql_where=text("unit_id IS NULL"),
              sqlite_where=text("unit_id IS NULL")),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(String(10))  # "off" | "working"
    note: Mapped[str | None] = mapped_column(String(500))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # "admin" (declared by an admin) or "announced" (from the shipped calendar, engine/data/calendar_vn.toml)
    source: Mapped[str] = mapped_column(String(20), default="admin", server_default="admin")
    document_number: Mapped[str | None] = mapped_column(String(100))  # e.g. 12729/VPCP-KGVX
    document_date: Mapped[date | None]
    document_issuer: Mapped[str | None] = mapped_column(String(200))

    unit: Mapped[Unit | None] = relationship()


class Timer(Base):
    """A waiting BPMN timer event of a dossier's process: the scheduler fires it at `fire_at`."""

    __tablename__ = "timer"
    __table_args__ = (Index("ix_timer_due", "state", "fire_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    task_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    element_id: Mapped[str] = mapped_column(String(255))
    fire_at: Mapped[datetime]
    state: Mapped[TimerState] = mapped_column(StrEnumType(TimerState, 20), default=TimerState.PENDING)
    created_at: Mapped[datetime]
    fired_at: Mapped[datetime | None]


class OutboxMessage(Base):
    """An outbound message written in the same transaction as the change that caused it.

    `dedupe_key` is unique: the same warning to the same person is written once, however many
    scheduler runs see it.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id"), index=True)
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(255), unique=True)
    state: Mapped[OutboxState] = mapped_column(StrEnumType(OutboxState, 20), default=OutboxState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
