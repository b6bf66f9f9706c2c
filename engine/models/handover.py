"""Bàn giao hồ sơ: batches of paper dossiers handed from the desk to a division and back, signed per batch."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.ground.db import Base
from engine.models.dossier import Dossier
from engine.models.org import Unit, User

ID = BigInteger().with_variant(Integer, "sqlite")


class HandoverBatch(Base):
    """Danh sách bàn giao hồ sơ: one batch, numbered per handing unit and year (`sequence`/BG).

    `direction` is `to_division` (the desk hands the papers to whoever holds the dossiers' step) or
    `to_desk` (the division hands them back with the result). The receiving side is a role in a unit;
    `received_at` and `received_by_id` are empty until someone of that side confirms receipt.
    """

    __tablename__ = "handover_batch"
    __table_args__ = (UniqueConstraint("from_unit_id", "year", "sequence"),
                      Index("ix_handover_batch_to", "to_unit_id", "to_role", "received_at"))

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    year: Mapped[int]
    sequence: Mapped[int]
    direction: Mapped[str] = mapped_column(String(20))
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    from_role: Mapped[str] = mapped_column(String(40))
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    to_role: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    received_at: Mapped[datetime | None]
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit] = relationship(foreign_keys=[to_unit_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id])
    items: Mapped[list[HandoverItem]] = relationship(back_populates="batch", order_by="HandoverItem.id")

    @property
    def number(self) -> str:
        """The batch's number as printed: `003/BG-2026`."""
        return f"{self.sequence:03d}/BG-{self.year}"


class HandoverItem(Base):
    """One dossier of a batch, with what the desk wrote beside it (papers, remarks)."""

    __tablename__ = "handover_item"
    __table_args__ = (UniqueConstraint("batch_id", "dossier_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ID, ForeignKey("handover_batch.id"))
    dossier_id: Mapped[int] = mapped_column(ID, ForeignKey("dossier.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(255))

    batch: Mapped[HandoverBatch] = relationship(back_populates="items")
    dossier: Mapped[Dossier] = relationship()
