"""Lịch làm việc: what admins keep (extra days off, make-up working days); office hours are engine.org.office_hours.

Public holidays and the government's announced swaps come from the shipped legal calendar
(engine.clock.announced) over the `holidays` package; admins add what neither knows, everywhere or
for one unit (and the units under it), and confirm or correct expected days. Every change is an
event. The arithmetic itself stays in engine.calendar.working; engine.clock.statutory builds each unit's calendar.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.hours import as_date
from engine.calendar.working import TZ, WORKING_HOURS, WorkingCalendar, parse_budget
from engine.clock import statutory
from engine.clock.announced import ANNOUNCED, EXPECTED_RULES, expected_days
from engine.ground import events
from engine.ground.errors import Forbidden, Invalid, NotFound
from engine.ground.vocabulary import HANDLING
from engine.models import CalendarDay, Dossier, Unit, User
from engine.org.tree import is_global_admin, may_administer, subtree_ids

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
        if existing.source != ANNOUNCED:  # an announced day keeps its document's wording
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
    if existing.source == ANNOUNCED:
        other = "ngày làm việc" if existing.kind == statutory.OFF else "ngày nghỉ"
        raise Invalid(f"Ngày {the_day:%d/%m/%Y} do văn bản {existing.document_number} công bố, không bỏ được; "
                      f"nếu văn bản khác đã sửa, hãy khai báo ngày này là {other}.",
                      {"day": "Ngày đã công bố."})
    session.delete(existing)
    session.flush()
    statutory.forget_revision(session)
    events.record(session, "calendar.day_removed", now, user=user, unit_id=unit.id if unit else None,
                  day=the_day.isoformat(), day_kind=existing.kind)


@dataclass(frozen=True)
class DayEntry:
    """One line of a year's calendar: a non-ordinary day and why.

    `source` is "announced" (the shipped legal calendar, with its `document`), "holiday" (the
    `holidays` package only) or "admin"; `expected` marks a package day nobody confirmed (dự kiến).
    """

    day: date
    working: bool
    name: str
    source: str
    unit: str | None = None
    document: str | None = None
    expected: bool = False


def year_listing(session: Session, year: int, unit: Unit | None = None) -> list[DayEntry]:
    """The public holidays and swaps of a year, then the table's days (announced, everywhere and the unit's)."""
    plain = WorkingCalendar()
    expected = {d.day for d in expected_days(session, date(year, 1, 1), date(year, 12, 31))}
    entries: dict[tuple[date, str | None], DayEntry] = {}
    day = date(year, 1, 1)
    while day.year == year:
        name = plain.holiday_name(day)
        if name is not None:
            entries[(day, None)] = DayEntry(day, False, name, "holiday", expected=day in expected)
        elif day.weekday() >= 5 and plain.is_working_day(day):
            entries[(day, None)] = DayEntry(day, True, "Ngày làm bù", "holiday", expected=day in expected)
        day += timedelta(days=1)
    query = select(CalendarDay).where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
    for row in session.scalars(query):
        if row.unit_id is not None and (unit is None or row.unit_id not in _chain(unit)):
            continue
        code = row.unit.code if row.unit else None
        announced = row.source == ANNOUNCED
        document = (f"{row.document_number} ngày {row.document_date:%d/%m/%Y} của {row.document_issuer}"
                    if announced and row.document_date else None)
        entries[(row.day, code)] = DayEntry(row.day, row.kind == statutory.WORKING, row.note or KINDS[row.kind],
                                            ANNOUNCED if announced else "admin", code, document)
    return sorted(entries.values(), key=lambda e: (e.day, e.unit or ""))


def _chain(unit: Unit) -> set[int]:
    ids, node = set(), unit
    while node is not None:
        ids.add(node.id)
        node = node.parent
    return ids


@dataclass(frozen=True)
class DueAnswer:
    """What the clock gives for a dossier of `unit` received at `received_at` with a time limit."""

    unit: str
    received_at: datetime
    limit: str
    clock_start: datetime
    due_at: datetime
    expected: tuple[date, ...]  # expected (dự kiến) days between receipt and due that the answer depends on


def ask_due(session: Session, unit: Unit, received_at: object, limit: object) -> DueAnswer:
    """Hỏi đồng hồ: the due time the engine would give, without creating a dossier.

    `limit` is working time in ISO 8601 (`P1D`, `PT4H`, `P0D` for a same-day procedure); the unit's
    office hours, cut-off and calendar apply as for a dossier (engine.clock.statutory.statutory_due).
    """
    moment = statutory.parse_moment(received_at, "from")
    cal = statutory.calendar_for(unit, session)
    text = str(limit or "").strip().upper()
    try:
        minutes = parse_budget(text, cal.hours.minutes_per_day)
    except ValueError as err:
        raise Invalid(str(err), {"limit": "Cần thời hạn ISO 8601 theo thời gian làm việc, ví dụ P1D, PT4H."}) from err
    if minutes > 3650 * cal.hours.minutes_per_day:
        raise Invalid(f"Thời hạn {text} quá dài", {"limit": "Tối đa 3650 ngày làm việc."})
    catalogue = {"time_limit": {"value": minutes / 60, "unit": WORKING_HOURS}}
    due = statutory.statutory_due(unit, catalogue, moment)
    start = cal.clock_start(moment, cal.hours.cutoff)
    between = expected_days(session, moment.astimezone(TZ).date(), due.astimezone(TZ).date())
    return DueAnswer(unit.code, moment.astimezone(TZ), text, start.astimezone(TZ), due.astimezone(TZ),
                     tuple(d.day for d in between))


def set_expected_rule(session: Session, unit: Unit, rule: str, user: User | None, now: datetime) -> Unit:
    """Set how a unit counts expected (dự kiến) days: `off` (as days off, the default) or `working`."""
    _check(user, unit)
    if rule not in EXPECTED_RULES:
        raise Invalid(f"Cách tính ngày dự kiến không hợp lệ: {rule!r}",
                      {"expected_days": "Một trong: off (tính là ngày nghỉ), working (tính là ngày làm việc)."})
    unit.settings = {**(unit.settings or {}), "expected_days": rule}
    session.flush()
    events.record(session, "calendar.expected_rule_set", now, user=user, unit_id=unit.id, expected_days=rule)
    return unit


def dossiers_across(session: Session, day: object, unit: Unit | None = None) -> list[Dossier]:
    """Open dossiers (in handling) whose issued appointment spans `day`, everywhere or in the unit's subtree.

    A change of that day would move their due times; they keep the time issued on form 01 (an
    issued appointment is a promise; moving it is an extension, form 04). Dossiers not yet received
    get their due time from the calendar as it is at receipt.
    """
    the_day = _day(day)
    start, end = datetime.combine(the_day, datetime.min.time(), TZ), datetime.combine(the_day, datetime.max.time(), TZ)
    query = select(Dossier).where(Dossier.status.in_(HANDLING), Dossier.received_at <= end, Dossier.due_at >= start)
    if unit is not None:
        query = query.where(Dossier.unit_id.in_(subtree_ids(session, [unit.id])))
    return list(session.scalars(query.order_by(Dossier.due_at, Dossier.id)))
