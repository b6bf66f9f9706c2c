"""The outbox: outbound messages written in the same transaction as the change that causes them.

`enqueue` is idempotent by dedupe key (INSERT … ON CONFLICT DO NOTHING), so concurrent scheduler
runs write a message once. Delivery is a hook: the caller passes the notification sender
(engine.messaging.delivery) and the integration adapters by outbox kind (engine.integrations), built
from configuration at the edge; a message that nobody passed in can deliver stays pending.
A failed attempt is retried with exponential back-off; after MAX_ATTEMPTS the message is dead
(dead letter), listed for admins (`troubled`) who may put it back (`retry`). Adapters send the
dedupe key as the idempotency key, so a message delivered twice is done once on the far side.

Delivery is at-least-once: the scheduler's job (`deliver_pending(..., commit=True)`) locks, sends and
marks one message per transaction, so a crash (kill -9) between a send and its commit re-sends that one
message, and only it, after restart. Email carries a Message-ID made from the dedupe key and the portal
gets it as Idempotency-Key, so the receiving side acts on a repeated delivery once
(tests/reliability/test_crash.py counts it).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.ground.db import insert_rows
from engine.ground.errors import Conflict, NotFound
from engine.integrations import national_registries
from engine.models import Dossier, OutboxMessage

log = logging.getLogger(__name__)

Sender = Callable[[OutboxMessage], None]
MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(hours=6)
# Delivered messages are kept this long (for the admins' look at what went out), then deleted by the
# scheduler: the event log keeps what happened for good; a city's delivered mail would otherwise grow by
# about 8 kB per dossier (bench/lifecycles.py's storage table) for ever.
RETENTION = timedelta(days=90)
RESULT_ISSUANCE = "result_issuance"  # an approved result waiting for its signature (engine.printing.issuance)
# Outbound calls to national systems (engine.integrations) and results to sign: never handed to the
# notification sender.
INTEGRATION_KINDS = frozenset({"national_portal", "postal", RESULT_ISSUANCE}) | national_registries.KINDS


@dataclass
class Message:
    """One outbound message to write: what `enqueue` takes as arguments."""

    kind: str
    recipient: str
    subject: str
    body: str
    dedupe_key: str
    user_id: int | None = None
    dossier_id: int | None = None
    task_id: int | None = None
    payload: dict = field(default_factory=dict)


def enqueue(session: Session, kind: str, recipient: str, subject: str, body: str, dedupe_key: str,
            now: datetime, **refs: object) -> bool:
    """Write a pending message unless one with the same dedupe key exists; True if written.

    `refs` may name `user_id`, `dossier_id`, `task_id` and a `payload` dict.
    """
    payload = refs.pop("payload", None) or {}
    message = Message(kind, recipient, subject, body, dedupe_key, payload=payload, **refs)  # type: ignore[arg-type]
    return bool(enqueue_all(session, [message], now))


def enqueue_all(session: Session, messages: list[Message], now: datetime) -> set[str]:
    """Write pending messages in one statement, each unless one with its dedupe key exists; the keys written."""
    if not messages:
        return set()
    rows = [_row(m, now) for m in messages]
    return set(session.scalars(_insert(session.get_bind().dialect.name), rows))


def write_all(session: Session, messages: list[Message], now: datetime) -> None:
    """`enqueue_all` for callers that need not know which were new: one statement without RETURNING, on the
    session's connection (nothing else is flushed for it)."""
    insert_rows(session, _insert(session.get_bind().dialect.name, returning=False), [_row(m, now) for m in messages])


def _row(message: Message, now: datetime) -> dict:
    return {**vars(message), "state": "pending", "attempts": 0, "created_at": now, "next_attempt_at": now}


@lru_cache(maxsize=4)
def _insert(dialect: str, returning: bool = True):
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING [RETURNING dedupe_key], built once per dialect."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = OutboxMessage.__table__
    statement = insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"])
    return statement.returning(table.c.dedupe_key) if returning else statement


def prune_sent(session: Session, now: datetime, keep: timedelta = RETENTION, batch: int = 1000) -> int:
    """Delete the messages delivered before `now - keep`, `batch` at a time, a transaction each; how many.

    Pending and dead messages stay whatever their age. A message is sent at or after its next attempt time,
    so the (state, next_attempt_at) index finds the old ones without reading the recent."""
    cutoff = now - keep
    table = OutboxMessage.__table__
    old = (select(table.c.id).where(table.c.state == "sent", table.c.next_attempt_at < cutoff,
                                    table.c.sent_at < cutoff).limit(batch))
    deleted = 0
    while True:
        ids = list(session.scalars(old))
        if not ids:
            return deleted
        session.execute(delete(table).where(table.c.id.in_(ids)))
        session.commit()
        deleted += len(ids)


