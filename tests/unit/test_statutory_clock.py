"""The statutory due time of dossiers on real Vietnamese dates (engine.clock.statutory over engine.calendar.working)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.calendar.working import TZ
from engine.clock import statutory
from engine.models import Dossier, Unit

WARD = Unit(code="H26.70", name="UBND Phường Hoàn Kiếm", level="commune",
            office_hours="07:30-11:30,13:00-17:00", same_day_cutoff="15:00", settings={})
EIGHT_TO_FIVE = Unit(code="H26.99", name="UBND Phường thử", level="commune",
                     office_hours="08:00-12:00,13:00-17:00", same_day_cutoff="16:00", settings={})


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


def limit(value: float, unit: str = "working_days", **extra) -> dict:
    return {"time_limit": {"value": value, "unit": unit}, **extra}


@pytest.mark.parametrize(("received", "catalogue", "due"), [
    # Tết Bính Ngọ 2026: 16-20/2 off, with the weekends around it
    (vn(2026, 2, 13, 10), limit(3), vn(2026, 2, 25, 10)),
    (vn(2026, 2, 13, 15, 1), limit(1), vn(2026, 2, 23, 17)),
    (vn(2026, 2, 18, 9), limit(1), vn(2026, 2, 23, 17)),
    # Tết Đinh Mùi 2027: 4-10/2 off; received after the cut-off on the eve
    (vn(2027, 2, 3, 15, 1), limit(1), vn(2027, 2, 11, 17)),
    (vn(2027, 2, 3, 10), limit(2), vn(2027, 2, 12, 10)),
    # Saturday 26/4/2025 was a working day, swapped for Friday 2/5/2025
    (vn(2025, 4, 25, 10), limit(1), vn(2025, 4, 26, 10)),
    (vn(2025, 4, 26, 9), limit(0.5), vn(2025, 4, 26, 14, 30)),
    (vn(2025, 4, 29, 10), limit(1), vn(2025, 5, 5, 10)),
    # 2 September with its adjacent day: 1-2/9/2025 and 2-3/9/2027
    (vn(2025, 8, 29, 10), limit(1), vn(2025, 9, 3, 10)),
    (vn(2027, 9, 1, 10), limit(1), vn(2027, 9, 6, 10)),
    (vn(2026, 8, 28, 10), limit(1), vn(2026, 9, 3, 10)),
    # 15:01 on the Friday before Giỗ Tổ (Monday 27/4/2026 off) and 30/4-1/5
    (vn(2026, 4, 24, 15, 1), limit(3), vn(2026, 5, 4, 17)),
    (vn(2026, 4, 24, 15, 0), limit(3), vn(2026, 5, 4, 15)),
    (vn(2026, 4, 24, 15, 1), limit(0, same_day_cutoff="15:00"), vn(2026, 4, 28, 17)),
    # working-hour limits across the lunch break
    (vn(2026, 3, 2, 10), limit(4, "working_hours"), vn(2026, 3, 2, 15, 30)),
    (vn(2026, 3, 2, 11), limit(8, "working_hours"), vn(2026, 3, 3, 11)),
    (vn(2026, 3, 2, 12, 15), limit(2, "working_hours"), vn(2026, 3, 2, 15)),
    (vn(2026, 3, 2, 10), limit(240, "working_hours"), vn(2026, 4, 13, 10)),
])
def test_the_due_time_on_real_dates(received, catalogue, due):
    assert statutory.statutory_due(WARD, catalogue, received) == due


def test_a_unit_with_other_office_hours_counts_its_own_day_and_cut_off():
    assert statutory.statutory_due(EIGHT_TO_FIVE, limit(1), vn(2026, 3, 2, 7, 45)) == vn(2026, 3, 2, 17)
    assert statutory.statutory_due(EIGHT_TO_FIVE, limit(1), vn(2026, 3, 2, 15, 30)) == vn(2026, 3, 3, 15, 30)
    assert statutory.statutory_due(EIGHT_TO_FIVE, limit(1), vn(2026, 3, 2, 16, 1)) == vn(2026, 3, 3, 17)


def test_the_procedures_own_cut_off_wins_over_the_units():
    assert statutory.statutory_due(WARD, limit(1, same_day_cutoff="16:00"), vn(2026, 3, 2, 15, 30)) == vn(2026, 3, 3, 15, 30)


@pytest.mark.parametrize(("channel", "postmark", "desk_time", "counted_from"), [
    ("in_person", None, vn(2026, 3, 3, 9), vn(2026, 3, 3, 9)),
    ("online", None, vn(2026, 3, 3, 9), vn(2026, 3, 2, 21)),  # the system time of submission
    ("post", vn(2026, 2, 27, 16), vn(2026, 3, 3, 9), vn(2026, 2, 27, 16)),
    ("post", None, vn(2026, 3, 3, 9), vn(2026, 3, 3, 9)),  # no postmark: desk time
])
def test_the_clock_counts_from_the_channels_receipt_time(channel, postmark, desk_time, counted_from):
    dossier = Dossier(channel=channel, submitted_at=vn(2026, 3, 2, 21), postmarked_at=postmark)
    assert statutory.receipt_time(dossier, desk_time) == counted_from


def test_an_online_dossier_submitted_at_night_counts_from_the_next_morning():
    dossier = Dossier(channel="online", submitted_at=vn(2026, 3, 6, 22))  # Friday night
    received = statutory.receipt_time(dossier, vn(2026, 3, 9, 10))
    assert statutory.statutory_due(WARD, limit(1), received) == vn(2026, 3, 9, 17)


def test_a_complete_supplement_at_intake_moves_the_online_receipt_time():
    dossier = Dossier(channel="online", submitted_at=vn(2026, 3, 2, 9), resubmitted_at=vn(2026, 3, 4, 10))
    assert statutory.receipt_time(dossier, vn(2026, 3, 5, 9)) == vn(2026, 3, 4, 10)
    posted = Dossier(channel="post", submitted_at=vn(2026, 3, 2, 9), postmarked_at=vn(2026, 2, 27, 9),
                     resubmitted_at=vn(2026, 3, 4, 10))
    assert statutory.receipt_time(posted, vn(2026, 3, 5, 9)) == vn(2026, 3, 5, 9)


@pytest.mark.parametrize(("budget", "ready", "due"), [
    ("PT4H", vn(2026, 3, 2, 10), vn(2026, 3, 2, 15, 30)),
    ("P1D", vn(2026, 2, 13, 16), vn(2026, 2, 23, 16)),
    ("PT2H", vn(2026, 3, 2, 12), vn(2026, 3, 2, 15)),
    (None, vn(2026, 3, 2, 12), None),
])
def test_a_step_is_due_after_its_budget_in_working_time(budget, ready, due):
    assert statutory.step_due(WARD, ready, budget) == due


def test_parse_moment_reads_iso_text_and_assumes_vietnam_time():
    assert statutory.parse_moment("2026-03-09T16:00", "x") == vn(2026, 3, 9, 16)
    assert statutory.parse_moment("2026-03-09T09:00:00Z", "x") == vn(2026, 3, 9, 16)
    with pytest.raises(Exception) as err:
        statutory.parse_moment("thứ hai tuần sau", "new_due_at")
    assert "new_due_at" in err.value.fields


# ------------------------------------------------------------------ properties
receipts = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 20), timezones=st.just(TZ))
limits = st.one_of(st.builds(lambda v: limit(v), st.integers(0, 30)),
                   st.builds(lambda v: limit(v, "working_hours"), st.integers(1, 240)))
cal = statutory.calendar_for(WARD)


@settings(max_examples=300, deadline=None, database=None)
@given(received=receipts, catalogue=limits)
def test_a_due_time_is_never_before_receipt_and_always_in_office_hours(received, catalogue):
    due = statutory.statutory_due(WARD, catalogue, received)
    assert due > received
    assert cal.is_working_day(due.date())
    assert any(due.time() > s and due.time() <= e for s, e in cal.hours.sessions)


@settings(max_examples=300, deadline=None, database=None)
@given(first=receipts, later=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)), catalogue=limits)
def test_a_later_receipt_is_never_due_earlier(first, later, catalogue):
    assert statutory.statutory_due(WARD, catalogue, first) <= statutory.statutory_due(WARD, catalogue, first + later)


@settings(max_examples=200, deadline=None, database=None)
@given(received=receipts, catalogue=limits)
def test_after_the_cut_off_a_dossier_counts_as_received_at_the_next_opening(received, catalogue):
    local = received.astimezone(TZ)
    if not cal.is_working_day(local.date()) or local.time() <= cal.hours.cutoff:
        return
    next_opening = cal.next_working_start(local.replace(hour=23, minute=59))
    assert statutory.statutory_due(WARD, catalogue, received) == statutory.statutory_due(WARD, catalogue, next_opening)


@settings(max_examples=200, deadline=None, database=None)
@given(received=receipts, days=st.integers(1, 30))
def test_working_days_and_eight_working_hours_agree(received, days):
    assert (statutory.statutory_due(WARD, limit(days), received)
            == statutory.statutory_due(WARD, limit(days * 8, "working_hours"), received))
