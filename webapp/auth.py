"""Đăng nhập: officials log in with a session cookie; every form carries a CSRF token."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user

from engine.ground.errors import DomainError
from engine.models import ApplicantAccount, User
from engine.org.accounts import has_role, login, user_with_grants
from webapp.db import get_session, now

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login_page"
login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
login_manager.localize_callback = str  # the lazy message, in the language of the request that flashes it
login_manager.login_message_category = "warning"


class SessionUser:
    """Flask-Login's view of one of our users (an official): session id "<id>"."""

    kind = "official"

    def __init__(self, user: User) -> None:
        self.user = user
        self.is_authenticated, self.is_active, self.is_anonymous = True, user.active, False

    def get_id(self) -> str:
        return str(self.user.id)

    def __getattr__(self, name: str):
        return getattr(self.user, name)


class ApplicantSessionUser(SessionUser):
    """Flask-Login's view of an applicant's account: session id "a:<id>", never an official."""

    kind = "applicant"

    def get_id(self) -> str:
        return f"{APPLICANT_PREFIX}{self.user.id}"


APPLICANT_PREFIX = "a:"


@login_manager.user_loader
def load_user(user_id: str) -> SessionUser | None:
    if user_id.startswith(APPLICANT_PREFIX):
        number = user_id[len(APPLICANT_PREFIX):]
        account = get_session().get(ApplicantAccount, int(number)) if number.isdigit() else None
        return ApplicantSessionUser(account) if account is not None and account.active else None
    user = user_with_grants(get_session(), int(user_id)) if user_id.isdigit() else None
    return SessionUser(user) if user is not None and user.active else None


def official() -> User:
    """The logged-in official (the model object)."""
    return current_user.user


def role_required(*roles: str):
    """Views only for holders of one of `roles` (in any unit); 403 for the rest."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not any(has_role(official(), role) for role in roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate


@bp.route("/login", methods=["GET", "POST"])
def login_page():
    """The login form; a clear message on failure and a pause after repeated failures."""
    if request.method == "POST":
        session = get_session()
        username = request.form.get("username", "").strip()
        try:
            user = login(session, username, request.form.get("password", ""), now())
        except DomainError as err:
            session.commit()
            flash(err.message, "danger")
            return render_template("auth/login.html", username=username), 401
        session.commit()
        login_user(SessionUser(user))
        flash(_("Xin chào %(name)s.", name=user.full_name), "success")
        from webapp.helpers import safe_next  # helpers stand on this module's official()

        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", username="")


@bp.post("/logout")
@login_required
def logout():
    """Log out (a POST with the CSRF token)."""
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login_page"))
