"""Đổi mật khẩu: an official changes their own password.

A password an admin set (a new account's, or a reset) is known to two people, so the account must change it
at its next login (`User.must_change_password`); until then the web shows only this page. A wrong current
password counts as a failed login and pauses the account the same way, so the form cannot be used to guess it.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from engine.ground import events
from engine.ground.errors import Invalid
from engine.models import User
from engine.org.accounts import end_sessions, home_unit, lock_seconds
from engine.org.passwords import hash_password, verify_password

MIN_LENGTH, MAX_LENGTH = 8, 128


def new_password_problem(password: str, username: str) -> str | None:
    """What is wrong with a password an official chooses for themself, or None."""
    if len(password) < MIN_LENGTH:
        return f"Mật khẩu cần ít nhất {MIN_LENGTH} ký tự."
    if len(password) > MAX_LENGTH:
        return f"Mật khẩu dài quá {MAX_LENGTH} ký tự."
    if username and username.lower() in password.lower():
        return "Mật khẩu không được chứa tên đăng nhập."
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        return "Mật khẩu cần có cả chữ và số."
    return None


def change_own_password(session: Session, user: User, current: str, new: str, confirm: str,
                        now: datetime) -> None:
    """Check the current password and set the new one; every session and token of the account ends (the
    caller starts the one it is answering again). Invalid names every bad field at once. The caller commits
    in every case, so that a wrong current password is counted even though the change is refused."""
    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, round((user.locked_until - now).total_seconds() / 60))
        raise Invalid("Tài khoản đang tạm khóa do nhập sai mật khẩu nhiều lần",
                      {"current_password": f"Hãy thử lại sau khoảng {minutes} phút."})
    errors: dict[str, str] = {}
    if not current:
        errors["current_password"] = "Cần nhập mật khẩu hiện tại."
    elif not verify_password(user.password_hash, current):
        errors["current_password"] = "Mật khẩu hiện tại không đúng."
        user.failed_logins += 1
        pause = lock_seconds(user.failed_logins)
        if pause:
            user.locked_until = now + timedelta(seconds=pause)
        events.record(session, "auth.password_change_failed", now, user=user, unit_id=home_unit(user),
                      message=user.username, username=user.username)
    problem = new_password_problem(new, user.username)
    if problem:
        errors["new_password"] = problem
    elif "current_password" not in errors and verify_password(user.password_hash, new):
        errors["new_password"] = "Mật khẩu mới phải khác mật khẩu hiện tại."
    if not confirm:
        errors["confirm_password"] = "Cần nhập lại mật khẩu mới."
    elif new != confirm:
        errors["confirm_password"] = "Nhập lại chưa khớp với mật khẩu mới."
    if errors:
        raise Invalid("Chưa đổi được mật khẩu", errors)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.failed_logins, user.locked_until = 0, None
    end_sessions(user)
    events.record(session, "user.password_changed", now, user=user, unit_id=home_unit(user),
                  message=user.username, username=user.username)
