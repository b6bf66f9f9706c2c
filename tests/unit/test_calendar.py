"""Behaviour of the statutory working-day clock (engine.calendar.working)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.calendar.working import TZ, Lateness, OfficeHours, WorkingCalendar, parse_budget

CAL = WorkingCalendar()


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    """A wall-clock moment in Vietnam."""
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


# ------------------------------------------------------------ adding days
@pytest.mark.parametrize(
    "received, days, due",
    [
        (vn(2026, 3, 2, 10), 1, vn(2026, 3, 3, 10)),  # Monday 10:00 -> Tuesday 10:00
        (vn(2026, 3, 6, 16), 1, vn(2026, 3, 9, 16)),  # Friday 16:00 -> Monday 16:00
        (vn(2026, 3, 2, 7, 30), 1, vn(2026, 3, 2, 17)),  # ends at closing, not next 07:30
        (vn(2026, 3, 2, 10), 5, vn(2026, 3, 9, 10)),  # a working week
        (vn(2026, 3, 2, 10), 0.5, vn(2026, 3, 2, 15, 30)),  # half a day over lunch
        (vn(2026, 3, 2, 10), 15, vn(2026, 3, 23, 10)),
    ],
)
def test_add_working_days_table(received: datetime, days: float, due: datetime) -> None:
    assert CAL.add_working_days(received, days) == due
    assert CAL.due_at(received, days, "working_days") == due


def test_four_hours_from_opening_ends_at_lunch_not_after_it() -> None:
    assert CAL.add_working_hours(vn(2026, 3, 2, 7, 30), 4) == vn(2026, 3, 2, 11, 30)
    assert CAL.add_working_minutes(vn(2026, 3, 2, 11), 60) == vn(2026, 3, 2, 13, 30)


# ------------------------------------------------------------ start rule
@pytest.mark.parametrize(
    "received, start",
    [
        (vn(2026, 3, 7, 9), vn(2026, 3, 9, 7, 30)),  # Saturday -> Monday opening
        (vn(2026, 3, 8, 20), vn(2026, 3, 9, 7, 30)),  # Sunday evening
        (vn(2026, 3, 2, 12), vn(2026, 3, 2, 13)),  # lunch -> 13:00
        (vn(2026, 3, 2, 17, 30), vn(2026, 3, 3, 7, 30)),  # after closing
        (vn(2026, 3, 2, 17), vn(2026, 3, 3, 7, 30)),  # exactly at closing
        (vn(2026, 3, 2, 6, 45), vn(2026, 3, 2, 7, 30)),  # before opening
        (vn(2026, 3, 2, 9, 15), vn(2026, 3, 2, 9, 15)),  # inside a session
    ],
)
def test_clock_start_outside_office_hours(received: datetime, start: datetime) -> None:
    assert CAL.clock_start(received) == start
    assert CAL.next_working_start(received) == start


def test_received_on_saturday_with_one_day_is_due_monday_closing() -> None:
    assert CAL.due_at(vn(2026, 3, 7, 9), 1, "working_days") == vn(2026, 3, 9, 17)


# ------------------------------------------------------------ holidays from the package
@pytest.mark.parametrize(
    "day, off",
    [
        (date(2026, 2, 16), True),  # Tết Bính Ngọ (Feb 16-20, 2026)
        (date(2026, 2, 20), True),
        (date(2026, 2, 23), False),
        (date(2026, 4, 27), True),  # Giỗ Tổ Hùng Vương falls on Sunday 26/4 -> Monday off
        (date(2026, 4, 30), True),
        (date(2026, 5, 1), True),
        (date(2026, 8, 31), True),  # swapped day off before Quốc khánh
        (date(2026, 9, 1), True),
        (date(2026, 9, 2), True),
        (date(2026, 8, 22), False),  # ... made up on Saturday 22/8/2026
        (date(2025, 1, 29), True),  # Tết Ất Tỵ
        (date(2025, 5, 2), True),  # swapped day off in 2025 ...
        (date(2025, 4, 26), False),  # ... made up on Saturday 26/4/2025
        (date(2025, 9, 2), True),
    ],
)
def test_public_holidays_and_swaps(day: date, off: bool) -> None:
    assert CAL.is_working_day(day) is not off


@pytest.mark.parametrize(
    "received, days, due",
    [
        (vn(2026, 2, 13, 10), 1, vn(2026, 2, 23, 10)),  # Friday before Tết -> Monday after
        (vn(2026, 2, 13, 10), 3, vn(2026, 2, 25, 10)),
        (vn(2026, 4, 29, 10), 1, vn(2026, 5, 4, 10)),  # over 30/4 and 1/5
        (vn(2026, 8, 28, 10), 1, vn(2026, 9, 3, 10)),  # over 31/8-2/9
        (vn(2026, 8, 21, 10), 1, vn(2026, 8, 22, 10)),  # make-up Saturday counts
        (vn(2025, 1, 24, 10), 1, vn(2025, 2, 3, 10)),  # Tết 2025
    ],
)
def test_holidays_are_skipped(received: datetime, days: int, due: datetime) -> None:
    assert CAL.due_at(received, days, "working_days") == due


def test_holiday_names_are_vietnamese() -> None:
    assert CAL.holiday_name(date(2026, 9, 2)) == "Quốc khánh"
    assert "Tết" in (CAL.holiday_name(date(2026, 2, 17)) or "")
    assert CAL.holiday_name(date(2026, 3, 3)) is None


# ------------------------------------------------------------ unit's own days
def test_admin_make_up_saturday_counts() -> None:
    cal = WorkingCalendar(extra_working_days=[date(2026, 3, 7)])
    assert cal.is_working_day(date(2026, 3, 7))
    assert cal.due_at(vn(2026, 3, 6, 16), 1, "working_days") == vn(2026, 3, 7, 16)
    assert cal.clock_start(vn(2026, 3, 7, 9)) == vn(2026, 3, 7, 9)


def test_admin_extra_day_off_is_skipped() -> None:
    cal = WorkingCalendar(extra_days_off=[date(2026, 3, 3)])
    assert not cal.is_working_day(date(2026, 3, 3))
    assert cal.due_at(vn(2026, 3, 2, 10), 1, "working_days") == vn(2026, 3, 4, 10)
    assert cal.holiday_name(date(2026, 3, 3)) == "Ngày nghỉ bổ sung"


def test_same_day_in_both_admin_lists_is_refused() -> None:
    with pytest.raises(ValueError):
        WorkingCalendar(extra_days_off=[date(2026, 3, 7)], extra_working_days=["2026-03-07"])


def test_unknown_country_is_refused() -> None:
    with pytest.raises(ValueError):
        WorkingCalendar(country="ZZ")


# ------------------------------------------------------------ cut-off and same-day procedures
@pytest.mark.parametrize(
    "received, due",
    [
        (vn(2026, 3, 2, 14), vn(2026, 3, 2, 17)),
        (vn(2026, 3, 2, 15), vn(2026, 3, 2, 17)),  # at the cut-off: still today
        (vn(2026, 3, 2, 15, 30), vn(2026, 3, 3, 17)),
        (vn(2026, 3, 6, 15, 30), vn(2026, 3, 9, 17)),  # Friday after cut-off -> Monday
        (vn(2026, 3, 7, 10), vn(2026, 3, 9, 17)),  # Saturday -> Monday
        (vn(2026, 3, 2, 6), vn(2026, 3, 2, 17)),  # before opening
    ],
)
def test_same_day_procedure_with_cutoff(received: datetime, due: datetime) -> None:
    assert CAL.due_at(received, 0, "working_days", cutoff=time(15, 0)) == due
    assert CAL.due_at(received, 0, "working_days") == due  # unit's default cut-off 15:00


def test_cutoff_moves_clock_start_to_next_working_day() -> None:
    assert CAL.clock_start(vn(2026, 3, 2, 15, 30), cutoff=time(15)) == vn(2026, 3, 3, 7, 30)
    assert CAL.clock_start(vn(2026, 3, 2, 15, 30)) == vn(2026, 3, 2, 15, 30)
    assert CAL.due_at(vn(2026, 3, 2, 15, 30), 1, "working_days", cutoff=time(15)) == vn(2026, 3, 3, 17)


# ------------------------------------------------------------ unit office hours
def test_unit_with_eight_to_twelve_hours() -> None:
    hours = OfficeHours.parse("08:00-12:00,13:00-17:00")
    cal = WorkingCalendar(hours)
    assert hours.minutes_per_day == 480
    assert cal.clock_start(vn(2026, 3, 2, 7, 45)) == vn(2026, 3, 2, 8)
    assert cal.clock_start(vn(2026, 3, 2, 12, 30)) == vn(2026, 3, 2, 13)
    assert cal.add_working_days(vn(2026, 3, 2, 7, 45), 1) == vn(2026, 3, 2, 17)
    assert cal.add_working_days(vn(2026, 3, 2, 11), 1) == vn(2026, 3, 3, 11)
    assert cal.add_working_hours(vn(2026, 3, 2, 11, 30), 1) == vn(2026, 3, 2, 13, 30)


def test_default_office_hours() -> None:
    assert OfficeHours().minutes_per_day == 480
    assert OfficeHours.parse("07:30-11:30,13:00-17:00") == OfficeHours()
    assert OfficeHours.parse("07:30-11:30,13:00-17:00", cutoff="16:00").cutoff == time(16)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "07:30",
        "07:30-11:30,11:00-17:00",
        "13:00-17:00,07:30-11:30",
        "17:00-13:00",
        "25:00-26:00",
        "ab-cd",
    ],
)
def test_bad_office_hours_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        OfficeHours.parse(text)


def test_bad_cutoff_is_refused() -> None:
    with pytest.raises(ValueError):
        OfficeHours.parse("07:30-11:30,13:00-17:00", cutoff="3pm")


# ------------------------------------------------------------ hours vs days, units
def test_240_working_hours_equal_30_working_days() -> None:
    received = vn(2026, 3, 2, 10)
    assert CAL.due_at(received, 240, "working_hours") == CAL.due_at(received, 30, "working_days")
    assert CAL.working_minutes_between(received, CAL.due_at(received, 30, "working_days")) == 240 * 60


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError):
        CAL.due_at(vn(2026, 3, 2, 10), 1, "calendar_days")


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_minutes(vn(2026, 3, 2, 10), -5)


# ------------------------------------------------------------ budgets
@pytest.mark.parametrize(
    "text, minutes",
    [
        ("PT4H", 240),
        ("P2D", 960),
        ("P1DT4H", 720),
        ("PT30M", 30),
        ("P1W", 2400),
        ("PT1.5H", 90),
        ("p1d", 480),
    ],
)
def test_parse_budget(text: str, minutes: int) -> None:
    assert parse_budget(text) == minutes


@pytest.mark.parametrize("text", ["", "P", "PT", "4H", "P1M", "P1Y", "PT-1H", "P2DT", "hai ngày", "PT10S"])
def test_bad_budget_has_vietnamese_message(text: str) -> None:
    with pytest.raises(ValueError, match="Thời lượng không hợp lệ"):
        parse_budget(text)


# ------------------------------------------------------------ classification
@pytest.mark.parametrize(
    "released, expected",
    [
        (vn(2026, 3, 2, 9), Lateness.EARLY),
        (vn(2026, 3, 2, 12, 59), Lateness.EARLY),
        (vn(2026, 3, 2, 13), Lateness.ON_TIME),
        (vn(2026, 3, 2, 16), Lateness.ON_TIME),
        (vn(2026, 3, 2, 16, 1), Lateness.LATE),
        (vn(2026, 3, 3, 8), Lateness.LATE),
    ],
)
def test_classify_around_due_at_16h(released: datetime, expected: Lateness) -> None:
    assert CAL.classify(released, vn(2026, 3, 2, 16)) is expected


def test_due_at_closing_belongs_to_afternoon_session() -> None:
    due = vn(2026, 3, 2, 17)
    assert CAL.classify(vn(2026, 3, 2, 11), due) is Lateness.EARLY
    assert CAL.classify(vn(2026, 3, 2, 14), due) is Lateness.ON_TIME
    assert Lateness.ON_TIME.value == "on_time" and Lateness("late") is Lateness.LATE


@pytest.mark.parametrize(
    "released, expected",
    [
        (vn(2026, 3, 2, 11), Lateness.EARLY),
        (vn(2026, 3, 2, 12), Lateness.EARLY),       # at lunch, before the afternoon the due time opens
        (vn(2026, 3, 2, 12, 59), Lateness.EARLY),
        (vn(2026, 3, 2, 13), Lateness.ON_TIME),
        (vn(2026, 3, 2, 13, 1), Lateness.LATE),
    ],
)
def test_a_due_time_on_a_session_start_belongs_to_that_session(released: datetime, expected: Lateness) -> None:
    assert CAL.classify(released, vn(2026, 3, 2, 13)) is expected  # an extension to 13:00


def test_a_due_time_at_opening_makes_the_day_before_early() -> None:
    due = vn(2026, 3, 3, 7, 30)
    assert CAL.classify(vn(2026, 3, 2, 16), due) is Lateness.EARLY
    assert CAL.classify(due, due) is Lateness.ON_TIME


# ------------------------------------------------------------ time zones
def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(datetime(2026, 3, 2, 10), 1)


def test_other_time_zones_are_converted() -> None:
    utc = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
    due = CAL.add_working_days(utc, 1)
    assert due == vn(2026, 3, 3, 10) and due.tzinfo is TZ and due.hour == 10


def test_minutes_between_is_signed() -> None:
    a, b = vn(2026, 3, 6, 16), vn(2026, 3, 9, 8)
    assert CAL.working_minutes_between(a, b) == 90
    assert CAL.working_minutes_between(b, a) == -90


# ------------------------------------------------------------ properties
moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(TZ)
)
amounts = st.integers(min_value=0, max_value=30 * 480)
ADMIN_CAL = WorkingCalendar(
    OfficeHours.parse("08:00-12:00,13:00-17:00"),
    extra_days_off=[date(2026, 3, 3), date(2026, 12, 31)],
    extra_working_days=[date(2026, 3, 7), date(2025, 12, 27)],
)
calendars = st.sampled_from([CAL, ADMIN_CAL])


def _in_office(cal: WorkingCalendar, moment: datetime) -> bool:
    """True if moment lies in a session (ends included) of a working day."""
    if not cal.is_working_day(moment.date()):
        return False
    return any(
        datetime.combine(moment.date(), s, TZ) <= moment <= datetime.combine(moment.date(), e, TZ)
        for s, e in cal.hours.sessions
    )


@settings(max_examples=300, deadline=None, database=None)
@given(cal=calendars, start=moments, m1=amounts, m2=amounts)
def test_adding_is_monotonic_and_never_goes_back(cal, start, m1, m2) -> None:
    low, high = sorted((m1, m2))
    r_low, r_high = cal.add_working_minutes(start, low), cal.add_working_minutes(start, high)
    assert start <= r_low <= r_high


@settings(max_examples=300, deadline=None, database=None)
@given(cal=calendars, start=moments, minutes=st.integers(min_value=1, max_value=30 * 480))
def test_result_is_in_office_hours_and_never_a_holiday(cal, start, minutes) -> None:
    due = cal.add_working_minutes(start, minutes)
    assert _in_office(cal, due)
    assert cal.holiday_name(due.date()) is None


@settings(max_examples=300, deadline=None, database=None)
@given(cal=calendars, start=moments, minutes=amounts)
def test_minutes_between_inverts_adding(cal, start, minutes) -> None:
    begin = cal.next_working_start(start)
    assert cal.working_minutes_between(begin, cal.add_working_minutes(begin, minutes)) == minutes


@settings(max_examples=200, deadline=None, database=None)
@given(cal=calendars, start=moments, days=st.integers(min_value=1, max_value=40))
def test_days_and_hours_agree(cal, start, days) -> None:
    assert cal.add_working_days(start, days) == cal.add_working_hours(start, days * 8)
    assert cal.add_working_days(start, days) == cal.add_working_minutes(start, days * 480)
