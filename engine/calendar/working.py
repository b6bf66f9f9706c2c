"""Working-day calendar for the statutory clock of "Một Cửa" dossiers.

Everything is computed in Asia/Ho_Chi_Minh wall-clock time. Days off are
Saturdays and Sundays, the public holidays of the ``holidays`` package (with
the announced day swaps it knows: substituted days off and make-up working
Saturdays) and the unit's own extra days off; extra working days declared by
the unit override everything else. Time is always passed in, never read.

Import only from here::

    from engine.calendar.working import OfficeHours, WorkingCalendar, parse_budget, Lateness
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

from engine.calendar.hours import (
    DEFAULT_CUTOFF,
    DEFAULT_SESSIONS,
    MINUTES_PER_WORKING_DAY,
    Lateness,
    OfficeHours,
    as_date,
    parse_budget,
)

__all__ = [
    "DEFAULT_CUTOFF",
    "DEFAULT_SESSIONS",
    "EXTRA_DAY_OFF_NAME",
    "MINUTES_PER_WORKING_DAY",
    "TZ",
    "UNITS",
    "WORKING_DAYS",
    "WORKING_HOURS",
    "Lateness",
    "OfficeHours",
    "WorkingCalendar",
    "parse_budget",
]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WORKING_DAYS = "working_days"
WORKING_HOURS = "working_hours"
UNITS = (WORKING_DAYS, WORKING_HOURS)
EXTRA_DAY_OFF_NAME = "Ngày nghỉ bổ sung"
_MAX_SCAN_DAYS = 3660  # give up after ten years without a working day
_ONE_DAY = timedelta(days=1)
_ONE_MINUTE = timedelta(minutes=1)
_DEFAULT_HOURS = OfficeHours()


@dataclass(frozen=True)
class _YearData:
    """Holiday names, make-up working weekend days and weekend weekdays of one year."""

    names: Mapping[date, str]
    workdays: frozenset[date]
    weekend: frozenset[int]


@lru_cache(maxsize=512)
def _year_data(country: str, year: int) -> _YearData:
    """Load (once per process) one year of a country's holidays, in Vietnamese if available.

    The empty country code means no package holidays at all (only weekends and the given days).
    """
    if not country:
        return _YearData(names=MappingProxyType({}), workdays=frozenset(), weekend=frozenset((5, 6)))
    table = holidays.country_holidays(country, years=year, language="vi")
    return _YearData(
        names=MappingProxyType(dict(table)),
        workdays=frozenset(getattr(table, "weekend_workdays", ()) or ()),
        weekend=frozenset(getattr(table, "weekend", (5, 6))),
    )


@lru_cache(maxsize=64)
def _check_country(country: str) -> None:
    """Raise ValueError if the ``holidays`` package does not know ``country`` ("" = none)."""
    if not country:
        return
    try:
        holidays.country_holidays(country)
    except NotImplementedError as exc:
        raise ValueError(f"Quốc gia không được hỗ trợ: {country!r}") from exc


def _local(moment: datetime, what: str = "thời điểm") -> datetime:
    """Convert an aware datetime to Asia/Ho_Chi_Minh; ValueError if it is naive."""
    if not isinstance(moment, datetime):
        raise TypeError(f"{what} phải là datetime, nhận được {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} phải có múi giờ (datetime naive không được chấp nhận): {moment!r}")
    return moment.astimezone(TZ)


def local_date(moment: datetime) -> date:
    """The date in Vietnam at `moment` (what "today" means at a ward, whatever the server's zone)."""
    return _local(moment).date()


def _number(value: float, what: str) -> float:
    """Check that a quantity is a finite non-negative real number and return it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} phải là số, nhận được {value!r}")
    if value != value or value in (float("inf"), float("-inf")) or value < 0:
        raise ValueError(f"{what} phải là số không âm hữu hạn, nhận được {value!r}")
    return value


class WorkingCalendar:
    """Working-time arithmetic for one unit: office hours, holidays, day swaps."""

    def __init__(
        self,
        hours: OfficeHours = _DEFAULT_HOURS,
        extra_days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        country: str = "VN",
    ) -> None:
        """Create a calendar.

        ``extra_days_off`` are days the unit closes on top of public holidays;
        ``extra_working_days`` are days that become working days (e.g. a make-up
        Saturday). Dates may be ``date`` objects or ISO strings. A date in both
        lists, or an unknown country code, raises ValueError. ``country=""`` uses
        no package holidays: only weekends and the given days.
        """
        if not isinstance(hours, OfficeHours):
            raise TypeError(f"hours phải là OfficeHours, nhận được {type(hours).__name__}")
        self.hours = hours
        self.country = str(country).upper()
        self.extra_days_off = frozenset(as_date(d) for d in extra_days_off)
        self.extra_working_days = frozenset(as_date(d) for d in extra_working_days)
        clash = self.extra_days_off & self.extra_working_days
        if clash:
            days = ", ".join(d.isoformat() for d in sorted(clash))
            raise ValueError(f"Ngày vừa là ngày nghỉ bổ sung vừa là ngày làm bù: {days}")
        _check_country(self.country)
        self._sessions = hours.sessions
        self._day_length = sum(
            (datetime.combine(date.min, e) - datetime.combine(date.min, s) for s, e in self._sessions),
            timedelta(),
        )

    def __repr__(self) -> str:
        """Short description for logs."""
        return (
            f"WorkingCalendar(hours={self.hours}, cutoff={self.hours.cutoff:%H:%M}, country={self.country}, "
            f"extra_days_off={len(self.extra_days_off)}, extra_working_days={len(self.extra_working_days)})"
        )

    # ----------------------------------------------------------------- days
    def is_working_day(self, d: date) -> bool:
        """True if ``d`` is a working day (a datetime is judged on its local date)."""
        if isinstance(d, datetime):
            d = _local(d, "ngày").date()
        if d in self.extra_days_off:
            return False
        if d in self.extra_working_days:
            return True
        data = _year_data(self.country, d.year)
        if d in data.names:
            return False
        if d in data.workdays:
            return True
        return d.weekday() not in data.weekend

    def holiday_name(self, d: date) -> str | None:
        """Name of the holiday on ``d`` (Vietnamese), or None if ``d`` is not a holiday.

        A unit's extra day off is named ``EXTRA_DAY_OFF_NAME`` unless it is also a
        public holiday; a day the unit declared working has no holiday name.
        """
        if isinstance(d, datetime):
            d = _local(d, "ngày").date()
        if d in self.extra_working_days:
            return None
        name = _year_data(self.country, d.year).names.get(d)
        if name is None and d in self.extra_days_off:
            return EXTRA_DAY_OFF_NAME
        return name

    def _next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        for _ in range(_MAX_SCAN_DAYS):
            d += _ONE_DAY
            if self.is_working_day(d):
                return d
        raise RuntimeError(f"Không tìm thấy ngày làm việc nào trong {_MAX_SCAN_DAYS} ngày sau {d}")

    def _day_sessions(self, d: date) -> list[tuple[datetime, datetime]]:
        """The sessions of day ``d`` as aware local datetimes (ignores whether it is working)."""
        return [(datetime.combine(d, s, TZ), datetime.combine(d, e, TZ)) for s, e in self._sessions]

    def _day_start(self, d: date) -> datetime:
        """Opening time (first session start) of day ``d``."""
        return datetime.combine(d, self._sessions[0][0], TZ)

    # ---------------------------------------------------------- moments
    def next_working_start(self, moment: datetime) -> datetime:
        """``moment`` itself if inside a session of a working day, else the next session start.

        A moment exactly at a session's end is outside it (17:00 -> next 07:30).
        """
        m = _local(moment)
        d = m.date()
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(d):
                for start, end in self._day_sessions(d):
                    if m < end:
                        return max(m, start)
            d += _ONE_DAY
        raise RuntimeError(f"Không tìm thấy ngày làm việc nào trong {_MAX_SCAN_DAYS} ngày sau {m}")

    def _add(self, start: datetime, delta: timedelta) -> datetime:
        """Add a positive working duration, skipping whole days when possible."""
        cur = self.next_working_start(start)
        remaining = delta
        while True:
            for s, e in self._day_sessions(cur.date()):
                if e <= cur:
                    continue
                seg = max(s, cur)
                if remaining <= e - seg:
                    return seg + remaining
                remaining -= e - seg
            d = self._next_working_day(cur.date())
            while remaining > self._day_length:
                remaining -= self._day_length
                d = self._next_working_day(d)
            cur = self._day_start(d)

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """Move forward by ``minutes`` working minutes.

        Counting begins at :meth:`next_working_start` of ``start``; 0 returns
        ``start`` unchanged (in local time). A sum ending exactly at a session's
        end returns that end (17:00), not the next opening. Negative -> ValueError.
        """
        local = _local(start, "thời điểm bắt đầu")
        delta = timedelta(minutes=_number(minutes, "Số phút làm việc"))
        return local if delta <= timedelta() else self._add(local, delta)

    def add_working_days(self, start: datetime, days: int | float) -> datetime:
        """Move forward by ``days`` working days (a day = the sum of the sessions, 8 h by default).

        Monday 10:00 + 1 -> Tuesday 10:00; fractions are allowed (0.5 = half a day).
        """
        local = _local(start, "thời điểm bắt đầu")
        delta = self._day_length * _number(days, "Số ngày làm việc")
        return local if delta <= timedelta() else self._add(local, delta)

    def add_working_hours(self, start: datetime, hours: int | float) -> datetime:
        """Move forward by ``hours`` working hours (real session time)."""
        local = _local(start, "thời điểm bắt đầu")
        delta = timedelta(hours=_number(hours, "Số giờ làm việc"))
        return local if delta <= timedelta() else self._add(local, delta)

    def _worked_on(self, d: date, lo: datetime | None, hi: datetime | None) -> timedelta:
        """Working time of day ``d`` inside ``[lo, hi]`` (None = unbounded)."""
        if not self.is_working_day(d):
            return timedelta()
        total = timedelta()
        for s, e in self._day_sessions(d):
            s = s if lo is None else max(s, lo)
            e = e if hi is None else min(e, hi)
            if e > s:
                total += e - s
        return total

    def _working_time(self, a: datetime, b: datetime) -> timedelta:
        """Working time between local moments ``a <= b``."""
        first, last = a.date(), b.date()
        if first == last:
            return self._worked_on(first, a, b)
        total = self._worked_on(first, a, None) + self._worked_on(last, None, b)
        d = first + _ONE_DAY
        while d < last:
            if self.is_working_day(d):
                total += self._day_length
            d += _ONE_DAY
        return total

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Whole working minutes from ``a`` to ``b`` (negative if ``b`` is before ``a``).

        Partial minutes are truncated toward zero.
        """
        la, lb = _local(a, "a"), _local(b, "b")
        if lb < la:
            return -self.working_minutes_between(lb, la)
        return int(self._working_time(la, lb) // _ONE_MINUTE)

    # --------------------------------------------------------- dossiers
    def clock_start(self, received_at: datetime, cutoff: time | None = None) -> datetime:
        """When the statutory clock starts for a dossier received at ``received_at``.

        Inside office hours: the receipt itself. Outside them (before opening, at
        lunch, after closing, on a day off): the next session start. With a
        ``cutoff`` (None = no cut-off), a dossier received strictly after it on a
        working day starts at the opening of the next working day.
        """
        received = _local(received_at, "thời điểm tiếp nhận")
        if cutoff is not None and self.is_working_day(received.date()) and received.time() > cutoff:
            return self._day_start(self._next_working_day(received.date()))
        return self.next_working_start(received)

    def due_at(self, received_at: datetime, value: float, unit: str, cutoff: time | None = None) -> datetime:
        """Due time of a dossier: clock start plus ``value`` working days or hours.

        ``unit`` is ``"working_days"`` or ``"working_hours"`` (else ValueError).
        ``value == 0`` is a same-day procedure: due at the end of the last session
        of the effective start day; its cut-off defaults to ``hours.cutoff`` when
        ``cutoff`` is None. For ``value > 0``, ``cutoff`` None means no cut-off.
        """
        if unit not in UNITS:
            raise ValueError(f"Đơn vị thời hạn không hợp lệ: {unit!r} (chỉ nhận {', '.join(UNITS)})")
        _number(value, "Thời hạn")
        if value == 0:
            start = self.clock_start(received_at, self.hours.cutoff if cutoff is None else cutoff)
            return self._day_sessions(start.date())[-1][1]
        start = self.clock_start(received_at, cutoff)
        if unit == WORKING_DAYS:
            return self._add(start, self._day_length * value)
        return self._add(start, timedelta(hours=value))

    def _half_day_start(self, due: datetime) -> datetime:
        """Start of the session containing ``due`` (the latest session start at or before it).

        A due time on a session's start (an extension to 13:00) is in that session, so a release
        during the morning or at lunch is early; a due time at a session's end is in that session.
        """
        starts = [s for s, _ in self._day_sessions(due.date()) if s <= due]
        return starts[-1] if starts else due

    def classify(self, released_at: datetime, due: datetime) -> Lateness:
        """Classify a release against its due time (OpenCPS convention).

        EARLY: before the start of the half-day session containing the due time (a due
        time on a session's start belongs to that session);
        ON_TIME: from that session start up to and including the due time;
        LATE: after the due time.
        """
        released, deadline = _local(released_at, "thời điểm trả kết quả"), _local(due, "hạn xử lý")
        if released > deadline:
            return Lateness.LATE
        if released < self._half_day_start(deadline):
            return Lateness.EARLY
        return Lateness.ON_TIME
