"""A small in-process rate limiter: a fixed window per client address (one per worker process)."""
from __future__ import annotations

import threading
from datetime import datetime

from flask import current_app, request

from webapp.db import now


class FixedWindowLimiter:
    """At most `limit` hits per `window` seconds for each key; the window restarts when it ends."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._hits: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, at: datetime) -> bool:
        """Count a hit for `key` at `at`; False once the key has used up its window."""
        moment = at.timestamp()
        with self._lock:
            start, count = self._hits.get(key, (moment, 0))
            if moment - start >= self.window or moment < start:
                start, count = moment, 0
            self._hits[key] = (start, count + 1)
            if len(self._hits) > 10_000:  # forget old windows rather than grow without bound
                self._hits = {k: v for k, v in self._hits.items() if moment - v[0] < self.window}
            return count < self.limit


def lookup_allowed() -> bool:
    """Whether this client may look up one more dossier (config LOOKUP_RATE_LIMIT per LOOKUP_RATE_WINDOW s)."""
    store = current_app.extensions["motcua"]
    limiter = store.get("lookup_limiter")
    if limiter is None:
        limiter = store.setdefault("lookup_limiter", FixedWindowLimiter(
            int(current_app.config.get("LOOKUP_RATE_LIMIT", 30)), float(current_app.config.get("LOOKUP_RATE_WINDOW", 60))))
    return limiter.allow(request.remote_addr or "?", now())
