"""Mã hồ sơ: the 2018 and the national format, and a refusal when a day's sequence is used up."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update

from engine.dossier.codes import format_code, normalise_code, set_code_format
from engine.ground.errors import Conflict
from engine.models import Dossier, DossierSequence
from engine.org.accounts import get_unit
from tests.procedures.drive import new_dossier


def _last(session, clock, value: int) -> None:
    """Set H26.70's counter for the clock's day (after one real dossier creates the row)."""
    unit = get_unit(session, "H26.70")
    new_dossier(session, clock)
    session.execute(update(DossierSequence).where(DossierSequence.unit_id == unit.id,
                                                  DossierSequence.day == clock().date()).values(last_value=value))
    session.commit()


def test_the_default_is_the_2018_format(session, clock):
    assert new_dossier(session, clock).code == "H26.70-260302-0001"


def test_a_unit_on_the_national_format_gets_an_eight_digit_date_and_seven_digit_sequence(session, clock):
    set_code_format(session, get_unit(session, "H26.70"), "national", None, clock())
    session.commit()
    code = new_dossier(session, clock).code
    assert code == "H26.70-20260302-0000001" and normalise_code("h26.70-20260302-1") == code


def test_the_10000th_dossier_of_a_day_in_the_2018_format_is_refused_and_nothing_is_written(session, clock):
    _last(session, clock, 9998)
    assert new_dossier(session, clock).code == "H26.70-260302-9999"
    before = session.scalar(select(func.count()).select_from(Dossier))
    with pytest.raises(Conflict) as refused:
        new_dossier(session, clock)
    session.rollback()
    assert "9.999" in refused.value.message and "mẫu mã quốc gia" in refused.value.message
    assert session.scalar(select(func.count()).select_from(Dossier)) == before
    set_code_format(session, get_unit(session, "H26.70"), "national", None, clock())
    session.commit()
    assert new_dossier(session, clock).code == "H26.70-20260302-0010000"  # sorts after, never a 5-digit 2018 code


@pytest.mark.parametrize(("fmt", "number", "code"), [("2018", 1, "H26.70-260302-0001"),
                                                      ("2018", 9999, "H26.70-260302-9999"),
                                                      ("national", 9_999_999, "H26.70-20260302-9999999")])
def test_format_code(fmt, number, code):
    assert format_code("H26.70", date(2026, 3, 2), number, fmt) == code


def test_format_code_refuses_past_the_width():
    with pytest.raises(Conflict):
        format_code("H26.70", date(2026, 3, 2), 10_000_000, "national")
