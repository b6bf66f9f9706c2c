"""Working time for many dossiers at once: a cumulative working-minute count per calendar day.

`WorkingCalendar.working_minutes_between(a, b)` walks the days from a to b; summing it over a
city's quarter (a hundred thousand dossiers) would take seconds. Here the working minutes before
each day are counted once per calendar, so the working time between two moments is
W(b) − W(a): two look-ups and the minutes worked on each end day.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from engine.calendar.working import TZ, WorkingCalendar

EPOCH = date(2000, 1, 1)
UNIX_DAY0 = date(1970, 1, 1).toordinal()
VN_OFFSET = 7 * 3600  # Vietnam keeps UTC+7 all year (no daylight saving since 1975)


class CumulativeClock:
    """W(t): the working minutes of one calendar from EPOCH up to the moment t."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self._before: dict[date, int] = {}  # working minutes before the day starts
        self._last, self._total = EPOCH, 0
        self._sessions = [(s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in calendar.hours.sessions]
        self._day = sum(e - s for s, e in self._sessions)
        self._working: dict[date, bool] = {}

    def _minutes_before(self, day: date) -> int:
        found = self._before.get(day)
        if found is not None:
            return found
        if day < self._last:  # earlier than anything counted: count from the epoch again (rare)
            self._last, self._total = EPOCH, 0
        while self._last < day:
            self._before[self._last] = self._total
            if self.calendar.is_working_day(self._last):
                self._total += self._day
            self._last += timedelta(days=1)
        self._before[day] = self._total
        return self._total

    def at(self, moment: datetime) -> int:
        """Working minutes from EPOCH to `moment` (whole minutes)."""
        local = moment.astimezone(TZ)
        return self._at(local.date(), local.hour * 60 + local.minute)

    def at_epoch(self, seconds: float) -> int:
        """The same for a moment given as Unix seconds (what the database hands over fastest)."""
        local = int(seconds) + VN_OFFSET
        return self._at(date.fromordinal(UNIX_DAY0 + local // 86400), (local % 86400) // 60)

    def _at(self, day: date, minute: int) -> int:
        total = self._minutes_before(day)
        working = self._working.get(day)
        if working is None:
            working = self._working[day] = self.calendar.is_working_day(day)
        if not working:
            return total
        for start, end in self._sessions:
            if minute > start:
                total += min(minute, end) - start
        return total

    def between(self, a: datetime, b: datetime) -> int:
        """Working minutes from `a` to `b` (negative when b is before a)."""
        return self.at(b) - self.at(a)


def day_start(day: date) -> datetime:
    """Midnight of a day in Vietnam's time."""
    return datetime.combine(day, time(0), TZ)
