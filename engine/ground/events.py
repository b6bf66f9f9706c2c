"""The append-only event log: one row per action, with who, when and what.

`record` adds an ORM row, written at the next flush; `append` writes rows at once in one Core INSERT (no ORM
object, no RETURNING), for the step path, where nobody reads the rows back in the same transaction.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from engine.ground.db import insert_rows
from engine.models import Dossier, Event, User

_INSERT = insert(Event.__table__)


def record(session: Session, kind: str, now: datetime, *, dossier: Dossier | None = None,
           user: User | None = None, unit_id: int | None = None, message: str | None = None,
           **payload: Any) -> Event:
    """Append an event; JSON-unfriendly values in the payload are written as text."""
    event = Event(**_row(kind, now, dossier, user, unit_id, message, payload))
    session.add(event)
    return event


def append(session: Session, happened: Iterable[tuple[str, dict]], now: datetime, *, dossier: Dossier,
           user: User | None = None) -> None:
    """Write the events `happened` ((kind, payload) pairs) of one dossier now, in one statement.

    Events still waiting in the session for their flush are written first, so the log keeps the order in
    which things were recorded (and a dossier not written yet is written first, so that it has its id)."""
    happened = list(happened)
    if not happened:
        return
    if dossier.id is None or any(isinstance(obj, Event) for obj in session.new):
        session.flush()
    insert_rows(session, _INSERT, [_row(kind, now, dossier, user, None, None, payload) for kind, payload in happened])


def _row(kind: str, now: datetime, dossier: Dossier | None, user: User | None, unit_id: int | None,
         message: str | None, payload: dict) -> dict:
    return {"kind": kind, "at": now, "dossier_id": dossier.id if dossier else None,
            "user_id": user.id if user else None,
            "unit_id": unit_id if unit_id is not None else (dossier.unit_id if dossier else None),
            "message": message, "payload": {k: _plain(v) for k, v in payload.items()}}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)
