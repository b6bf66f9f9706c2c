"""Bưu gửi: results sent to applicants by the public postal service, and the delivery events received."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.ground.db import Base
from engine.models.dossier import Dossier

ID = BigInteger().with_variant(Integer, "sqlite")


class PostalShipment(Base):
    """Bưu gửi: one parcel of a dossier (outbound: its result to the applicant), booked through the outbox.

    `tracking_number` (số hiệu bưu gửi) is empty until the postal service has booked it; `status` is
    `booking` until then, then the newest delivery status (accepted, in_transit, delivered, failed, returned).
    """

    __tablename__ = "postal_shipment"
    __table_args__ = (Index("ix_postal_shipment_status", "status"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ID, ForeignKey("dossier.id"), index=True)
    direction: Mapped[str] = mapped_column(String(10))  # outbound (the result)
    recipient_name: Mapped[str] = mapped_column(String(255))
    recipient_address: Mapped[str] = mapped_column(String(500))
    recipient_phone: Mapped[str | None] = mapped_column(String(30))
    tracking_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    status_at: Mapped[datetime | None]  # time of the event that set `status`, as the postal service gave it
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    booked_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]

    dossier: Mapped[Dossier] = relationship()


class PostalEvent(Base):
    """One delivery status report of a shipment; the postal service's event id makes a replay do nothing."""

    __tablename__ = "postal_event"
    __table_args__ = (UniqueConstraint("shipment_id", "event_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ID, ForeignKey("postal_shipment.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    location: Mapped[str | None] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(String(500))
    received_at: Mapped[datetime]
