"""Lịch làm việc: what admins keep (extra days off, make-up working days); office hours are engine.org.office_hours.

Public holidays and the government's announced swaps come from the `holidays` package; admins add
what it does not know, everywhere or for one unit (and the units under it). Every change is an
event. The arithmetic itself stays in engine.calendar.working; engine.clock.statutory builds each unit's calendar.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.hours import as_date
from engine.calendar.working import WorkingCalendar
from engine.clock import statutory
from engine.ground import events
from engine.ground.errors import Forbidden, Invalid, NotFound
from engine.models import CalendarDay, Unit, User
from engine.org.tree import is_global_admin, may_administer

KINDS = {statutory.OFF: "Ngày nghỉ", statutory.WORKING: "Ngày làm việc (làm bù)"}


def _check(user: User | None, unit: Unit | None) -> None:
    if not (is_global_admin(user) if unit is None else may_administer(user, unit)):
        where = unit.name if unit is not None else "toàn hệ thống"
        raise Forbidden(f"Chỉ quản trị viên mới được sửa lịch làm việc của {where}")


def _day(value: object) -> date:
    try:
        return as_date(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as err:
        raise Invalid(f"Ngày không hợp lệ: {value!r}", {"day": "Cần ngày dạng YYYY-MM-DD."}) from err


def find_day(session: Session, day: date, unit: Unit | None) -> CalendarDay | None:
    """The admin's entry for a day, everywhere (unit None) or for one unit."""
    where = CalendarDay.unit_id.is_(None) if unit is None else CalendarDay.unit_id == unit.id
    return session.scalar(select(CalendarDay).where(CalendarDay.day == day, where))


def add_day(session: Session, day: object, kind: str, user: User | None, now: datetime,
            note: str | None = None, unit: Unit | None = None) -> CalendarDay:
    """Declare a day off (`off`) or a make-up working day (`working`), everywhere or for a unit.

    Declaring the same day again with another kind replaces the entry; with the same kind it only
    updates the note.
    """
    _check(user, unit)
    the_day = _day(day)
    if kind not in KINDS:
        raise Invalid(f"Loại ngày không hợp lệ: {kind!r}", {"kind": "Một trong: off (nghỉ), working (làm bù)."})
    existing = find_day(session, the_day, unit)
    if existing is not None and existing.kind == kind:
        existing.note = note or existing.note
        return existing
    if existing is not None:
        session.delete(existing)
        session.flush()
    row = CalendarDay(day=the_day, kind=kind, note=(note or "").strip() or None, unit=unit, created_at=now,
                      created_by_id=user.id if user else None)
    session.add(row)
    session.flush()
    statutory.forget_revision(session)
    events.record(session, "calendar.day_added", now, user=user, unit_id=unit.id if unit else None,
                  day=the_day.isoformat(), day_kind=kind, note=row.note)
    return row


def remove_day(session: Session, day: object, user: User | None, now: datetime, unit: Unit | None = None) -> None:
    """Take back an admin's day; NotFound when there is none."""
    _check(user, unit)
    the_day = _day(day)
    existing = find_day(session, the_day, unit)
    if existing is None:
        raise NotFound(f"Không có ngày {the_day:%d/%m/%Y} trong lịch bổ sung", {"day": "Ngày này chưa được khai báo."})
    session.delete(existing)
    session.flush()
    statutory.forget_revision(session)
    events.record(session, "calendar.day_removed", now, user=user, unit_id=unit.id if unit else None,
                  day=the_day.isoformat(), day_kind=existing.kind)


@dataclass(frozen=True)
class DayEntry:
    """One line of a year's calendar: a non-ordinary day and why."""

    day: date
    working: bool
    name: str
    source: str  # "holiday" (the holidays package) or "admin"
    unit: str | None = None


def year_listing(session: Session, year: int, unit: Unit | None = None) -> list[DayEntry]:
    """The public holidays and swaps of a year, then the admins' days (everywhere and the unit's)."""
    plain = WorkingCalendar()
    entries: dict[tuple[date, str | None], DayEntry] = {}
    day = date(year, 1, 1)
    while day.year == year:
        name = plain.holiday_name(day)
        if name is not None:
            entries[(day, None)] = DayEntry(day, False, name, "holiday")
        elif day.weekday() >= 5 and plain.is_working_day(day):
            entries[(day, None)] = DayEntry(day, True, "Ngày làm bù", "holiday")
        day += timedelta(days=1)
    query = select(CalendarDay).where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
    for row in session.scalars(query):
        if row.unit_id is not None and (unit is None or row.unit_id not in _chain(unit)):
            continue
        code = row.unit.code if row.unit else None
        entries[(row.day, code)] = DayEntry(row.day, row.kind == statutory.WORKING, row.note or KINDS[row.kind], "admin",
                                            code)
    return sorted(entries.values(), key=lambda e: (e.day, e.unit or ""))


def _chain(unit: Unit) -> set[int]:
    ids, node = set(), unit
    while node is not None:
        ids.add(node.id)
        node = node.parent
    return ids
