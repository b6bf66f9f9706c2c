"""Organisation units, users, role grants and authentication."""
from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, joinedload

from engine.ground import events
from engine.ground.errors import Invalid, NotFound, Unauthenticated
from engine.models import ApplicantAccount, RoleGrant, Unit, User
from engine.org.passwords import check_password, hash_password


def get_unit(session: Session, code: str) -> Unit:
    """The unit with this national agency code."""
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise NotFound(f"Không có đơn vị mã {code}")
    return unit


def ensure_unit(session: Session, code: str, name: str, level: str, parent: Unit | None = None,
                admin_code: str | None = None) -> Unit:
    """The unit with this code, created or updated to the given name, level and parent."""
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        unit = Unit(code=code, name=name, level=level)
        session.add(unit)
    unit.name, unit.level, unit.parent, unit.admin_code = name, level, parent, admin_code
    session.flush()
    return unit


def create_user(session: Session, username: str, full_name: str, password: str, now: datetime,
                email: str | None = None) -> User:
    """A new active user; Invalid when the username is taken or the password too short."""
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise Invalid(f"Tên đăng nhập {username} đã có", {"username": "Tên đăng nhập đã tồn tại."})
    if len(password) < 8:
        raise Invalid("Mật khẩu cần ít nhất 8 ký tự", {"password": "Mật khẩu cần ít nhất 8 ký tự."})
    user = User(username=username, full_name=full_name, email=email,
                password_hash=hash_password(password), created_at=now)
    session.add(user)
    session.flush()
    return user


def grant_role(session: Session, user: User, unit: Unit, role: str) -> RoleGrant:
    """Give the user a role in a unit (idempotent)."""
    grant = session.scalar(select(RoleGrant).where(
        RoleGrant.user_id == user.id, RoleGrant.unit_id == unit.id, RoleGrant.role == role))
    if grant is None:
        grant = RoleGrant(user=user, unit=unit, role=role)
        session.add(grant)
        session.flush()
    return grant


MAX_FAILURES = 5
LOCK_SECONDS = 60
MAX_LOCK_SECONDS = 3600
# one answer for a wrong password, an unknown name and a paused account: a caller learns nothing of which
FAILED_LOGIN = ("Tên đăng nhập hoặc mật khẩu không đúng; sau nhiều lần nhập sai, tài khoản tạm khóa "
                "ít phút, hãy thử lại sau")


def lock_seconds(failures: int) -> int | None:
    """How long the account pauses after `failures` wrong passwords in a row: none until MAX_FAILURES, then
    LOCK_SECONDS, doubling at each further MAX_FAILURES, at most MAX_LOCK_SECONDS."""
    if failures < MAX_FAILURES or failures % MAX_FAILURES:
        return None
    return min(LOCK_SECONDS * 2 ** (failures // MAX_FAILURES - 1), MAX_LOCK_SECONDS)


def login(session: Session, username: str, password: str, now: datetime, via: str = "web") -> User:
    """Check credentials, counting failures: after five in a row the account pauses for a minute, after each
    further five for twice as long (lock_seconds); every failure gets the same answer (FAILED_LOGIN).

    Every attempt is an event (`auth.login`, `auth.login_failed` with the reason, `auth.locked` when the
    pause starts), `via` naming the door (web, api). The caller commits in every case, so that failures are counted even when this raises.
    """
    from datetime import timedelta

    user = session.scalar(select(User).where(User.username == username))
    if user is None and username:  # typed with other capitals ("Desk1"): the one account of that name, if only one
        alike = session.scalars(select(User).where(func.lower(User.username) == username.lower()).limit(2)).all()
        user = alike[0] if len(alike) == 1 else None
    if user is not None and user.locked_until is not None and user.locked_until > now:
        seconds = math.ceil((user.locked_until - now).total_seconds())
        _login_event(session, "auth.login_failed", now, user, username, via, reason="locked", seconds=str(seconds))
        raise Unauthenticated(FAILED_LOGIN)
    if not check_password(user.password_hash if user else None, password) or not user.active:
        reason = "unknown_user" if user is None else "inactive" if not user.active else "wrong_password"
        _login_event(session, "auth.login_failed", now, user, username, via, reason=reason)
        if user is not None:
            user.failed_logins += 1
            pause = lock_seconds(user.failed_logins)
            if pause:
                user.locked_until = now + timedelta(seconds=pause)
                _login_event(session, "auth.locked", now, user, username, via, seconds=str(pause))
        raise Unauthenticated(FAILED_LOGIN)
    user.failed_logins, user.locked_until = 0, None
    _login_event(session, "auth.login", now, user, username, via)
    return user


def _login_event(session: Session, kind: str, now: datetime, user: User | None, username: str, via: str,
                 **payload: str) -> None:
    events.record(session, kind, now, user=user, message=username[:80], username=username[:80], via=via, **payload)


# The grants bring their units: the worklist's "due soon" reads each unit's hours and lead without a statement.
_USER_WITH_GRANTS = (select(User).options(joinedload(User.grants).joinedload(RoleGrant.unit))
                     .where(User.id == bindparam("id")))


def end_sessions(account: User | ApplicantAccount) -> None:
    """Every session and bearer token of the account ends at its next request (its session version moves on);
    on logout, password change, deactivation and role change. The caller commits."""
    account.session_version = (account.session_version or 0) + 1


def home_unit(user: User) -> int | None:
    """The unit an account's events are filed under: that of its first role grant."""
    return user.grants[0].unit_id if user.grants else None


def user_with_grants(session: Session, user_id: object) -> User | None:
    """The user of an id with their role grants, in one statement built once (every request asks it)."""
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    return session.scalars(_USER_WITH_GRANTS, {"id": user_id}).unique().first()


def grants_of(user: User) -> set[tuple[str, int]]:
    """The (role, unit id) pairs the user holds."""
    return {(g.role, g.unit_id) for g in user.grants}


def has_role(user: User, role: str, unit_id: int | None = None) -> bool:
    """Whether the user holds the role (in the unit, when given)."""
    return any(g.role == role and (unit_id is None or g.unit_id == unit_id) for g in user.grants)
