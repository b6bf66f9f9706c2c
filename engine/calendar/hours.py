"""Office hours, working-time budgets and lateness classes for the statutory clock.

This module is a helper of :mod:`engine.calendar.working`, which re-exports every public
name defined here. It depends on the standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from engine.ground.vocabulary import Lateness

__all__ = [
    "DEFAULT_CUTOFF",
    "DEFAULT_SESSIONS",
    "MINUTES_PER_WORKING_DAY",
    "Lateness",
    "OfficeHours",
    "parse_budget",
]

DEFAULT_SESSIONS: tuple[tuple[time, time], ...] = (
    (time(7, 30), time(11, 30)),
    (time(13, 0), time(17, 0)),
)
DEFAULT_CUTOFF = time(15, 0)
MINUTES_PER_WORKING_DAY = 480
_WORKING_DAYS_PER_WEEK = 5

_CLOCK_RE = re.compile(r"\s*(\d{1,2})\s*[:hH]\s*(\d{2})\s*")
_SESSION_SPLIT_RE = re.compile(r"[,;]")
_DASH_RE = re.compile(r"\s*[-\u2013\u2014]\s*")
_NUM = r"(\d+(?:[.,]\d+)?)"
_BUDGET_RE = re.compile(rf"P(?:{_NUM}W)?(?:{_NUM}D)?(?:T(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?")


def _parse_clock(text: str, what: str) -> time:
    """Parse ``"HH:MM"`` (or ``"HHhMM"``) into a :class:`time`; ValueError otherwise."""
    match = _CLOCK_RE.fullmatch(text or "")
    if not match:
        raise ValueError(f"Giờ không hợp lệ ({what}): {text!r}, cần dạng HH:MM")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(f"Giờ không hợp lệ ({what}): {text!r}, ngoài khoảng 00:00-23:59")
    return time(hour, minute)


def _minutes_of(t: time) -> float:
    """Minutes since midnight of a wall-clock time (seconds kept as a fraction)."""
    return t.hour * 60 + t.minute + t.second / 60 + t.microsecond / 60_000_000


def _validate_sessions(sessions: tuple[tuple[time, time], ...]) -> None:
    """Raise ValueError unless sessions are non-empty, well-formed, sorted and disjoint."""
    if not sessions:
        raise ValueError("Giờ làm việc không hợp lệ: cần ít nhất một buổi làm việc")
    previous_end: time | None = None
    for pair in sessions:
        if len(pair) != 2 or not all(isinstance(t, time) for t in pair):
            raise ValueError(f"Buổi làm việc không hợp lệ: {pair!r}, cần (giờ bắt đầu, giờ kết thúc)")
        start, end = pair
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError(f"Buổi làm việc không được kèm múi giờ: {pair!r}")
        if start >= end:
            raise ValueError(
                f"Buổi làm việc không hợp lệ: {start:%H:%M}-{end:%H:%M} (giờ bắt đầu phải trước giờ kết thúc)"
            )
        if previous_end is not None and start < previous_end:
            raise ValueError(
                f"Các buổi làm việc chồng lấn hoặc không theo thứ tự: buổi {start:%H:%M}-{end:%H:%M} "
                f"bắt đầu trước khi buổi trước kết thúc ({previous_end:%H:%M})"
            )
        previous_end = end


@dataclass(frozen=True)
class OfficeHours:
    """A unit's daily office sessions (sorted, disjoint) and its same-day cut-off."""

    sessions: tuple[tuple[time, time], ...] = DEFAULT_SESSIONS
    cutoff: time = DEFAULT_CUTOFF

    def __post_init__(self) -> None:
        """Normalise sessions to a tuple of tuples and validate them and the cut-off."""
        try:
            sessions = tuple(tuple(pair) for pair in self.sessions)
        except TypeError as exc:
            raise ValueError(f"Giờ làm việc không hợp lệ: {self.sessions!r}") from exc
        _validate_sessions(sessions)
        if not isinstance(self.cutoff, time) or self.cutoff.tzinfo is not None:
            raise ValueError(f"Giờ chốt nhận hồ sơ không hợp lệ: {self.cutoff!r}")
        object.__setattr__(self, "sessions", sessions)

    @classmethod
    def parse(cls, text: str, cutoff: str = "15:00") -> OfficeHours:
        """Build office hours from text such as ``"07:30-11:30,13:00-17:00"``.

        Sessions are separated by ``,`` or ``;``; each is ``HH:MM-HH:MM``. Raises
        ValueError (Vietnamese message) on bad syntax, an empty session list, a
        session that ends before it starts, or unsorted/overlapping sessions.
        """
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"Giờ làm việc không hợp lệ: {text!r}, cần dạng 07:30-11:30,13:00-17:00")
        sessions = []
        for part in _SESSION_SPLIT_RE.split(text):
            bounds = _DASH_RE.split(part.strip())
            if len(bounds) != 2:
                raise ValueError(f"Buổi làm việc không hợp lệ: {part.strip()!r}, cần dạng HH:MM-HH:MM")
            sessions.append((_parse_clock(bounds[0], "giờ bắt đầu"), _parse_clock(bounds[1], "giờ kết thúc")))
        return cls(tuple(sessions), _parse_clock(cutoff, "giờ chốt nhận hồ sơ"))

    @property
    def minutes_per_day(self) -> int:
        """Total working minutes in one working day (sum of the sessions' lengths)."""
        return int(round(sum(_minutes_of(end) - _minutes_of(start) for start, end in self.sessions)))

    def __str__(self) -> str:
        """Render the sessions in the same format :meth:`parse` accepts."""
        return ",".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in self.sessions)


