"""The legal calendar as dated data: every announced day of 2025 and 2026, with its source, drives the clock.

The table below is written by hand from the announcements (not read from the shipped file), so a
wrong edit of engine/data/calendar_vn.toml, or a migration that does not load it, fails here.
"""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from engine.calendar.working import TZ
from engine.clock import announced
from engine.clock.calendar_days import add_day, ask_due, remove_day, set_expected_rule, year_listing
from engine.clock.statutory import calendar_for, calendar_revision, expected_rule
from engine.ground.errors import Invalid
from engine.models import CalendarDay
from engine.org.accounts import get_unit

LAW, T6150, V12729, T9441, C3383 = "45/2019/QH14", "6150/TB-BLĐTBXH", "12729/VPCP-KGVX", "9441/TB-BNV", "3383/BNV-CVL"
# (day, working?, document number): every weekday off and weekend day worked of 2025 and 2026
ANNOUNCED = [
    (date(2025, 1, 1), False, LAW),       # Tết Dương lịch
    (date(2025, 1, 27), False, T6150),    # Tết Ất Tỵ, 27–31/01
    (date(2025, 1, 28), False, T6150),
    (date(2025, 1, 29), False, T6150),
    (date(2025, 1, 30), False, T6150),
    (date(2025, 1, 31), False, T6150),
    (date(2025, 4, 7), False, LAW),       # Giỗ Tổ Hùng Vương
    (date(2025, 4, 26), True, T6150),     # Saturday worked for Friday 02/05
    (date(2025, 4, 30), False, LAW),
    (date(2025, 5, 1), False, LAW),
    (date(2025, 5, 2), False, T6150),
    (date(2025, 9, 1), False, T6150),     # Quốc khánh, the adjacent day
    (date(2025, 9, 2), False, LAW),
    (date(2026, 1, 1), False, LAW),
    (date(2026, 1, 2), False, V12729),    # the New Year swap the holidays package does not know
    (date(2026, 1, 10), True, V12729),
    (date(2026, 2, 16), False, T9441),    # Tết Bính Ngọ, 16–20/02
    (date(2026, 2, 17), False, T9441),
    (date(2026, 2, 18), False, T9441),
    (date(2026, 2, 19), False, T9441),
    (date(2026, 2, 20), False, T9441),
    (date(2026, 4, 26), False, LAW),      # Giỗ Tổ on a Sunday …
    (date(2026, 4, 27), False, C3383),    # … made up on Monday
    (date(2026, 4, 30), False, C3383),
    (date(2026, 5, 1), False, C3383),
    (date(2026, 8, 22), True, T9441),     # Saturday worked for Monday 31/08
    (date(2026, 8, 31), False, T9441),
    (date(2026, 9, 1), False, T9441),
    (date(2026, 9, 2), False, LAW),
]


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


def test_the_shipped_file_holds_exactly_the_announced_days():
    shipped = announced.load()
    assert shipped.years == {2025, 2026}
    assert [(d.day, d.kind == "working", d.document.number) for d in shipped.days] == ANNOUNCED
    for d in shipped.days:
        assert d.document.date < d.day or d.document.number == LAW
        assert d.document.issuer and d.name


@pytest.mark.parametrize(("day", "working", "document"), ANNOUNCED, ids=[f"{d}" for d, _, _ in ANNOUNCED])
def test_each_announced_day_is_in_the_calendar_with_its_document(session, day, working, document):
    unit = get_unit(session, "H26.70")
    assert calendar_for(unit).is_working_day(day) is working
    row = session.scalars(select(CalendarDay).where(CalendarDay.day == day, CalendarDay.unit_id.is_(None))).one()
    assert (row.source, row.kind, row.document_number) == ("announced", "working" if working else "off", document)
    assert row.document_date is not None and row.document_issuer


def test_a_one_day_limit_from_new_years_eve_2025_skips_the_swapped_friday(session):
    answer = ask_due(session, get_unit(session, "H26.70"), "2025-12-31T10:00", "P1D")
    assert answer.due_at.isoformat() == "2026-01-05T10:00:00+07:00"  # the package alone says 2026-01-02


def test_saturday_10_january_2026_is_worked(session):
    answer = ask_due(session, get_unit(session, "H26.70"), "2026-01-09T10:00", "P1D")
    assert answer.due_at == vn(2026, 1, 10, 10)


def test_sync_is_idempotent_and_follows_a_corrected_file(session, clock):
    assert announced.sync(session, clock()) == announced.SyncReport()
    before = calendar_revision(session)
    shipped = announced.load()
    corrected = announced.Announcements(shipped.country, shipped.years, tuple(
        d for d in shipped.days if d.day != date(2026, 1, 10)))
    report = announced.sync(session, clock(), corrected)
    session.commit()
    assert report.removed == (date(2026, 1, 10),) and not report.added
    assert calendar_revision(session) != before
    assert not calendar_for(get_unit(session, "H26.70")).is_working_day(date(2026, 1, 10))
    assert announced.sync(session, clock()).added == (date(2026, 1, 10),)


