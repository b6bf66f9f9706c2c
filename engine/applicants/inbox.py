"""Thông báo của tôi: the messages the outbox sends an applicant (by email, with its SMS), read in the portal.

A message belongs to the account when its dossier is one of the account's (applicant_dossier). What is read
is a mark per account: every message up to an outbox id; "mark all read" moves it to the newest.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.messaging.notices import KIND
from engine.models import ApplicantAccount, ApplicantDossier, ApplicantNoticeMark, Dossier, OutboxMessage

LIMIT = 200  # the newest messages the page lists


@dataclass(frozen=True)
class Notice:
    """One message of the account's list."""

    message: OutboxMessage
    code: str
    unread: bool


def _mine(account_id: int):
    return (select(OutboxMessage.id).join(ApplicantDossier, ApplicantDossier.dossier_id == OutboxMessage.dossier_id)
            .where(ApplicantDossier.account_id == account_id, OutboxMessage.kind == KIND))


def _read_up_to(session: Session, account_id: int) -> int:
    mark = session.get(ApplicantNoticeMark, account_id)
    return mark.read_up_to if mark else 0


def notices(session: Session, account: ApplicantAccount, limit: int = LIMIT) -> list[Notice]:
    """The account's messages, newest first, each with its dossier's code and whether it is unread."""
    read = _read_up_to(session, account.id)
    rows = session.execute(select(OutboxMessage, Dossier.code)
                           .join(ApplicantDossier, ApplicantDossier.dossier_id == OutboxMessage.dossier_id)
                           .join(Dossier, Dossier.id == OutboxMessage.dossier_id)
                           .where(ApplicantDossier.account_id == account.id, OutboxMessage.kind == KIND)
                           .order_by(OutboxMessage.id.desc()).limit(limit)).all()
    return [Notice(message, code, message.id > read) for message, code in rows]


def unread_count(session: Session, account_id: int) -> int:
    """How many of the account's messages are unread: one query (the navbar shows it on every page)."""
    read = (select(func.coalesce(func.max(ApplicantNoticeMark.read_up_to), 0))
            .where(ApplicantNoticeMark.account_id == account_id).scalar_subquery())
    mine = _mine(account_id).where(OutboxMessage.id > read).subquery()
    return session.scalar(select(func.count()).select_from(mine)) or 0


def mark_all_read(session: Session, account: ApplicantAccount, now: datetime) -> int:
    """Every message so far is read; returns the outbox id the mark moved to."""
    newest = session.scalar(select(func.max(OutboxMessage.id)).where(OutboxMessage.id.in_(_mine(account.id)))) or 0
    mark = session.get(ApplicantNoticeMark, account.id)
    if mark is None:
        mark = ApplicantNoticeMark(account_id=account.id, read_up_to=0, read_at=now)
        session.add(mark)
    mark.read_up_to, mark.read_at = max(mark.read_up_to, newest), now
    return mark.read_up_to
