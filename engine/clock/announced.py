"""Lịch đã công bố: the legal calendar as dated, sourced data, and what is only expected (dự kiến).

The shipped file engine/data/calendar_vn.toml lists every weekday off and every weekend day worked
of the years it covers, each with the document that announced it. `sync` writes it into the
calendar table (rows with source "announced", everywhere), where it overrides the `holidays`
package; an admin's own row for the same day is kept. `expected_days` names the days the package
gives that no shipped announcement or admin confirms: those are counted by the unit setting
`expected_days` ("off", the default, or "working"), per unit (engine.clock.statutory.expected_rule).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.working import WorkingCalendar
from engine.clock.statutory import EXPECTED_OFF, EXPECTED_WORKING, OFF, WORKING, forget_revision
from engine.models import CalendarDay

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "calendar_vn.toml"
ANNOUNCED, ADMIN = "announced", "admin"
# How a day the package gives but nobody confirmed is counted (unit setting `expected_days`).
EXPECTED_RULES = {
    EXPECTED_OFF: "Tính là ngày nghỉ (theo Bộ luật Lao động và gói holidays)",
    EXPECTED_WORKING: "Tính là ngày làm việc (chỉ nghỉ những ngày đã công bố)",
}
DEFAULT_EXPECTED_RULE = EXPECTED_OFF


@dataclass(frozen=True)
class Document:
    """Văn bản công bố: the document that announced a day (number, date, issuer)."""

    number: str
    date: date
    issuer: str
    title: str = ""

    def cite(self) -> str:
        """`12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ`."""
        return f"{self.number} ngày {self.date:%d/%m/%Y} của {self.issuer}"


@dataclass(frozen=True)
class AnnouncedDay:
    """One announced day off (`off`) or weekend day worked (`working`)."""

    day: date
    kind: str
    name: str
    document: Document


@dataclass(frozen=True)
class Announcements:
    """The shipped calendar: the years it covers completely and their days."""

    country: str
    years: frozenset[int]
    days: tuple[AnnouncedDay, ...]

    def on(self, day: date) -> AnnouncedDay | None:
        """The announcement of a day, or None."""
        return self._by_day().get(day)

    def _by_day(self) -> dict[date, AnnouncedDay]:
        return {d.day: d for d in self.days}


def parse(text: str) -> Announcements:
    """Read and check a calendar file's text; ValueError (Vietnamese) on anything malformed."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"Tệp lịch không đọc được: {err}") from err
    documents = {}
    for number, doc in (data.get("documents") or {}).items():
        if not isinstance(doc.get("date"), date) or not doc.get("issuer"):
            raise ValueError(f"Văn bản {number}: cần ngày ban hành (date) và cơ quan ban hành (issuer)")
        documents[number] = Document(number, doc["date"], doc["issuer"], doc.get("title", ""))
    days, seen = [], set()
    for entry in data.get("days") or []:
        day, kind, ref = entry.get("day"), entry.get("kind"), entry.get("document")
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValueError(f"Ngày không hợp lệ trong tệp lịch: {day!r}")
        if kind not in (OFF, WORKING):
            raise ValueError(f"{day}: loại ngày phải là off hoặc working, nhận được {kind!r}")
        if ref not in documents:
            raise ValueError(f"{day}: văn bản {ref!r} không có trong mục [documents]")
        if day in seen:
            raise ValueError(f"{day}: ngày khai báo hai lần")
        seen.add(day)
        days.append(AnnouncedDay(day, kind, str(entry.get("name") or "").strip(), documents[ref]))
    years = frozenset(int(y) for y in data.get("years") or ())
    stray = sorted({d.day.year for d in days} - years)
    if stray:
        raise ValueError(f"Tệp lịch có ngày của năm không khai báo trong years: {stray}")
    return Announcements(str(data.get("country") or "VN"), years, tuple(sorted(days, key=lambda d: d.day)))


