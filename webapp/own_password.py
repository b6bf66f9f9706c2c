"""Đổi mật khẩu: an official's own password page, and the rule that an account whose password an admin set
(engine.org.own_password) sees only this page until it has chosen its own.

The routes hang on the auth blueprint; `init_app` adds the check before each request."""
from __future__ import annotations

from flask import Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.ground.errors import DomainError
from engine.org.own_password import MIN_LENGTH, change_own_password
from webapp.auth import SessionUser, bp, official, start_session
from webapp.db import get_session, now
from webapp.helpers import home_url

FREE = {"static", "auth.password_page", "auth.password_change", "auth.logout", "auth.login_page"}
NOT_ASKED_ON = {"api", "payment_gateway"}  # bearer tokens, signed callbacks, outside systems


def init_app(app: Flask) -> None:
    """Send a signed-in official who must change their password to the password page first."""
    app.before_request(ask_for_new_password)


def ask_for_new_password():
    """303 to /account/password while the signed-in official still has the password an admin set."""
    if (not current_user.is_authenticated or current_user.kind != "official" or request.endpoint in FREE
            or request.blueprint in NOT_ASKED_ON or (request.blueprint or "").startswith("sim_")
            or not current_user.user.must_change_password):
        return None
    return redirect(url_for("auth.password_page"), 303)


@bp.get("/account/password")
@login_required
def password_page():
    """The form: current password, new one twice; when forced, why."""
    if current_user.kind != "official":
        abort(403)  # a citizen's account has its own pages
    return render_template("auth/password.html", errors={}, forced=official().must_change_password,
                           min_length=MIN_LENGTH, back=home_url())


@bp.post("/account/password")
@login_required
def password_change():
    """Change it: this browser stays signed in on a fresh session, every other session and token ends."""
    if current_user.kind != "official":
        abort(403)  # a citizen's account has its own pages
    session, user = get_session(), official()
    form = request.form
    try:
        change_own_password(session, user, form.get("current_password", ""), form.get("new_password", ""),
                            form.get("confirm_password", ""), now())
    except DomainError as err:
        session.commit()  # a wrong current password is counted, as at the login
        flash(err.message, "danger")
        return render_template("auth/password.html", errors=getattr(err, "fields", None) or {},
                               forced=user.must_change_password, min_length=MIN_LENGTH, back=home_url()), 422
    session.commit()
    start_session(SessionUser(user))
    flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc."), "success")
    return redirect(home_url())
