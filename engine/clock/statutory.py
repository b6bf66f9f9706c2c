"""The statutory clock of dossiers and steps, over the working-time calendar of each unit.

A unit's calendar is its office hours and cut-off, Vietnam's public holidays (the `holidays`
package) and the admins' extra days (table `calendar_day`, everywhere or for a unit and the units
under it). Calendars are cached by the calendar table's revision, which is read once per
transaction, so the hot path pays one small query.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from engine.calendar.hours import MAX_YEAR, MIN_YEAR
from engine.calendar.working import TZ, OfficeHours, WorkingCalendar, parse_budget
from engine.ground.db import transaction_memo
from engine.ground.errors import Invalid
from engine.models import CalendarDay, Dossier, Unit

OFF, WORKING = "off", "working"
_REVISION_KEY = "calendar_revision"


@lru_cache(maxsize=1024)
def _calendar(office_hours: str, cutoff: str, off: frozenset = frozenset(),
              working: frozenset = frozenset(), country: str = "VN") -> WorkingCalendar:
    return WorkingCalendar(OfficeHours.parse(office_hours, cutoff), off, working, country)


@dataclass
class _Days:
    """The admin days of one revision of the calendar table, and each unit's merged view of them."""

    everywhere: dict[date, str]
    by_unit: dict[int, dict[date, str]]
    merged: dict[int, tuple[frozenset, frozenset]] = field(default_factory=dict)

    def of(self, unit: Unit) -> tuple[frozenset, frozenset]:
        """(days off, working days) for a unit: everywhere's, then its ancestors', then its own."""
        if unit.id not in self.merged:
            kinds = dict(self.everywhere)
            chain, node = [], unit
            while node is not None and self.by_unit:
                chain.append(node.id)
                node = node.parent
            for unit_id in reversed(chain):
                kinds.update(self.by_unit.get(unit_id, {}))
            self.merged[unit.id] = (frozenset(d for d, k in kinds.items() if k == OFF),
                                    frozenset(d for d, k in kinds.items() if k == WORKING))
        return self.merged[unit.id]


_LOADED: dict[tuple, _Days] = {}


def calendar_revision(session: Session) -> tuple:
    """Which content the calendar table has: (database, row count, highest id), once per transaction.

    Ids never come back after a delete, so the pair changes on every addition or removal. A step's lock
    (engine.dossier.workflow) reads the pair with the dossier and leaves it here (`remember_revision`).
    """
    memo = transaction_memo(session)
    if _REVISION_KEY not in memo:
        with session.no_autoflush:  # the calendar table is never pending here; do not flush the caller's changes
            count, highest = session.execute(_REVISION_QUERY).one()
        memo[_REVISION_KEY] = _revision(session, count, highest)
    return memo[_REVISION_KEY]


_REVISION_QUERY = select(func.count(CalendarDay.id), func.max(CalendarDay.id))


def remember_revision(session: Session, count: int, highest: int | None) -> None:
    """Keep the calendar table's (count, highest id) read in this transaction."""
    transaction_memo(session)[_REVISION_KEY] = _revision(session, count, highest)


def _revision(session: Session, count: int, highest: int | None) -> tuple:
    return (str(session.get_bind().url), count, highest or 0)


def forget_revision(session: Session) -> None:
    """Make the next calendar look-up in this session re-read the revision (after an admin change)."""
    transaction_memo(session).pop(_REVISION_KEY, None)


def _days(session: Session) -> _Days:
    revision = calendar_revision(session)
    days = _LOADED.get(revision)
    if days is None:
        everywhere: dict[date, str] = {}
        by_unit: dict[int, dict[date, str]] = {}
        with session.no_autoflush:
            rows = session.execute(select(CalendarDay.day, CalendarDay.kind, CalendarDay.unit_id)).all()
        for day, kind, unit_id in rows:
            (everywhere if unit_id is None else by_unit.setdefault(unit_id, {}))[day] = kind
        if len(_LOADED) > 16:
            _LOADED.clear()
        days = _LOADED.setdefault(revision, _Days(everywhere, by_unit))
    return days


