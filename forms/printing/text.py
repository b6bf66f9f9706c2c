"""How Vietnamese administrative documents write times, dates, places and lists."""
from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_NUMBERING = re.compile(r"^\s*(?:\d+\s*[.)/:-]|[-–•*+])\s*")


def _local(moment: datetime) -> datetime:
    return moment.astimezone(TZ) if moment.tzinfo else moment


def clock_text(moment: datetime | None) -> str:
    """`17 giờ 00 phút, ngày 02/03/2026`: how forms 01 and 04 write a moment."""
    if moment is None:
        return ""
    return f"{_local(moment):%H giờ %M phút, ngày %d/%m/%Y}"


def short_text(moment: datetime | None) -> str:
    """`09:00 02/03/2026`: a moment in a table cell."""
    return f"{_local(moment):%H:%M %d/%m/%Y}" if moment else ""


def date_text(day: date | datetime | None) -> str:
    """`02/03/2026`."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = _local(day).date()
    return f"{day:%d/%m/%Y}"


def long_date(day: date | datetime) -> str:
    """`ngày 02 tháng 3 năm 2026`: days below 10 and the months 1 and 2 take a leading zero
    (Nghị định 30/2020/NĐ-CP on the presentation of administrative documents)."""
    if isinstance(day, datetime):
        day = _local(day).date()
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place: str, day: date | datetime) -> str:
    """`Hoàn Kiếm, ngày 02 tháng 3 năm 2026`: the place and date line under the motto."""
    text = long_date(day)
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def numbered_items(items: object) -> list[str]:
    """What to add or fix, one item a line, without the numbering the official may have typed."""
    if items is None:
        return []
    lines = items if isinstance(items, (list, tuple)) else str(items).splitlines()
    cleaned = (_NUMBERING.sub("", str(line)).strip() for line in lines)
    return [line for line in cleaned if line]


def upper(text: str) -> str:
    """Upper case the Vietnamese way (Python's str.upper keeps every diacritic)."""
    return (text or "").upper()


def lines(text: str) -> list[str]:
    """A multi-line setting (a signatory's title) as its lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
