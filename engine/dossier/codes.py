"""Mã hồ sơ: dossier codes `<unit code>-<date>-<daily sequence>`, without gaps or duplicates.

Two formats, a unit setting `code_format`: "2018" (Circular 01/2018 art. 19,
`<unit>-<YYMMDD>-<NNNN>`, the default) and "national" (the newer national systems,
`<unit>-<YYYYMMDD>-<NNNNNNN>`). A format whose daily sequence is used up refuses the next code:
a five-digit sequence in the 2018 format would sort and parse wrongly.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.ground import events
from engine.ground.errors import Conflict, Invalid
from engine.models import DossierSequence, Unit, User
from engine.org.tree import check_admin

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# format name -> (date format, sequence width, how it is written)
FORMATS = {
    "2018": ("%y%m%d", 4, "<đơn vị>-<YYMMDD>-<NNNN>"),
    "national": ("%Y%m%d", 7, "<đơn vị>-<YYYYMMDD>-<NNNNNNN>"),
}
DEFAULT_FORMAT = "2018"
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
    return format_code(unit.code, day, number, code_format(unit))


def code_format(unit: Unit) -> str:
    """The unit's dossier code format (setting `code_format`), "2018" by default."""
    fmt = (unit.settings or {}).get("code_format")
    return fmt if fmt in FORMATS else DEFAULT_FORMAT


def check_format(fmt: object) -> str:
    """A format name from input; Invalid when it is not one of FORMATS."""
    if fmt not in FORMATS:
        choices = "; ".join(f"{k}: {v[2]}" for k, v in FORMATS.items())
        raise Invalid(f"Mẫu mã hồ sơ không hợp lệ: {fmt!r}", {"code_format": f"Một trong: {choices}."})
    return str(fmt)


def format_code(unit_code: str, day: date, number: int, fmt: str = DEFAULT_FORMAT) -> str:
    """The code of the `number`-th dossier of a unit on a day; Conflict when the format has no room for it."""
    date_format, width, written = FORMATS[check_format(fmt)]
    if not 1 <= number < 10 ** width:
        raise Conflict(
            f"Đơn vị {unit_code} đã cấp hết {10 ** width - 1:,} mã hồ sơ của ngày {day:%d/%m/%Y} theo mẫu {written}"
            .replace(",", ".") + "; không cấp mã có số thứ tự dài hơn." + (
                " Quản trị viên chuyển đơn vị sang mẫu mã quốc gia (<đơn vị>-<YYYYMMDD>-<NNNNNNN>) để tiếp nhận tiếp."
                if fmt == DEFAULT_FORMAT else " Hồ sơ tiếp nhận tiếp từ ngày làm việc sau."),
            {"code": "Hết số thứ tự trong ngày."})
    return f"{unit_code}-{day.strftime(date_format)}-{number:0{width}d}"


def normalise_code(text: str) -> str | None:
    """A code as typed by a person (spaces, lower case, short sequence) in canonical form, or None."""
    match = CODE_PATTERN.match(text or "")
    if not match:
        return None
    seq = match["seq"]
    width = 4 if len(match["date"]) == 6 else max(7, len(seq))
    return f"{match['unit'].upper()}-{match['date']}-{int(seq):0{width}d}"


def set_code_format(session: Session, unit: Unit, fmt: str, user: User | None, now: datetime) -> Unit:
    """Set a unit's dossier code format (`2018` or `national`); an admin of the unit or above it only.

    Codes already issued never change; a change mid-day continues the day's sequence in the new format.
    """
    check_admin(user, unit)
    unit.settings = {**(unit.settings or {}), "code_format": check_format(fmt)}
    session.flush()
    events.record(session, "unit.code_format_set", now, user=user, unit_id=unit.id, code_format=fmt)
    return unit
