"""Lệ phí: payments of a dossier's fees, online through the payment gateway or in cash at the desk."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.ground.db import Base
from engine.models.dossier import Dossier
from engine.models.org import User

PAYMENT_STATUSES = ("requested", "paid", "failed", "cancelled")
PAYMENT_CHANNELS = ("online", "desk")


class Payment(Base):
    """One fee request of a dossier and how it was settled.

    `status`: requested (waiting), paid, failed (the last online attempt failed; the applicant may try
    again), cancelled. `gateway_txn_id` is unique, so one gateway transaction settles at most one payment.
    """

    __tablename__ = "payment"
    __table_args__ = (Index("ix_payment_dossier_status", "dossier_id", "status"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), ForeignKey("dossier.id"))
    amount: Mapped[int] = mapped_column(BigInteger)  # VND, whole đồng
    description: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="requested")
    channel: Mapped[str | None] = mapped_column(String(20))  # online | desk, once paid
    gateway_txn_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    receipt_number: Mapped[str | None] = mapped_column(String(60))
    requested_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    raw_callback: Mapped[dict[str, Any] | None] = mapped_column()

    dossier: Mapped[Dossier] = relationship()
    recorded_by: Mapped[User | None] = relationship()
