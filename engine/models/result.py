"""Giấy tờ kết quả: the unit's result register (sổ cấp) and each signed result it issued."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.ground.db import Base


class ResultRegister(Base):
    """The last number a unit's register gave for one procedure in one year: numbers without gaps."""

    __tablename__ = "result_register"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    procedure_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


class IssuedResult(Base):
    """A result document as issued: its register number, the signed file's hash and who signed it."""

    __tablename__ = "issued_result"
    __table_args__ = (UniqueConstraint("unit_id", "procedure_code", "year", "serial"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    procedure_code: Mapped[str] = mapped_column(String(40))
    year: Mapped[int]
    serial: Mapped[int]
    number: Mapped[str] = mapped_column(String(80))  # as printed: the register's pattern filled
    title: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    signer: Mapped[str] = mapped_column(String(500))  # the signing certificate's subject
    signed_at: Mapped[datetime]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