def test_an_admins_day_wins_over_the_announcement_and_sync_reports_it(session, clock):
    add_day(session, "2026-01-10", "off", None, clock(), "Đơn vị nghỉ theo quyết định riêng")
    session.commit()
    report = announced.sync(session, clock())
    assert report.kept_admin == (date(2026, 1, 10),)
    assert not calendar_for(get_unit(session, "H26.70")).is_working_day(date(2026, 1, 10))


def test_an_announced_day_cannot_be_removed_only_corrected(session, clock):
    with pytest.raises(Invalid) as refused:
        remove_day(session, "2026-01-02", None, clock())
    assert "12729/VPCP-KGVX" in refused.value.message
    assert session.scalar(select(func.count()).select_from(CalendarDay).where(CalendarDay.day == date(2026, 1, 2)))


def test_days_only_the_package_gives_are_expected_until_an_admin_confirms(session, clock):
    expected = {d.day for d in announced.expected_days(session, date(2026, 1, 1), date(2027, 12, 31))}
    assert date(2026, 11, 24) in expected            # Ngày Văn hóa Việt Nam: no announcement shipped
    assert date(2027, 2, 8) in expected              # Tết 2027: no announcement yet
    assert not expected & {d for d, _, _ in ANNOUNCED}
    entries = {e.day: e for e in year_listing(session, 2026)}
    assert entries[date(2026, 11, 24)].expected and entries[date(2026, 11, 24)].source == "holiday"
    assert entries[date(2026, 1, 2)].document == "12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ"
    add_day(session, "2026-11-24", "off", None, clock(), "Xác nhận: Ngày Văn hóa Việt Nam")
    session.commit()
    assert date(2026, 11, 24) not in {d.day for d in announced.expected_days(session, date(2026, 1, 1),
                                                                             date(2026, 12, 31))}
    assert "24/11/2026" not in (announced.expected_warning(session, date(2026, 11, 1)) or "")


def test_the_rule_for_expected_days_is_a_unit_setting_defaulting_to_off(session, clock):
    unit = get_unit(session, "H26.70")
    assert expected_rule(unit) == "off"
    assert not calendar_for(unit).is_working_day(date(2026, 11, 24))
    answer = ask_due(session, unit, "2026-11-23T10:00", "P1D")
    assert answer.due_at == vn(2026, 11, 25, 10) and answer.expected == (date(2026, 11, 24),)
    set_expected_rule(session, unit, "working", None, clock())
    session.commit()
    assert calendar_for(unit).is_working_day(date(2026, 11, 24))
    assert not calendar_for(unit).is_working_day(date(2026, 1, 2))  # announced days still count
    assert ask_due(session, unit, "2026-11-23T10:00", "P1D").due_at == vn(2026, 11, 24, 10)
    assert calendar_for(get_unit(session, "H26.73")).is_working_day(date(2026, 11, 24)) is False
    with pytest.raises(Invalid) as refused:
        set_expected_rule(session, unit, "maybe", None, clock())
    assert "expected_days" in refused.value.fields


@pytest.mark.parametrize(("received", "limit", "due"), [
    ("2025-12-31T10:00", "P1D", "2026-01-05T10:00:00+07:00"),
    ("2026-02-13T16:00", "PT4H", "2026-02-23T11:30:00+07:00"),   # after the cut-off, then Tết
    ("2026-08-21T10:00", "P1D", "2026-08-22T10:00:00+07:00"),    # into the worked Saturday
    ("2026-08-28T10:00", "P1D", "2026-09-03T10:00:00+07:00"),    # over 31/08–02/09
    ("2025-04-29T10:00", "P1D", "2025-05-05T10:00:00+07:00"),    # over 30/04–02/05/2025
    ("2026-03-02T16:00", "P0D", "2026-03-03T17:00:00+07:00"),    # same day, after 15:00: next day
])
def test_the_clock_answers_in_iso_8601_with_the_vietnam_offset(session, received, limit, due):
    assert ask_due(session, get_unit(session, "H26.70"), received, limit).due_at.isoformat() == due


@pytest.mark.parametrize(("received", "limit", "field"), [("hôm qua", "P1D", "from"), ("2026-03-02", "3", "limit"),
                                                          ("2026-03-02", "P1Y", "limit")])
def test_a_bad_question_to_the_clock_names_the_field(session, received, limit, field):
    with pytest.raises(Invalid) as refused:
        ask_due(session, get_unit(session, "H26.70"), received, limit)
    assert field in refused.value.fields
