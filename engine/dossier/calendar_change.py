"""A day off declared after appointments were issued: keep them (the default) or extend them with form 04.

An appointment printed on form 01 is a promise, so by default a new day off moves only the due times
of dossiers not yet received (they get theirs from the calendar at receipt); the received dossiers
whose appointment spans the day are listed to the admin (engine.clock.calendar_days.dossiers_across).
When the admin chooses to apply the day to them too, each gets the extension the law provides for a
late appointment: a new due time later by the working time the day took away, and an apology and new
appointment slip (form 04) recorded on the dossier, printable, and sent to the applicant
(engine.dossier.extension.extend_for_calendar, with its rules: once per dossier, while handled, at least
one working day before the due time). A dossier the rules refuse keeps its appointment and is named
with the reason. A make-up working day never brings an appointment forward.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from engine.calendar.working import TZ
from engine.clock import calendar_days, statutory
from engine.dossier.extension import extend_for_calendar
from engine.ground.errors import DomainError
from engine.models import CalendarDay, Dossier, Unit, User


@dataclass
class CalendarChange:
    """What a declared day did to the issued appointments it spans."""

    row: CalendarDay
    spanning: list[Dossier] = field(default_factory=list)
    extended: list[tuple[str, datetime]] = field(default_factory=list)  # (dossier code, new due time)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (dossier code, why the rules kept it)


def _lost_minutes(calendar, day: date, dossier: Dossier) -> int:
    """The working minutes that `day` gave the dossier between its receipt and its due time (old calendar)."""
    start = max(datetime.combine(day, time(0), TZ), dossier.received_at)
    end = min(datetime.combine(day, time(23, 59, 59), TZ), dossier.due_at)
    return max(0, calendar.working_minutes_between(start, end)) if start < end else 0


def declare_day(session: Session, day: object, kind: str, admin: User, now: datetime, note: str | None = None,
                unit: Unit | None = None, apply_to_issued: bool = False, reason: str = "") -> CalendarChange:
    """Declare the day (engine.clock.calendar_days.add_day) and, if asked, extend the issued appointments it spans."""
    the_day = calendar_days._day(day)
    before = calendar_days.dossiers_across(session, the_day, unit)
    old = {d.unit_id: statutory.calendar_for(d.unit) for d in before} if apply_to_issued and kind == "off" else {}
    lost = {d.id: _lost_minutes(old[d.unit_id], the_day, d) for d in before if d.unit_id in old}
    row = calendar_days.add_day(session, the_day, kind, admin, now, note, unit)
    change = CalendarChange(row, before)
    if not old:
        return change
    text = reason.strip() or (f"Ngày {the_day:%d/%m/%Y} được công bố là ngày nghỉ"
                              + (f" ({row.note})" if row.note else "") + " sau khi đã hẹn trả kết quả")
    for dossier in before:
        minutes = lost.get(dossier.id, 0)
        if minutes <= 0:
            continue
        new_due = statutory.calendar_for(dossier.unit).add_working_minutes(dossier.due_at, minutes)
        try:
            with session.begin_nested():
                extend_for_calendar(session, dossier, admin, text, new_due, now, the_day.isoformat())
        except DomainError as err:
            change.kept.append((dossier.code, " ".join([err.message, *(err.fields or {}).values()])))
        else:
            change.extended.append((dossier.code, dossier.due_at))
    return change
