"""Quản trị người dùng: accounts, passwords and role grants, each within the admin's part of the tree.

Rules: an admin sees a user who holds a role in one of the units they administer; grants and
revokes roles only in those units; and changes the account itself (name, password, active) only
when every role the user holds lies in those units, so that a ward's admin cannot lock out a
city official who also works in the ward. A role whose effect reaches beyond the unit it is held in
(GLOBAL_ROLES: an analyst drafts processes that every unit offering the procedure runs) is granted
only by an admin of a top-level unit; every other role acts only in its unit and below, so a ward's
admin may grant it in the ward. Every action is an event; the caller commits.
"""
from __future__ import annotations

import difflib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.ground import events
from engine.ground.errors import Forbidden, Invalid, NotFound
from engine.ground.search_text import fold
from engine.ground.text import clean_text, text_problem
from engine.ground.vocabulary import ROLE_LABELS
from engine.models import RoleGrant, Unit, User
from engine.org.accounts import create_user, end_sessions, grant_role, home_unit
from engine.org.passwords import hash_password
from engine.org.tree import admin_scope, check_admin, is_global_admin, subtree_ids, within

ROLES = ROLE_LABELS
GLOBAL_ROLES = frozenset({"analyst"})
ROLE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,79}$")
PAGE_SIZE = 50


@dataclass(frozen=True)
class UserPage:
    """One page of the users an admin sees."""

    users: list[User]
    total: int
    page: int
    pages: int


