"""Rate limits that every worker shares: hits counted per key and fixed window in the database.

One row per (key, window start); a hit is one upsert that returns the window's count, so that several
gunicorn workers (and several machines on one PostgreSQL) see the same count. Windows older than
KEEP are deleted whenever a key opens a new window.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from engine.models import RateLimitHit

KEEP = timedelta(hours=1)


def window_of(now: datetime, seconds: int) -> datetime:
    """The start of the fixed window of `seconds` that holds `now`."""
    stamp = int(now.timestamp()) // seconds * seconds
    return datetime.fromtimestamp(stamp, UTC)


def count_hit(session: Session, key: str, now: datetime, seconds: int) -> tuple[int, datetime]:
    """Count one hit of `key` in the current window; returns the window's count and when it ends."""
    start = window_of(now, seconds)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(RateLimitHit).values(key=key[:200], window_start=start, count=1)
    statement = statement.on_conflict_do_update(index_elements=["key", "window_start"],
                                                set_={"count": RateLimitHit.count + 1})
    count = session.execute(statement.returning(RateLimitHit.count)).scalar_one()
    if count == 1:
        session.execute(delete(RateLimitHit).where(RateLimitHit.window_start < now - KEEP))
    return count, start + timedelta(seconds=seconds)
