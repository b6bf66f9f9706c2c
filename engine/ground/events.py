"""The append-only event log: one row per action, with who, when and what."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.models import Dossier, Event, User


def record(session: Session, kind: str, now: datetime, *, dossier: Dossier | None = None,
           user: User | None = None, unit_id: int | None = None, message: str | None = None,
           **payload: Any) -> Event:
    """Append an event; JSON-unfriendly values in the payload are written as text."""
    event = Event(kind=kind, at=now, dossier_id=dossier.id if dossier else None,
                  user_id=user.id if user else None,
                  unit_id=unit_id if unit_id is not None else (dossier.unit_id if dossier else None),
                  message=message, payload={k: _plain(v) for k, v in payload.items()})
    session.add(event)
    return event


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)