def get_user_by_id(session: Session, user_id: int) -> User:
    """The user with this id; NotFound otherwise."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"Không có người dùng số {user_id}")
    return user


def list_users(session: Session, actor: User | None, search: str = "", unit: Unit | None = None,
               page: int = 1) -> UserPage:
    """The users the actor sees, by username, optionally matching text or holding a role under `unit`."""
    query = select(User)
    scope = admin_scope(session, actor)
    units = scope
    if unit is not None:
        below = subtree_ids(session, [unit.id])
        units = below if scope is None else below & scope
    if units is not None:
        query = query.where(User.id.in_(select(RoleGrant.user_id).where(RoleGrant.unit_id.in_(units))))
    text = fold(search)
    if text:  # names without diacritics too ("nguyen" finds Nguyễn): folded here, over the (few thousand) accounts
        rows = session.execute(query.with_only_columns(User.id, User.username, User.full_name)).all()
        query = query.where(User.id.in_([row.id for row in rows
                                         if text in row.username.lower() or text in fold(row.full_name)] or [-1]))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    users = list(session.scalars(query.order_by(User.username).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return UserPage(users, total, page, pages)


def may_view(session: Session, actor: User | None, user: User) -> bool:
    """Whether the actor administers a unit where the user holds a role."""
    scope = admin_scope(session, actor)
    return scope is None or any(g.unit_id in scope for g in user.grants)


def may_manage_account(session: Session, actor: User | None, user: User) -> bool:
    """Whether the actor administers every unit where the user holds a role."""
    scope = admin_scope(session, actor)
    return scope is None or (bool(user.grants) and all(g.unit_id in scope for g in user.grants))


def _check_account(session: Session, actor: User | None, user: User) -> None:
    if not may_manage_account(session, actor, user):
        raise Forbidden(f"Tài khoản {user.username} có vai trò ở đơn vị bạn không quản trị; "
                        "chỉ quản trị viên cấp trên được sửa tài khoản này")


def grantable_roles(actor: User | None) -> dict[str, str]:
    """The standard roles (code -> name) the actor may grant: all of them, less GLOBAL_ROLES below the top."""
    return {code: name for code, name in ROLES.items() if code not in GLOBAL_ROLES or is_global_admin(actor)}


def _check_role(role: str, actor: User | None = None) -> str:
    role = role.strip() if isinstance(role, str) else ""
    if not ROLE_RE.match(role):
        raise Invalid("Vai trò không hợp lệ", {"role": "Mã vai trò gồm chữ thường không dấu, số và dấu gạch dưới "
                                                        "(_), ví dụ mot_cua, chuyen_vien."})
    typo = _standard_role_like(role)
    if typo is not None:  # "motcua" would be a role of its own that no step asks for: the admin meant another
        raise Invalid(f"Vai trò {role} gần giống vai trò chuẩn {typo} ({ROLES[typo]}): hãy nhập đúng mã vai trò",
                      {"role": f"Có phải ý bạn là {typo} ({ROLES[typo]})? Hãy nhập đúng mã vai trò."})
    if role in GLOBAL_ROLES and not is_global_admin(actor):
        raise Forbidden(f"Vai trò {ROLES.get(role, role)} có tác dụng ngoài đơn vị; "
                        "chỉ quản trị viên cấp tỉnh, thành phố được cấp vai trò này")
    return role


def _standard_role_like(role: str) -> str | None:
    """The standard role a role code not among them is a near miss of ("motcua", "chuyenvien"), if any."""
    if role in ROLES:
        return None
    plain = role.replace("_", "")
    near = [code for code in ROLES if code.replace("_", "") == plain]
    near = near or difflib.get_close_matches(role, list(ROLES), n=1, cutoff=0.8)
    return near[0] if near else None


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_problem(email: str) -> str | None:
    """Why an email address cannot be kept (None when it can, or is left empty)."""
    email = (email or "").strip()
    if not email:
        return None
    if EMAIL_RE.match(email) is None:
        return "Thư điện tử chưa đúng dạng, ví dụ ten@donvi.gov.vn."
    return text_problem(email)


def account_problems(session: Session, actor: User | None, username: str, full_name: str, email: str,
                     password: str, role: str) -> dict[str, str]:
    """Every bad field of a new account, at once (a role only the city may grant still raises Forbidden)."""
    errors = {}
    if not USERNAME_RE.match(username.strip()):
        errors["username"] = "Tên đăng nhập gồm chữ không dấu, số, dấu chấm hoặc gạch, 2 đến 80 ký tự."
    elif session.scalar(select(User.id).where(func.lower(User.username) == username.strip().lower())) is not None:
        errors["username"] = "Tên đăng nhập đã tồn tại (không phân biệt chữ hoa, chữ thường)."
    if not " ".join(full_name.split()):
        errors["full_name"] = "Cần họ và tên."
    elif text_problem(full_name):
        errors["full_name"] = text_problem(full_name)
    if email_problem(email):
        errors["email"] = email_problem(email)
    if len(password) < 8:
        errors["password"] = "Mật khẩu cần ít nhất 8 ký tự."
    try:
        _check_role(role, actor)
    except Invalid as err:
        errors.update(err.fields)
    return errors


def create_account(session: Session, actor: User | None, username: str, full_name: str, email: str,
                   password: str, unit: Unit, role: str, now: datetime) -> User:
    """Tạo người dùng: a new account with its first role, in a unit the actor administers."""
    check_admin(actor, unit)
    errors = account_problems(session, actor, username, full_name, email, password, role)
    if errors:  # every bad field at once, before anything is written
        raise Invalid("Thông tin người dùng chưa hợp lệ", errors)
    role = _check_role(role, actor)
    user = create_user(session, username.strip(), clean_text(full_name), password, now,
                       email.strip() or None)
    user.must_change_password = True  # the admin knows it: the user chooses their own at first login
    grant_role(session, user, unit, role)
    session.refresh(user, ["grants"])
    events.record(session, "user.created", now, user=actor, unit_id=unit.id, message=user.username,
                  username=user.username, role=role, unit=unit.code)
    return user


def update_account(session: Session, actor: User | None, user: User, full_name: str, email: str,
                   now: datetime) -> User:
    """Sửa thông tin: the user's full name and email."""
    _check_account(session, actor, user)
    name = clean_text(full_name)
    if not name:
        raise Invalid("Cần họ và tên", {"full_name": "Cần họ và tên."})
    problems = {"full_name": text_problem(full_name), "email": email_problem(email)}
    if any(problems.values()):
        raise Invalid("Thông tin người dùng chưa hợp lệ", {k: v for k, v in problems.items() if v})
    changes = {k: [old, new] for k, old, new in (("full_name", user.full_name, name),
                                                  ("email", user.email, email.strip() or None)) if old != new}
    user.full_name, user.email = name, email.strip() or None
    if changes:
        events.record(session, "user.updated", now, user=actor, unit_id=home_unit(user), message=user.username,
                      username=user.username, changes=changes)
    return user