def calendar_for(unit: Unit, session: Session | None = None) -> WorkingCalendar:
    """The working calendar of a unit: its office hours and cut-off, holidays and admins' days.

    The session defaults to the unit's own; a unit outside any session gets no admin days. With the
    unit setting `expected_days` = "working", the `holidays` package is left out: only the table's
    days (announced and admins') are days off (engine.clock.announced).
    """
    session = session or object_session(unit)
    if session is None:
        return _calendar(unit.office_hours, unit.same_day_cutoff)
    off, working = _days(session).of(unit)
    country = "" if expected_rule(unit) == EXPECTED_WORKING else "VN"
    return _calendar(unit.office_hours, unit.same_day_cutoff, off, working, country)


EXPECTED_OFF, EXPECTED_WORKING = "off", "working"


def expected_rule(unit: Unit | None) -> str:
    """How a unit counts expected (dự kiến) days: its setting `expected_days`, else "off".

    Per unit, like `warn_before`, so that the clock's hot path reads no other unit.
    """
    rule = ((unit.settings or {}) if unit is not None else {}).get("expected_days")
    return rule if rule in (EXPECTED_OFF, EXPECTED_WORKING) else EXPECTED_OFF


def parse_moment(value: object, field: str) -> datetime:
    """A moment given as a datetime or ISO 8601 text; without a zone it is Vietnam's time.

    Invalid names `field` when the value is not a moment.
    """
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise Invalid(f"Thời điểm không hợp lệ: {value!r}",
                          {field: "Cần ngày giờ dạng ISO 8601, ví dụ 2026-03-09T16:00:00+07:00."}) from None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise Invalid(f"Thời điểm ngoài khoảng năm {MIN_YEAR}–{MAX_YEAR}: {value!r}",
                      {field: f"Năm từ {MIN_YEAR} đến {MAX_YEAR}."})
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=TZ)


def _cutoff(catalogue: dict) -> time | None:
    text = catalogue.get("same_day_cutoff")
    if not text:
        return None
    hours, minutes = str(text).split(":")
    return time(int(hours), int(minutes))


def statutory_due(unit: Unit, catalogue: dict, received_at: datetime) -> datetime:
    """Ngày hẹn trả: the due time of a dossier received at `received_at`, by the procedure's time limit.

    Received outside office hours, the clock starts at the next session; received after the
    cut-off (the procedure's, else the unit's), at the opening of the next working day.
    """
    limit = catalogue["time_limit"]
    cal = calendar_for(unit)
    return cal.due_at(received_at, limit["value"], limit["unit"], _cutoff(catalogue) or cal.hours.cutoff)


def receipt_time(dossier: Dossier, now: datetime) -> datetime:
    """The moment the clock counts from when the desk receives a complete dossier at `now`.

    Online: the system time of the (last complete) submission; post: the postmark, if given;
    in person, and a postal supplement: the desk's time.
    """
    if dossier.resubmitted_at is not None:
        return dossier.resubmitted_at if dossier.channel == "online" else now
    if dossier.channel == "online":
        return dossier.submitted_at
    if dossier.channel == "post" and dossier.postmarked_at is not None:
        return dossier.postmarked_at
    return now


def step_due(unit: Unit, ready_at: datetime, budget: str | None) -> datetime | None:
    """The due time of a step that became ready at `ready_at`, by its working-time budget."""
    if not budget:
        return None
    cal = calendar_for(unit)
    minutes = parse_budget(budget, cal.hours.minutes_per_day)
    return cal.add_working_minutes(cal.next_working_start(ready_at), minutes)


def pause(dossier: Dossier, now: datetime) -> None:
    """Stop the clock while the applicant supplements (or pays a fee)."""
    dossier.paused_at = now


def resume(dossier: Dossier, catalogue: dict, now: datetime, policy: str | None = None) -> None:
    """Restart the clock on a complete supplement: pause adds the waiting time, restart counts anew.

    `policy` overrides the procedure's `supplement_clock` (a paid fee always resumes with `pause`).
    """
    if dossier.paused_at is None or dossier.due_at is None:
        return
    cal = calendar_for(dossier.unit)
    if (policy or catalogue.get("supplement_clock", "pause")) == "restart":
        dossier.due_at = statutory_due(dossier.unit, catalogue, now)
    else:
        waited = max(0, cal.working_minutes_between(dossier.paused_at, now))
        dossier.due_at = cal.add_working_minutes(dossier.due_at, waited)
    dossier.paused_at = None
