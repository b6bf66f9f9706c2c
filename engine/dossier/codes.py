"""Mã hồ sơ: dossier codes `<unit code>-<YYMMDD>-<daily sequence>`, without gaps or duplicates."""
from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.models import DossierSequence, Unit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CODE_PATTERN = re.compile(r"^\s*(?P<unit>[A-Za-z0-9.]+)-(?P<date>\d{6}|\d{8})-(?P<seq>\d{1,8})\s*$")


def next_dossier_code(session: Session, unit: Unit, now: datetime) -> str:
    """Issue the next code of the unit for today (local date).

    The counter row is incremented with one INSERT … ON CONFLICT DO UPDATE, which holds the row's
    lock until the transaction ends: concurrent creations queue, and a rolled-back creation gives
    its number back, so codes have neither gaps nor duplicates.
    """
    day = now.astimezone(TZ).date()
    table = DossierSequence.__table__
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (insert(table).values(unit_id=unit.id, day=day, last_value=1)
            .on_conflict_do_update(index_elements=["unit_id", "day"], set_={"last_value": table.c.last_value + 1})
            .returning(table.c.last_value))
    number = session.execute(stmt).scalar_one()
    return format_code(unit.code, day, number)


def format_code(unit_code: str, day: date, number: int) -> str:
    """The code of the `number`-th dossier of a unit on a day."""
    return f"{unit_code}-{day:%y%m%d}-{number:04d}"


def normalise_code(text: str) -> str | None:
    """A code as typed by a person (spaces, lower case, short sequence) in canonical form, or None."""
    match = CODE_PATTERN.match(text or "")
    if not match:
        return None
    seq = match["seq"]
    width = 4 if len(match["date"]) == 6 else max(7, len(seq))
    return f"{match['unit'].upper()}-{match['date']}-{int(seq):0{width}d}"
