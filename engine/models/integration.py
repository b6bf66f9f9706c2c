"""Links between our dossiers and the records of national systems (national portal ids, payments)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.ground.db import Base


class IntegrationRef(Base):
    """Mã liên kết: a national system's id for one of our dossiers; unique per system, so replays do nothing."""

    __tablename__ = "integration_ref"
    __table_args__ = (UniqueConstraint("system", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    system: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(100))
    dossier_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), ForeignKey("dossier.id"),
                                            index=True)
    created_at: Mapped[datetime]
