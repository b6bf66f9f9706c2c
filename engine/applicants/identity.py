"""Định danh công dân: how applicants prove who they are, behind one interface.

`LocalIdentityProvider` keeps an email and an argon2 password hash; the national VNeID login
will be another provider with the same two methods, chosen by configuration.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.ground import events
from engine.ground.errors import Invalid, Unauthenticated
from engine.ground.text import NAME_LIMIT, clean_text, text_problem
from engine.models import ApplicantAccount
from engine.org.accounts import lock_seconds
from engine.org.passwords import check_password, hash_password
from forms.identifiers import is_citizen_id, is_email, is_phone

MIN_PASSWORD = 8


@dataclass(frozen=True)
class Registration:
    """What a new applicant gives: email, name, password and optional ID number, phone, address."""

    email: str
    full_name: str
    password: str
    id_number: str = ""
    phone: str = ""
    address: str = ""


class IdentityProvider(Protocol):
    """Who an applicant is: log in with credentials, or register a new account."""

    def authenticate(self, session: Session, email: str, password: str, now: datetime) -> ApplicantAccount:
        """The account these credentials open; Unauthenticated otherwise."""

    def register(self, session: Session, registration: Registration, now: datetime) -> ApplicantAccount:
        """A new account; Invalid naming each bad field."""


def normalise_email(email: str) -> str:
    """Emails compare without surrounding spaces and case."""
    return (email or "").strip().lower()


class LocalIdentityProvider:
    """Accounts with an email and a password kept here (argon2id)."""

    name = "local"

    def authenticate(self, session: Session, email: str, password: str, now: datetime) -> ApplicantAccount:
        """The active local account with this email and password; Unauthenticated otherwise.

        Like officials' logins (engine.org.accounts.login), five failures in a row pause the account for a
        minute, each further five for twice as long, every failure gets the same answer, and every attempt is an event (`applicant.login`, `applicant.login_failed` with the
        reason, `applicant.locked` when the pause starts). The caller commits in every case, so that
        failures are counted even when this raises.
        """
        address = normalise_email(email)
        account = session.scalar(select(ApplicantAccount).where(ApplicantAccount.email == address))
        if account is not None and account.locked_until is not None and account.locked_until > now:
            seconds = math.ceil((account.locked_until - now).total_seconds())
            _login_event(session, "applicant.login_failed", now, account, address, reason="locked",
                         seconds=str(seconds))
            raise Unauthenticated(FAILED_LOGIN)
        if not check_password(account.password_hash if account else None, password or "") or not account.active:
            reason = "unknown_user" if account is None else "inactive" if not account.active else "wrong_password"
            if account is not None:
                account.failed_logins = (account.failed_logins or 0) + 1
            _login_event(session, "applicant.login_failed", now, account, address, reason=reason)
            pause = lock_seconds(account.failed_logins) if account is not None else None
            if pause:
                account.locked_until = now + timedelta(seconds=pause)
                _login_event(session, "applicant.locked", now, account, address, seconds=str(pause))
            raise Unauthenticated(FAILED_LOGIN)
        account.failed_logins, account.locked_until = 0, None
        _login_event(session, "applicant.login", now, account, address)
        return account

    def register(self, session: Session, registration: Registration, now: datetime) -> ApplicantAccount:
        """A new local account; Invalid when a field is wrong or the email is already registered."""
        r = registration
        email = normalise_email(r.email)
        errors = _check(r, email)
        if not errors and session.scalar(select(func.count(ApplicantAccount.id))
                                         .where(ApplicantAccount.email == email)):
            errors["email"] = "Email này đã được đăng ký; hãy đăng nhập."
        if errors:
            raise Invalid("Thông tin đăng ký chưa hợp lệ", errors)
        account = ApplicantAccount(email=email, full_name=clean_text(r.full_name), id_number=r.id_number.strip() or None,
                                   phone=r.phone.strip() or None, address=clean_text(r.address) or None,
                                   password_hash=hash_password(r.password), provider=self.name, active=True,
                                   created_at=now)
        session.add(account)
        session.flush()
        events.record(session, "applicant.registered", now, message=email, account_id=account.id)
        return account


FAILED_LOGIN = ("Email hoặc mật khẩu không đúng; sau nhiều lần nhập sai, tài khoản tạm khóa ít phút, "
                "hãy thử lại sau")


def _login_event(session: Session, kind: str, now: datetime, account: ApplicantAccount | None, email: str,
                 **payload: str) -> None:
    events.record(session, kind, now, message=email[:80], email=email[:80],
                  account_id=account.id if account is not None else None, **payload)


def _check(r: Registration, email: str) -> dict[str, str]:
    errors = {}
    if not is_email(email):
        errors["email"] = "Địa chỉ email không hợp lệ."
    if not r.full_name.strip():
        errors["full_name"] = "Cần họ và tên."
    for key, limit in (("full_name", NAME_LIMIT), ("email", NAME_LIMIT), ("address", 500)):
        problem = text_problem(getattr(r, key), limit)
        if problem:
            errors[key] = problem
    if len(r.password or "") < MIN_PASSWORD:
        errors["password"] = f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự."
    if r.id_number.strip() and not is_citizen_id(r.id_number.strip()):
        errors["id_number"] = "Số định danh cá nhân gồm đúng 12 chữ số."
    if r.phone.strip() and not is_phone(r.phone.strip()):
        errors["phone"] = "Số điện thoại không hợp lệ."
    return errors


def provider(name: str = "local") -> IdentityProvider:
    """The identity provider configured by name (only "local" exists yet)."""
    if name != "local":
        raise ValueError(f"unknown identity provider {name!r}")
    return LocalIdentityProvider()