def _budget_error(text: object) -> ValueError:
    """The ValueError raised for any unreadable budget text."""
    return ValueError(
        f"Thời lượng không hợp lệ: {text!r} (cần dạng ISO 8601 theo thời gian làm việc, "
        "ví dụ PT4H, P2D, P1DT4H, PT30M, P1W)"
    )


def parse_budget(text: str, minutes_per_day: int = MINUTES_PER_WORKING_DAY) -> int:
    """Convert an ISO 8601 working-time duration to working minutes.

    ``PT4H`` -> 240, ``P2D`` -> 960, ``P1DT4H`` -> 720, ``PT30M`` -> 30 and
    ``P1W`` -> 5 working days. A day is ``minutes_per_day`` working minutes (480
    by default). Years and months are not working-time units and are refused.
    Decimal fractions (``PT1.5H``) are allowed if the total is a whole number of
    minutes. Raises ``ValueError("Thời lượng không hợp lệ: ...")`` otherwise.
    """
    if not isinstance(text, str):
        raise _budget_error(text)
    cleaned = text.strip().upper()
    match = _BUDGET_RE.fullmatch(cleaned)
    if not match or cleaned in ("P", "") or cleaned.endswith("T") or not any(match.groups()):
        raise _budget_error(text)
    try:
        weeks, days, hours, minutes, seconds = (
            Decimal(g.replace(",", ".")) if g else Decimal(0) for g in match.groups()
        )
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise _budget_error(text) from exc
    total = (weeks * _WORKING_DAYS_PER_WEEK + days) * minutes_per_day + hours * 60 + minutes + seconds / 60
    if total != total.to_integral_value():
        raise ValueError(f"Thời lượng không hợp lệ: {text!r} (phải là số phút làm việc nguyên)")
    return int(total)


MIN_YEAR, MAX_YEAR = 1900, 2999  # the calendar the engine counts in; outside, time zones overflow


def iso_day(text: str) -> date:
    """An ISO ``YYYY-MM-DD`` day between MIN_YEAR and MAX_YEAR; ValueError otherwise (year 0001 included)."""
    day = date.fromisoformat(text.strip())
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"Năm {day.year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
    return day


def as_date(value: date | str) -> date:
    """Coerce a date, a datetime or an ISO ``YYYY-MM-DD`` string (years MIN_YEAR to MAX_YEAR) to a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return iso_day(value)
        except ValueError as exc:
            raise ValueError(f"Ngày không hợp lệ: {value!r}, cần dạng YYYY-MM-DD") from exc
    raise TypeError(f"Ngày không hợp lệ: {value!r}")