def set_active(session: Session, actor: User | None, user: User, active: bool, now: datetime) -> User:
    """Khóa / mở khóa tài khoản: a deactivated user can no longer log in nor use a token."""
    _check_account(session, actor, user)
    if actor is not None and actor.id == user.id and not active:
        raise Invalid("Không thể tự khóa tài khoản của mình")
    if user.active != active:
        user.active = active
        end_sessions(user)
        if active:
            user.failed_logins, user.locked_until = 0, None
        events.record(session, "user.reactivated" if active else "user.deactivated", now, user=actor,
                      unit_id=home_unit(user), message=user.username, username=user.username)
    return user


def reset_password(session: Session, actor: User | None, user: User, now: datetime, password: str = "") -> str:
    """Đặt lại mật khẩu: the given one or a generated one (returned, to hand over once); clears lockouts."""
    _check_account(session, actor, user)
    password = password or secrets.token_urlsafe(9)
    if len(password) < 8:
        raise Invalid("Mật khẩu cần ít nhất 8 ký tự", {"password": "Mật khẩu cần ít nhất 8 ký tự."})
    user.password_hash = hash_password(password)
    user.must_change_password = True
    end_sessions(user)
    user.failed_logins, user.locked_until = 0, None
    events.record(session, "user.password_reset", now, user=actor, unit_id=home_unit(user), message=user.username,
                  username=user.username)
    return password


def add_grant(session: Session, actor: User | None, user: User, unit: Unit, role: str, now: datetime) -> RoleGrant:
    """Cấp vai trò: the user holds `role` in `unit` (which the actor administers); idempotent."""
    check_admin(actor, unit)
    role = _check_role(role, actor)
    if any(g.role == role and g.unit_id == unit.id for g in user.grants):
        return next(g for g in user.grants if g.role == role and g.unit_id == unit.id)
    grant = grant_role(session, user, unit, role)
    end_sessions(user)
    session.refresh(user, ["grants"])
    events.record(session, "role.granted", now, user=actor, unit_id=unit.id, message=f"{user.username}: {role}",
                  username=user.username, role=role, unit=unit.code)
    return grant


def revoke_grant(session: Session, actor: User | None, grant: RoleGrant, now: datetime) -> None:
    """Thu hồi vai trò: in a unit the actor administers; an admin cannot take away their own admin role."""
    check_admin(actor, grant.unit)
    if actor is not None and grant.user_id == actor.id and grant.role == "admin":
        raise Invalid("Không thể tự thu hồi quyền quản trị của mình")
    user, role, unit = grant.user, grant.role, grant.unit
    end_sessions(user)
    session.delete(grant)
    session.flush()
    session.refresh(user, ["grants"])
    events.record(session, "role.revoked", now, user=actor, unit_id=unit.id, message=f"{user.username}: {role}",
                  username=user.username, role=role, unit=unit.code)


def get_grant(session: Session, grant_id: int) -> RoleGrant:
    """The role grant with this id; NotFound otherwise."""
    grant = session.get(RoleGrant, grant_id)
    if grant is None:
        raise NotFound(f"Không có vai trò số {grant_id}")
    return grant


def visible_grants(session: Session, actor: User | None, user: User) -> list[tuple[RoleGrant, bool]]:
    """The user's grants, each with whether the actor may revoke it."""
    scope = admin_scope(session, actor)
    return [(g, within(scope, g.unit_id)) for g in sorted(user.grants, key=lambda g: (g.unit.code, g.role))]
