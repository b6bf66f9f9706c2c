"""Rate limits shared by every worker (counted in the database, engine.org.throttle): the public lookup
per client address, and online submission per applicant account.

The client address is the request's; behind a reverse proxy it is the one X-Forwarded-For names only
when the peer is a configured trusted proxy (webapp.proxy).
"""
from __future__ import annotations

import math

from flask import current_app, request

from engine.org.throttle import count_hit
from webapp.db import now

LOOKUP_LIMIT, LOOKUP_WINDOW = 30, 60
SUBMIT_LIMIT, SUBMIT_WINDOW = 10, 3600  # per account and step (check-and-upload, send): ten dossiers an hour


def hit(key: str, limit: int, window: int) -> int | None:
    """Count one hit of `key` (in its own transaction); the seconds to wait once past `limit`, else None."""
    moment = now()
    with current_app.extensions["motcua"]["sessions"]() as session:
        count, ends = count_hit(session, key, moment, window)
        session.commit()
    if count > limit:
        return max(1, math.ceil((ends - moment).total_seconds()))
    return None


def lookup_allowed() -> bool:
    """Whether this client may look up one more dossier (config LOOKUP_RATE_LIMIT per LOOKUP_RATE_WINDOW s)."""
    config = current_app.config
    return hit(f"lookup:addr:{request.remote_addr or '?'}", int(config.get("LOOKUP_RATE_LIMIT", LOOKUP_LIMIT)),
               int(config.get("LOOKUP_RATE_WINDOW", LOOKUP_WINDOW))) is None


def submission_wait(account_id: int, step: str) -> int | None:
    """Count one online-submission `step` (`upload` or `send`) of the account; seconds to wait once the
    account has used ONLINE_SUBMIT_LIMIT of that step in ONLINE_SUBMIT_WINDOW seconds, else None."""
    config = current_app.config
    return hit(f"online:{step}:acct:{account_id}", int(config.get("ONLINE_SUBMIT_LIMIT", SUBMIT_LIMIT)),
               int(config.get("ONLINE_SUBMIT_WINDOW", SUBMIT_WINDOW)))
