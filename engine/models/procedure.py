"""Thủ tục hành chính: catalogue entries and their immutable published process versions."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.ground.db import Base


class Procedure(Base):
    """A catalogue entry (TTHC), keyed by its national procedure code."""

    __tablename__ = "procedure"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    field: Mapped[str | None] = mapped_column(String(255))
    authority: Mapped[str | None] = mapped_column(String(40))
    catalogue: Mapped[dict[str, Any]] = mapped_column(default=dict)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("procedure_version.id", use_alter=True, name="fk_procedure_current_version"))
    # the units' published lists decide who offers it (set by the first list that names it); until then every
    # unit of its level with a one-stop desk does (engine.catalogue.admin.offering_units)
    units_listed: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    current_version: Mapped[ProcedureVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True)


class ProcedureVersion(Base):
    """A published, immutable version of a procedure folder, keyed by content hash."""

    __tablename__ = "procedure_version"
    __table_args__ = (UniqueConstraint("procedure_id", "number"), UniqueConstraint("procedure_id", "content_hash"))

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    process_id: Mapped[str] = mapped_column(String(255))
    files: Mapped[dict[str, Any]] = mapped_column(deferred=True)  # loaded on a cache miss only
    published_at: Mapped[datetime]
    published_by: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(String(1000))

    procedure: Mapped[Procedure] = relationship(foreign_keys=[procedure_id])


class ProcedureUnit(Base):
    """Danh mục TTHC công bố: a procedure that a unit offers (the published list the public portal shows)."""

    __tablename__ = "procedure_unit"
    __table_args__ = (UniqueConstraint("procedure_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    since: Mapped[datetime]

    procedure: Mapped[Procedure] = relationship()
