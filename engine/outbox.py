"""The outbox: outbound messages written in the same transaction as the change that causes them.

`enqueue` is idempotent by dedupe key (INSERT … ON CONFLICT DO NOTHING), so concurrent scheduler
runs write a message once. Delivery is a hook: until a sender is configured (SMTP, SMS adapters
come later) messages stay pending.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.models import OutboxMessage

log = logging.getLogger(__name__)

Sender = Callable[[OutboxMessage], None]
MAX_ATTEMPTS = 8
SENDER: Sender | None = None  # set by the deployment; None leaves messages pending


def enqueue(session: Session, kind: str, recipient: str, subject: str, body: str, dedupe_key: str,
            now: datetime, **refs: object) -> bool:
    """Write a pending message unless one with the same dedupe key exists; True if written.

    `refs` may name `user_id`, `dossier_id`, `task_id` and a `payload` dict.
    """
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    values = {"kind": kind, "recipient": recipient, "subject": subject, "body": body, "dedupe_key": dedupe_key,
              "state": "pending", "attempts": 0, "created_at": now, "next_attempt_at": now,
              "payload": refs.pop("payload", None) or {}, **refs}
    table = OutboxMessage.__table__
    stmt = (insert(table).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(table.c.id))
    return session.execute(stmt).first() is not None


def deliver_pending(session: Session, now: datetime, sender: Sender | None = None, limit: int = 100) -> int:
    """Hand due pending messages to `sender` (default: the configured one); returns how many were sent.

    A failure is retried with exponential back-off and marked failed after MAX_ATTEMPTS.
    """
    sender = sender or SENDER
    if sender is None:
        return 0
    due = session.scalars(select(OutboxMessage).where(
        OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)).all()
    sent = 0
    for message in due:
        message.attempts += 1
        try:
            sender(message)
        except Exception as err:  # noqa: BLE001 - any adapter failure is retried later
            message.last_error = str(err)[:2000]
            message.state = "failed" if message.attempts >= MAX_ATTEMPTS else "pending"
            message.next_attempt_at = now + timedelta(minutes=2 ** message.attempts)
            log.warning("outbox message %s to %s failed (attempt %s, %s): %s", message.id, message.recipient,
                        message.attempts, message.state, err)
            continue
        message.state, message.sent_at = "sent", now
        sent += 1
    return sent
