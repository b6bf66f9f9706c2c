"""Database plumbing: the declarative base, engines and sessions."""
from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy import JSON, DateTime, Index, MetaData, String, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes stored as UTC on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        from datetime import UTC

        return value.astimezone(UTC) if dialect.name == "postgresql" else value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        from datetime import UTC

        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class StrEnumType(TypeDecorator):
    """A `StrEnum` stored as its string (VARCHAR of `length`): the same column, read back as the enum.

    A value outside the enum is refused before it reaches the database."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Any) -> StrEnum | None:
        return None if value is None else self.enum(value)


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSONType, list[Any]: JSONType, datetime: UTCDateTime}


POSTGRESQL_ONLY = "postgresql_only"


def postgresql_only(index: Index) -> Index:
    """An index only PostgreSQL has (a trigram GIN index): created there, skipped elsewhere and by the
    schema comparison on other databases (`include_object_for`)."""
    index.info[POSTGRESQL_ONLY] = True
    return index.ddl_if(dialect="postgresql")


def include_object_for(dialect: str):
    """Alembic's `include_object` filter for a database of `dialect`: PostgreSQL-only indexes are not
    expected on the others."""
    def include(obj, _name, type_, _reflected, _compare_to) -> bool:
        return dialect == "postgresql" or not (type_ == "index" and obj.info.get(POSTGRESQL_ONLY))
    return include


def json_dumps(value: Any) -> str:
    """JSON text of a value for the database: orjson (several times faster than the standard library on
    workflow states), the standard library for what orjson refuses (integers beyond 64 bits)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return json.dumps(value)


# What the web app and the scheduler set on every PostgreSQL connection, so that one held row lock, one slow
# query or one forgotten transaction cannot make the whole site stop answering (a lock wait past
# lock_timeout fails with SQLSTATE 55P03, which the web app answers with 409).
SERVING_TIMEOUTS = {"lock_timeout": "5s", "statement_timeout": "30s", "idle_in_transaction_session_timeout": "60s"}


def pg_options(timeouts: dict[str, str]) -> str:
    """libpq's `options` for these settings: `-c lock_timeout=5s -c …`."""
    return " ".join(f"-c {name}={value}" for name, value in timeouts.items() if value)


def make_engine(url: str, timeouts: dict[str, str] | None = None, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout. JSON columns go through orjson.

    `timeouts` (e.g. SERVING_TIMEOUTS) are set on every PostgreSQL connection; on SQLite its
    `lock_timeout` (in seconds, "5s") replaces the 30-second busy timeout.
    """
    kwargs.setdefault("json_serializer", json_dumps)
    kwargs.setdefault("json_deserializer", orjson.loads)
    if url.startswith("sqlite"):
        busy = str((timeouts or {}).get("lock_timeout") or "30s")
        seconds = float(busy[:-2]) / 1000 if busy.endswith("ms") else float(busy.rstrip("s"))
        kwargs.setdefault("connect_args", {"timeout": seconds})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if timeouts:
        kwargs.setdefault("connect_args", {})["options"] = pg_options(timeouts)
    return create_engine(url, **kwargs)


_MEMO_KEY = "motcua.transaction_memo"


def transaction_memo(session: Session) -> dict:
    """A dict that lives as long as the session's current transaction: what one statement read once, for the
    calls after it (the step's lock reads the calendar revision and the workflow state with the dossier).

    Outside a transaction it is a new, empty dict each time.
    """
    transaction = session.get_transaction()
    if transaction is None:
        return {}
    memo = session.info.get(_MEMO_KEY)
    if memo is None or memo[0] is not transaction:
        memo = (transaction, {})
        session.info[_MEMO_KEY] = memo
    return memo[1]


def make_session_factory(engine: Engine) -> sessionmaker:
    """A session factory whose sessions keep objects usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def insert_rows(session: Session, statement: Any, rows: list[dict]) -> None:
    """Send an INSERT of `rows` on the session's connection, now (nothing else is flushed for it). One row goes
    as a single execute: SQLAlchemy sends a list, even of one, down its slower executemany path."""
    if rows:
        session.connection().execute(statement, rows[0] if len(rows) == 1 else rows)
