"""Bearer tokens: signed, time-limited, naming the user."""
from __future__ import annotations

from functools import wraps

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from engine.ground.errors import DomainError, Invalid, Unauthenticated
from engine.models import User
from engine.org.accounts import login, user_with_grants
from webapp.api import bp
from webapp.db import get_session, now
from webapp.login_throttle import throttled

SALT = "motcua-api-token"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue_token(user: User) -> str:
    """A bearer token for the user."""
    return _serializer().dumps({"u": user.id, "v": user.session_version or 0})


def current_user() -> User:
    """The user of the request's bearer token; Unauthenticated without a valid one."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise Unauthenticated("Cần đăng nhập: thiếu mã truy cập (Authorization: Bearer …)")
    try:
        payload = _serializer().loads(header[7:].strip(), max_age=current_app.config["TOKEN_MAX_AGE"])
    except BadSignature as err:
        raise Unauthenticated("Mã truy cập không hợp lệ hoặc đã hết hạn") from err
    # the grants in the same statement (joined), not in a second one as User.grants' selectin would
    user = user_with_grants(get_session(), payload.get("u"))
    if user is None or not user.active:
        raise Unauthenticated("Tài khoản không còn hoạt động")
    if payload.get("v") != (user.session_version or 0):  # logged out, password or roles changed since
        raise Unauthenticated("Mã truy cập đã hết hiệu lực; hãy lấy mã mới")
    return user


def login_required(view):
    """Run the view with `g.user` set from the bearer token."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        g.user = current_user()
        return view(*args, **kwargs)
    return wrapped


def json_body() -> dict:
    """The request's JSON object; Invalid when the body is not one."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("Nội dung yêu cầu phải là một đối tượng JSON", {"body": "Cần JSON dạng {…}."})
    return body


@bp.post("/auth/token")
@throttled
def token():
    """Exchange a username and password for a bearer token."""
    body, session = json_body(), get_session()
    try:
        user = login(session, str(body.get("username") or ""), str(body.get("password") or ""), now(),
                     via="api")
    except DomainError:
        session.commit()  # failures are counted even though the login is refused
        raise
    session.commit()
    return {"token": issue_token(user), "token_type": "Bearer", "username": user.username,
            "expires_in": current_app.config["TOKEN_MAX_AGE"]}
