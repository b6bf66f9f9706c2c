"""Bản nháp quy trình: a procedure folder being edited in the studio (never used by dossiers)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.ground.db import Base
from engine.models.procedure import ProcedureVersion


class ProcedureDraft(Base):
    """The studio's working copy of one procedure's folder, keyed by the procedure code."""

    __tablename__ = "procedure_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    files: Mapped[dict[str, Any]] = mapped_column()
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("procedure_version.id"))
    updated_by: Mapped[str | None] = mapped_column(String(80))
    updated_at: Mapped[datetime]

    base_version: Mapped[ProcedureVersion | None] = relationship()
