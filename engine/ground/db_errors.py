"""What a database error means for the person waiting: someone holds the row, the query took too long, or
the database is gone. Read from the driver's SQLSTATE (PostgreSQL) or message (SQLite)."""
from __future__ import annotations

from enum import StrEnum

from sqlalchemy.exc import DBAPIError


class DatabaseTrouble(StrEnum):
    """The kinds of database failure the web answers differently."""

    LOCKED = "locked"      # a lock wait ran out (lock_timeout, SQLite's busy timeout): 409, try again
    TIMEOUT = "timeout"    # statement_timeout or idle_in_transaction_session_timeout: 503
    LOST = "lost"          # no connection: 503


LOCK_STATES = {"55P03", "40P01"}              # lock_not_available, deadlock_detected
TIMEOUT_STATES = {"57014", "25P03"}           # query_canceled, idle_in_transaction_session_timeout


def classify(err: BaseException) -> DatabaseTrouble | None:
    """The kind of trouble behind a SQLAlchemy error, or None for an ordinary error (a bug, a constraint)."""
    if not isinstance(err, DBAPIError):
        return None
    original = err.orig
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    message = str(original).lower()
    if state in LOCK_STATES or "database is locked" in message:
        return DatabaseTrouble.LOCKED
    if state in TIMEOUT_STATES:
        return DatabaseTrouble.TIMEOUT
    if err.connection_invalidated or (state or "").startswith("08") or state is None and (
            "unable to open database" in message or "connection" in message or "server closed" in message):
        return DatabaseTrouble.LOST
    return None
