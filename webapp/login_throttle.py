"""Login throttling: per client address and for everyone, counted in the database so that every worker
shares the count (engine.org.throttle); the official's login, the applicant's and `/api/v1/auth/token`.

Past LOGIN_RATE_PER_ADDRESS attempts from one address in LOGIN_RATE_WINDOW seconds, or
LOGIN_RATE_GLOBAL from everyone, an attempt is refused with 429 and Retry-After before any password
is checked. The client address is the request's (werkzeug's ProxyFix, when the app is configured
behind a trusted proxy, sets it from X-Forwarded-For).
"""
from __future__ import annotations

import math
from functools import wraps

from flask import current_app, request
from flask_babel import gettext as _

from engine.org.throttle import count_hit
from webapp.db import now

PER_ADDRESS, GLOBAL, WINDOW = 20, 600, 60


def _limits() -> tuple[int, int, int]:
    config = current_app.config
    return (int(config.get("LOGIN_RATE_PER_ADDRESS", PER_ADDRESS)), int(config.get("LOGIN_RATE_GLOBAL", GLOBAL)),
            int(config.get("LOGIN_RATE_WINDOW", WINDOW)))


def retry_after() -> int | None:
    """Count this attempt; the seconds to wait when a limit is used up, else None."""
    per_address, overall, window = _limits()
    moment = now()
    with current_app.extensions["motcua"]["sessions"]() as session:
        mine, ends = count_hit(session, f"login:addr:{request.remote_addr or '?'}", moment, window)
        everyone, _ends = count_hit(session, "login:all", moment, window)
        session.commit()
    if mine > per_address or everyone > overall:
        return max(1, math.ceil((ends - moment).total_seconds()))
    return None


def throttled(view):
    """A login view (POST only) behind the shared limits: 429 in Vietnamese, with Retry-After."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if request.method == "POST":
            wait = retry_after()
            if wait is not None:
                from webapp.errors import answer

                body, status = answer(429, "too_many_requests",
                                      _("Có quá nhiều lần đăng nhập; hãy thử lại sau %(seconds)d giây.", seconds=wait))
                response = current_app.make_response((body, status))
                response.headers["Retry-After"] = str(wait)
                return response
        return view(*args, **kwargs)
    return wrapped
