"""Bearer tokens: signed, time-limited, naming the user.

A token lives TOKEN_MAX_AGE seconds (one hour, webapp.security.TOKEN_LIFETIME). A client renews a live
token at POST /auth/refresh; renewal stops TOKEN_RENEW_LIMIT after the password was given (the token
carries that moment), and an expired token cannot be renewed: both answer 401 in Vietnamese.
"""
from __future__ import annotations

from functools import wraps

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from engine.ground.errors import DomainError, Forbidden, Invalid, Unauthenticated
from engine.models import User
from engine.org.accounts import login, user_with_grants
from webapp.api import bp
from webapp.db import get_session, now
from webapp.login_throttle import throttled

SALT = "motcua-api-token"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue_token(user: User, authenticated_at: int | None = None) -> str:
    """A bearer token for the user; `authenticated_at` (Unix seconds) is when the password was given."""
    moment = int(now().timestamp())  # the app's clock (NOW), which tests may set, not itsdangerous' wall clock
    return _serializer().dumps({"u": user.id, "v": user.session_version or 0, "t": moment,
                                "a": moment if authenticated_at is None else authenticated_at})


def _payload() -> dict:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise Unauthenticated("Cần đăng nhập: thiếu mã truy cập (Authorization: Bearer …)")
    serializer, token_text = _serializer(), header[7:].strip()
    try:
        payload = serializer.loads(token_text)
    except BadSignature as err:
        raise Unauthenticated("Mã truy cập không hợp lệ") from err
    issued = payload.get("t") if isinstance(payload, dict) else None
    if not isinstance(issued, int) or not -60 <= now().timestamp() - issued <= current_app.config["TOKEN_MAX_AGE"]:
        raise Unauthenticated("Mã truy cập đã hết hạn; hãy đăng nhập lại hoặc gia hạn trước khi hết hạn")
    return payload


def current_user(payload: dict | None = None) -> User:
    """The user of the request's bearer token; Unauthenticated without a valid one."""
    payload = payload if payload is not None else _payload()
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
    if user.must_change_password:  # a password an admin set opens the password page only (webapp.own_password)
        raise Forbidden("Mật khẩu của tài khoản do quản trị viên đặt: hãy đăng nhập trang web và đổi mật khẩu "
                        "trước khi dùng API")
    return _token_answer(user, issue_token(user))


def _token_answer(user: User, token_text: str) -> dict:
    return {"token": token_text, "token_type": "Bearer", "username": user.username,
            "expires_in": current_app.config["TOKEN_MAX_AGE"]}


@bp.post("/auth/refresh")
def refresh():
    """A new token for a live one, until TOKEN_RENEW_LIMIT after the password was given; 401 after."""
    payload = _payload()
    user = current_user(payload)
    authenticated_at = int(payload.get("a") or 0)
    if now().timestamp() - authenticated_at > current_app.config["TOKEN_RENEW_LIMIT"]:
        raise Unauthenticated("Đã quá thời gian gia hạn mã truy cập; hãy đăng nhập lại bằng mật khẩu")
    return _token_answer(user, issue_token(user, authenticated_at))