@lru_cache(maxsize=4)
def load(path: Path = DATA_FILE) -> Announcements:
    """The shipped calendar (read once per process)."""
    return parse(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class SyncReport:
    """What `sync` did: days added, changed, removed, and admins' days it left in place."""

    added: tuple[date, ...] = ()
    changed: tuple[date, ...] = ()
    removed: tuple[date, ...] = ()
    kept_admin: tuple[date, ...] = ()


def sync(session: Session, now: datetime, announcements: Announcements | None = None) -> SyncReport:
    """Make the calendar table's announced rows exactly the shipped file's days.

    A changed day is deleted and inserted again (a new id), so every cached calendar is rebuilt.
    An admin's everywhere row for an announced day wins and is reported in `kept_admin`.
    """
    announcements = announcements or load()
    rows = {r.day: r for r in session.scalars(select(CalendarDay).where(CalendarDay.unit_id.is_(None)))}
    added, changed, removed, kept = [], [], [], []
    wanted = {d.day: d for d in announcements.days}
    for day, row in rows.items():
        if row.source == ANNOUNCED and day not in wanted:
            session.delete(row)
            removed.append(day)
    for day, entry in wanted.items():
        row = rows.get(day)
        if row is not None and row.source != ANNOUNCED:
            kept.append(day)
            continue
        if row is not None and _same(row, entry):
            continue
        if row is not None:
            session.delete(row)
            session.flush()
        session.add(_row(entry, now))
        (changed if row is not None else added).append(day)
    session.flush()
    forget_revision(session)
    return SyncReport(tuple(added), tuple(changed), tuple(removed), tuple(kept))


def _same(row: CalendarDay, entry: AnnouncedDay) -> bool:
    return (row.kind, row.note, row.document_number, row.document_date, row.document_issuer) == (
        entry.kind, entry.name or None, entry.document.number, entry.document.date, entry.document.issuer)


def _row(entry: AnnouncedDay, now: datetime) -> CalendarDay:
    return CalendarDay(day=entry.day, kind=entry.kind, note=entry.name or None, unit_id=None, created_at=now,
                       source=ANNOUNCED, document_number=entry.document.number,
                       document_date=entry.document.date, document_issuer=entry.document.issuer)


def rows_for_migration(now: datetime) -> list[dict]:
    """The shipped days as plain rows for the calendar table (used by the migration that loads them)."""
    return [{"day": d.day, "kind": d.kind, "note": d.name or None, "unit_id": None, "created_at": now,
             "source": ANNOUNCED, "document_number": d.document.number, "document_date": d.document.date,
             "document_issuer": d.document.issuer} for d in load().days]


@dataclass(frozen=True)
class ExpectedDay:
    """A day the `holidays` package gives that no announcement or admin confirms."""

    day: date
    working: bool  # the package makes it a working day (a swapped Saturday)
    name: str


def expected_days(session: Session, first: date, last: date) -> list[ExpectedDay]:
    """The expected (dự kiến) days from `first` to `last`: the package's holidays on weekdays and its
    worked weekend days, unless the table holds an everywhere row for the day (announced or admin)."""
    plain = WorkingCalendar()
    confirmed = set(session.scalars(select(CalendarDay.day).where(
        CalendarDay.unit_id.is_(None), CalendarDay.day >= first, CalendarDay.day <= last)))
    found, day = [], first
    while day <= last:
        if day not in confirmed:
            name = plain.holiday_name(day)
            if name is not None and day.weekday() < 5:
                found.append(ExpectedDay(day, False, name))
            elif name is None and day.weekday() >= 5 and plain.is_working_day(day):
                found.append(ExpectedDay(day, True, "Ngày làm bù"))
        day += timedelta(days=1)
    return found


def expected_warning(session: Session, today: date, ahead_days: int = 400) -> str | None:
    """One Vietnamese sentence naming the expected days from today on (None if there are none)."""
    days = expected_days(session, today, today + timedelta(days=ahead_days))
    if not days:
        return None
    listed = ", ".join(f"{d.day:%d/%m/%Y} ({d.name})" for d in days[:8]) + (", …" if len(days) > 8 else ".")
    return (f"Lịch có {len(days)} ngày dự kiến chưa được văn bản nào xác nhận: {listed} "
            "Quản trị viên cần xác nhận hoặc sửa các ngày này.")
