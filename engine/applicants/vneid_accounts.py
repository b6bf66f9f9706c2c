"""Accounts of citizens VNeID vouched for: found by provider "vneid" and the verified citizen ID, else created.

Such an account has no password (it signs in only through VNeID) and an email of its own that cannot
receive mail (<ID>@vneid.invalid) until the citizen gives one; its ID number is the state's, so counter
dossiers of that number join it (engine.applicants.linking). A local account with the same ID number stays
apart. Every sign-in is an `applicant.login` event with via=vneid; a new account also `applicant.registered`.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.ground import events
from engine.ground.errors import Unauthenticated
from engine.ground.text import NAME_LIMIT, clean_text
from engine.models import ApplicantAccount
from engine.models.applicant import NO_MAIL_DOMAIN

PROVIDER = "vneid"
EMAIL_DOMAIN = NO_MAIL_DOMAIN


def placeholder_email(id_number: str) -> str:
    """The email a VNeID account starts with (no mail is sent to it)."""
    return f"{id_number}@{EMAIL_DOMAIN}"


def sign_in_verified(session: Session, id_number: str, full_name: str, now: datetime) -> ApplicantAccount:
    """The account for this VNeID-verified citizen ID (created on first sign-in); Unauthenticated when the
    account was deactivated. The caller commits."""
    if not (len(id_number) == 12 and id_number.isdigit()):
        raise Unauthenticated("Số định danh từ VNeID không hợp lệ")
    name = clean_text(full_name)[:NAME_LIMIT] or id_number
    account = session.scalar(select(ApplicantAccount).where(ApplicantAccount.provider == PROVIDER,
                                                            ApplicantAccount.id_number == id_number))
    if account is None:
        account = ApplicantAccount(email=placeholder_email(id_number), full_name=name, id_number=id_number,
                                   password_hash=None, provider=PROVIDER, active=True, created_at=now)
        session.add(account)
        session.flush()
        events.record(session, "applicant.registered", now, message=id_number, account_id=account.id, via=PROVIDER)
    elif not account.active:
        events.record(session, "applicant.login_failed", now, message=id_number, account_id=account.id,
                      via=PROVIDER, reason="inactive")
        raise Unauthenticated("Tài khoản này đã bị khóa; hãy liên hệ bộ phận một cửa")
    else:
        account.full_name = name  # the state's name is the one that counts
    account.failed_logins, account.locked_until = 0, None
    events.record(session, "applicant.login", now, message=id_number, account_id=account.id, via=PROVIDER)
    return account
