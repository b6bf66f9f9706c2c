"""Công dân, tổ chức: applicant accounts, their online dossiers, withdrawal requests and ratings.

Applicants are kept apart from officials (`user_account`): their own table, their own login.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.ground.db import Base
from engine.models.dossier import Dossier

if TYPE_CHECKING:
    from engine.models.procedure import Procedure

DOSSIER_ID = BigInteger().with_variant(Integer, "sqlite")
# a VNeID account's email until its owner gives one (engine.applicants.vneid_accounts): never written to
NO_MAIL_DOMAIN = "vneid.invalid"


class ApplicantAccount(Base):
    """A citizen's or a business's account on the public portal (local login now, VNeID later)."""

    __tablename__ = "applicant_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    id_number: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(500))
    password_hash: Mapped[str | None] = mapped_column(String(255))  # None for an external identity
    provider: Mapped[str] = mapped_column(String(20), default="local")  # local | vneid
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    failed_logins: Mapped[int] = mapped_column(default=0)  # wrong passwords in a row (engine.applicants.identity)
    locked_until: Mapped[datetime | None]
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")  # see User.session_version
    # đồng ý xử lý dữ liệu cá nhân (Decree 13/2023) at registration: when, and which notice text
    consent_at: Mapped[datetime | None]
    consent_version: Mapped[str | None] = mapped_column(String(20))


class ApplicantDossier(Base):
    """Hồ sơ của tôi: a dossier submitted online by an account, with the applicant's requests on it."""

    __tablename__ = "applicant_dossier"

    dossier_id: Mapped[int] = mapped_column(DOSSIER_ID, ForeignKey("dossier.id"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("applicant_account.id"), index=True)
    supplement_pending: Mapped[bool] = mapped_column(default=False)  # uploaded, for the desk to confirm
    withdrawal_asked_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    dossier: Mapped[Dossier] = relationship()
    account: Mapped[ApplicantAccount] = relationship()


class DossierRating(Base):
    """Đánh giá: the applicant's one rating of how a returned dossier was served."""

    __tablename__ = "dossier_rating"

    dossier_id: Mapped[int] = mapped_column(DOSSIER_ID, ForeignKey("dossier.id"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("applicant_account.id"), index=True)
    satisfied: Mapped[bool]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    # criterion → 1..5 (engine.applicants.satisfaction); None for a yes/no rating of an older portal
    scores: Mapped[dict[str, Any] | None]


class Feedback(Base):
    """Phản ánh, kiến nghị: an applicant's feedback or complaint on a dossier or a procedure,
    answered by the unit (engine.applicants.feedback)."""

    __tablename__ = "applicant_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("applicant_account.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)  # the unit that answers
    dossier_id: Mapped[int | None] = mapped_column(DOSSIER_ID, ForeignKey("dossier.id"))
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("procedure.id"))
    kind: Mapped[str] = mapped_column(String(20))  # phan_anh | kien_nghi
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    dossier: Mapped[Dossier | None] = relationship()


class StagedUpload(Base):
    """A file an applicant uploaded for an online submission not yet sent (engine.dossier.staged_uploads):
    it counts against the account's quota until it expires or the dossier is sent."""

    __tablename__ = "staged_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("applicant_account.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ApplicantNoticeMark(Base):
    """Thông báo đã đọc: the account's applicant messages up to `read_up_to` (an outbox id) are read."""

    __tablename__ = "applicant_notice_mark"

    account_id: Mapped[int] = mapped_column(ForeignKey("applicant_account.id"), primary_key=True)
    read_up_to: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    read_at: Mapped[datetime]


class OnlineDraft(Base):
    """Bản nháp: an online submission the applicant saved to finish later (engine.dossier.online_drafts),
    one per account and procedure; its files are staged uploads and it expires with them."""

    __tablename__ = "online_draft"
    __table_args__ = (UniqueConstraint("account_id", "procedure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("applicant_account.id"), index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"))
    unit_code: Mapped[str | None] = mapped_column(String(40))
    data: Mapped[dict[str, Any]]  # the form's values as typed, checked only when sent
    files: Mapped[list[Any]]  # [{index, title, filename, sha256, size}], each a staged upload of the account
    saved_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)

    procedure: Mapped[Procedure] = relationship()
