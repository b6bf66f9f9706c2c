"""Giấy tờ: scans and results attached to a dossier, stored on disk by content hash."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from engine.ground.db import Base


class Document(Base):
    """One file of a dossier: a scan received at the desk, a supplement, or a result."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="scan")
    title: Mapped[str] = mapped_column(String(500))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime]
    checklist_index: Mapped[int | None]  # the procedure's `documents` item this file stands for
    task_id: Mapped[int | None] = mapped_column(  # the step it was attached at (None: intake or online)
        BigInteger().with_variant(Integer, "sqlite"), ForeignKey("human_task.id"))
    # reuse (kho dữ liệu của công dân): the earlier document of the same citizen this one is taken from
    reused_from_id: Mapped[int | None] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), ForeignKey("document.id"))
    at_intake: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # số hóa khi tiếp nhận
    reference_number: Mapped[str | None] = mapped_column(String(100))  # an agency's letter: số văn bản
    reference_date: Mapped[date | None]  # an agency's letter: ngày văn bản


class DeskStagedUpload(Base):
    """A scan the desk uploaded with an intake form that was refused (422/409): kept for the officer's next
    try so that nothing is uploaded twice, until it is used or expires (engine.dossier.desk_staging)."""

    __tablename__ = "desk_staged_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))  # the form's file input: scan_<index> or scans
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