def handler_for(kind: str, default: Sender | None, adapters: Mapping[str, Sender]) -> Sender | None:
    """Who delivers a message of `kind`: its integration adapter, else (for notifications) the default sender."""
    if kind in adapters:
        return adapters[kind]
    return None if kind in INTEGRATION_KINDS else default


def _due(session: Session, now: datetime, notifications: bool, adapters: Mapping[str, Sender],
         limit: int) -> list[OutboxMessage]:
    query = (select(OutboxMessage).where(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now)
             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    if notifications:
        query = query.where(OutboxMessage.kind.not_in(INTEGRATION_KINDS - set(adapters)))
    else:
        query = query.where(OutboxMessage.kind.in_(set(adapters)))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)  # two schedulers never hand over the same message
    return list(session.scalars(query))


def backoff(attempts: int) -> timedelta:
    """The wait before the next attempt: 2, 4, 8 … minutes, at most MAX_BACKOFF."""
    return min(timedelta(minutes=2 ** attempts), MAX_BACKOFF)


def deliver_pending(session: Session, now: datetime, sender: Sender | None = None, limit: int = 100,
                    adapters: Mapping[str, Sender] | None = None, commit: bool = False) -> int:
    """Hand due pending messages to their sender; returns how many were sent.

    Notifications go to `sender`, integration messages to their adapter in `adapters` (by kind); a
    message nobody can deliver stays pending. A failure
    is retried with exponential back-off and dead-lettered (state `dead`) after MAX_ATTEMPTS.
    `commit` takes, sends and marks one message per transaction (the scheduler's way: a crash then
    re-sends at most the message in flight); without it the caller commits the whole batch.
    """
    adapters = adapters or {}
    if sender is None and not adapters:
        return 0
    if commit:
        return _deliver_each(session, now, sender, limit, adapters)
    sent = 0
    for message in _due(session, now, sender is not None, adapters, limit):
        handler = handler_for(message.kind, sender, adapters)
        if handler is None:
            continue
        sent += attempt(message, handler, now)
    return sent


def _deliver_each(session: Session, now: datetime, sender: Sender | None, limit: int,
                  adapters: Mapping[str, Sender]) -> int:
    sent = 0
    session.commit()
    for _ in range(limit):
        due = _due(session, now, sender is not None, adapters, 1)
        handler = handler_for(due[0].kind, sender, adapters) if due else None
        if handler is None:
            break
        sent += attempt(due[0], handler, now)
        session.commit()
    return sent


def attempt(message: OutboxMessage, handler: Sender, now: datetime) -> int:
    """Hand one message to its handler: 1 and sent, or 0 with the error kept and the next attempt set."""
    message.attempts += 1
    try:
        handler(message)
    except Exception as err:  # noqa: BLE001 - any adapter failure is retried later
        message.last_error = str(err)[:2000] or type(err).__name__
        message.state = "dead" if message.attempts >= MAX_ATTEMPTS else "pending"
        message.next_attempt_at = now + backoff(message.attempts)
        log.warning("outbox message %s to %s failed (attempt %s, %s): %s", message.id, message.recipient,
                    message.attempts, message.state, err)
        return 0
    message.state, message.sent_at = "sent", now
    return 1


def retry(session: Session, message_id: int, now: datetime) -> OutboxMessage:
    """Gửi lại: put a dead (or retrying) message back in the queue for the next run, attempts reset."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound(f"Không có thư đi số {message_id}")
    if message.state == "sent":
        raise Conflict(f"Thư đi số {message_id} đã gửi xong; không gửi lại")
    message.state, message.attempts, message.next_attempt_at = "pending", 0, now
    return message


def troubled(session: Session, scope: set[int] | None = None, limit: int = 200) -> list[OutboxMessage]:
    """Messages an admin should see: dead ones and those still retrying after a failure, newest first.

    `scope` (unit ids, None for everywhere) keeps messages of dossiers handled in those units,
    and messages without a dossier only for admins of everywhere.
    """
    query = (select(OutboxMessage).where(or_(OutboxMessage.state == "dead", and_(
        OutboxMessage.state == "pending", OutboxMessage.attempts > 0)))
        .order_by(OutboxMessage.next_attempt_at.desc(), OutboxMessage.id.desc()).limit(limit))
    if scope is not None:
        query = query.join(Dossier, Dossier.id == OutboxMessage.dossier_id).where(Dossier.unit_id.in_(scope))
    return list(session.scalars(query))


def waiting(session: Session, scope: set[int] | None = None, limit: int = 200) -> list[OutboxMessage]:
    """Messages queued and not tried yet (no failure so far), oldest first, with the same `scope` as troubled()."""
    query = (select(OutboxMessage).where(OutboxMessage.state == "pending", OutboxMessage.attempts == 0)
             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    if scope is not None:
        query = query.join(Dossier, Dossier.id == OutboxMessage.dossier_id).where(Dossier.unit_id.in_(scope))
    return list(session.scalars(query))
