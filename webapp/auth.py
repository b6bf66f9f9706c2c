"""Đăng nhập: officials log in with a session cookie; every form carries a CSRF token."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user

from engine.ground.errors import DomainError
from engine.models import ApplicantAccount, User
from engine.org.accounts import end_sessions, has_role, login, user_with_grants
from webapp.db import get_session, now
from webapp.login_throttle import throttled

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login_page"
login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
login_manager.localize_callback = str  # the lazy message, in the language of the request that flashes it
login_manager.login_message_category = "warning"


class SessionUser:
    """Flask-Login's view of one of our users (an official): session id "<id>.<session version>".

    The version is the account's session_version when the session began; once it moves on (logout,
    password change, deactivation, role change: engine.org.accounts.end_sessions), load_user refuses
    the session at its next request.
    """

    kind = "official"

    def __init__(self, user: User) -> None:
        self.user = user
        self.is_authenticated, self.is_active, self.is_anonymous = True, user.active, False

    def get_id(self) -> str:
        return f"{self.user.id}.{self.user.session_version or 0}"

    def __getattr__(self, name: str):
        return getattr(self.user, name)


class ApplicantSessionUser(SessionUser):
    """Flask-Login's view of an applicant's account: session id "a:<id>.<version>", never an official."""

    kind = "applicant"

    def get_id(self) -> str:
        return f"{APPLICANT_PREFIX}{self.user.id}.{self.user.session_version or 0}"


APPLICANT_PREFIX = "a:"


def _id_and_version(text: str) -> tuple[int, int] | None:
    number, dot, version = text.partition(".")
    return (int(number), int(version)) if dot and number.isdigit() and version.isdigit() else None


@login_manager.user_loader
def load_user(user_id: str) -> SessionUser | None:
    """The session's account, while it is active and its session version has not moved on."""
    applicant = user_id.startswith(APPLICANT_PREFIX)
    parsed = _id_and_version(user_id[len(APPLICANT_PREFIX):] if applicant else user_id)
    if parsed is None:
        return None
    number, version = parsed
    account = get_session().get(ApplicantAccount, number) if applicant else user_with_grants(get_session(), number)
    if account is None or not account.active or (account.session_version or 0) != version:
        return None
    return ApplicantSessionUser(account) if applicant else SessionUser(account)


KEPT_AT_LOGIN = ("lang",)


def start_session(account: SessionUser) -> None:
    """Log in on a fresh session: nothing of the anonymous one (its CSRF token included) carries over but
    the chosen language."""
    kept = {key: flask_session[key] for key in KEPT_AT_LOGIN if key in flask_session}
    flask_session.clear()
    flask_session.update(kept)
    login_user(account)


def end_session() -> None:
    """Log out everywhere: the account's session version moves on, so its other sessions and tokens end too."""
    if current_user.is_authenticated:
        end_sessions(current_user.user)
        get_session().commit()
    logout_user()


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
@throttled
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
        start_session(SessionUser(user))
        flash(_("Xin chào %(name)s.", name=user.full_name), "success")
        from webapp.helpers import safe_next  # helpers stand on this module's official()

        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", username="")


@bp.post("/logout")
@login_required
def logout():
    """Log out (a POST with the CSRF token): every session and token of the account ends."""
    end_session()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login_page"))
