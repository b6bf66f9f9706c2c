"""Admins keep the calendar: extra days off, make-up working days and office hours move due times."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select

from engine.calendar.working import TZ
from engine.clock.calendar_days import add_day, remove_day, year_listing
from engine.clock.statutory import statutory_due
from engine.ground.errors import Forbidden, Invalid, NotFound
from engine.models import Event
from engine.org.accounts import get_unit
from engine.org.office_hours import set_office_hours
from tests.procedures.drive import new_dossier, step, user
from webapp.cli import main

BUSINESS = {"time_limit": {"value": 3, "unit": "working_days"}}


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


def due(session, unit_code: str, received: datetime, catalogue: dict = BUSINESS) -> datetime:
    return statutory_due(get_unit(session, unit_code), catalogue, received)


def test_an_extra_day_off_everywhere_moves_every_due_time(session, clock):
    assert due(session, "H26.70", vn(2026, 3, 2, 9)) == vn(2026, 3, 5, 9)
    add_day(session, "2026-03-03", "off", user(session, "admin1"), clock(), "Nghỉ theo quyết định của Thành phố")
    session.commit()
    assert due(session, "H26.70", vn(2026, 3, 2, 9)) == vn(2026, 3, 6, 9)
    assert due(session, "H26.73", vn(2026, 3, 2, 9)) == vn(2026, 3, 6, 9)
    recorded = session.scalars(select(Event).where(Event.kind == "calendar.day_added")).one()
    assert recorded.payload == {"day": "2026-03-03", "day_kind": "off", "note": "Nghỉ theo quyết định của Thành phố"}


def test_a_units_make_up_saturday_counts_for_it_and_its_desks_only(session, clock):
    ward = get_unit(session, "H26.70")
    add_day(session, date(2026, 3, 7), "working", user(session, "admin1"), clock(), "Làm bù", unit=ward)
    session.commit()
    one_day = {"time_limit": {"value": 1, "unit": "working_days"}}
    assert due(session, "H26.70", vn(2026, 3, 6, 10), one_day) == vn(2026, 3, 7, 10)
    assert due(session, "H26.70.MC", vn(2026, 3, 6, 10), one_day) == vn(2026, 3, 7, 10)
    assert due(session, "H26.73", vn(2026, 3, 6, 10), one_day) == vn(2026, 3, 9, 10)


def test_a_removed_day_no_longer_counts_and_other_sessions_see_changes_at_once(sessions, session, clock):
    with sessions() as other:
        assert due(other, "H26.70", vn(2026, 3, 2, 9)) == vn(2026, 3, 5, 9)
        add_day(session, "2026-03-03", "off", None, clock())
        session.commit()
        other.rollback()  # a new transaction reads the calendar's new revision
        assert due(other, "H26.70", vn(2026, 3, 2, 9)) == vn(2026, 3, 6, 9)
        remove_day(session, "2026-03-03", None, clock())
        session.commit()
        other.rollback()
        assert due(other, "H26.70", vn(2026, 3, 2, 9)) == vn(2026, 3, 5, 9)
    with pytest.raises(NotFound):
        remove_day(session, "2026-03-03", None, clock())


def test_declaring_a_day_again_with_the_other_kind_replaces_it(session, clock):
    add_day(session, "2026-03-07", "off", None, clock())
    add_day(session, "2026-03-07", "working", None, clock(), "Làm bù")
    session.commit()
    assert [e.name for e in year_listing(session, 2026) if e.day == date(2026, 3, 7)] == ["Làm bù"]
    assert due(session, "H26.70", vn(2026, 3, 6, 10), {"time_limit": {"value": 1, "unit": "working_days"}}) \
        == vn(2026, 3, 7, 10)


@pytest.mark.parametrize(("username", "unit_code"), [("desk1", None), ("leader1", "H26.70"), ("admin1", None)])
def test_only_admins_keep_the_calendar(session, clock, username, unit_code):
    unit = get_unit(session, unit_code) if unit_code else None
    if username == "admin1":
        assert add_day(session, "2026-03-03", "off", user(session, username), clock(), unit=unit).kind == "off"
        return
    with pytest.raises(Forbidden):
        add_day(session, "2026-03-03", "off", user(session, username), clock(), unit=unit)


@pytest.mark.parametrize(("day", "kind", "field"), [("03/03/2026", "off", "day"), ("2026-03-03", "holiday", "kind")])
def test_bad_calendar_input_names_the_field(session, clock, day, kind, field):
    with pytest.raises(Invalid) as refused:
        add_day(session, day, kind, None, clock())
    assert field in refused.value.fields


def test_office_hours_and_cut_off_are_set_per_unit(session, clock):
    ward2 = get_unit(session, "H26.73")
    set_office_hours(session, ward2, "08:00-12:00, 13:30-17:30", "16:00", user(session, "admin1"), clock())
    session.commit()
    assert (ward2.office_hours, ward2.same_day_cutoff) == ("08:00-12:00,13:30-17:30", "16:00")
    one_day = {"time_limit": {"value": 1, "unit": "working_days"}}
    assert due(session, "H26.73", vn(2026, 3, 2, 15, 30), one_day) == vn(2026, 3, 3, 15, 30)
    assert due(session, "H26.73", vn(2026, 3, 2, 16, 30), one_day) == vn(2026, 3, 3, 17, 30)
    assert due(session, "H26.70", vn(2026, 3, 2, 15, 30), one_day) == vn(2026, 3, 3, 17)
    with pytest.raises(Invalid) as refused:
        set_office_hours(session, ward2, "13:00-17:00,07:30-11:30", "15:00", None, clock())
    assert "office_hours" in refused.value.fields


def test_a_step_in_a_unit_with_a_day_off_is_due_after_it(session, clock):
    add_day(session, "2026-03-03", "off", None, clock())
    session.commit()
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")
    assert dossier.due_at == vn(2026, 3, 24, 9)


def test_the_year_listing_shows_tet_the_swaps_and_the_admins_days(session, clock):
    add_day(session, "2026-12-31", "off", None, clock(), "Nghỉ cuối năm")
    session.commit()
    entries = {e.day: e for e in year_listing(session, 2026)}
    assert not entries[date(2026, 2, 17)].working and "Tết" in entries[date(2026, 2, 17)].name
    assert entries[date(2026, 8, 22)].working and entries[date(2026, 8, 22)].source == "announced"
    assert entries[date(2026, 12, 31)].source == "admin"


def test_the_calendar_commands_add_list_and_set_hours(app, clock):
    runner, obj = CliRunner(), ScriptInfo(create_app=lambda: app)
    result = runner.invoke(main, ["calendar", "add-day", "2026-03-07", "--kind", "working", "--unit", "H26.70",
                                  "--note", "Làm bù"], obj=obj)
    assert result.exit_code == 0, result.output
    listing = runner.invoke(main, ["calendar", "list", "--year", "2026", "--unit", "H26.70"], obj=obj).output
    assert "2026-03-07" in listing and "Làm bù" in listing and "Tết Nguyên đán (mùng 1)" in listing
    result = runner.invoke(main, ["calendar", "hours", "H26.73", "08:00-12:00,13:00-17:00", "--cutoff", "16:00"],
                           obj=obj)
    assert result.exit_code == 0 and "chốt nhận 16:00" in result.output
    bad = runner.invoke(main, ["calendar", "add-day", "31/02/2026"], obj=obj)
    assert bad.exit_code != 0 and "Ngày không hợp lệ" in bad.output
