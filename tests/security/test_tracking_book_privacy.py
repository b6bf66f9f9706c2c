"""The tracking book shows citizens' names, addresses and phones only to those who may read the dossiers."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import Browser
from tests.procedures.drive import APPLICANT, new_dossier

WARD = "H26.70"


def _book(app, username: str, fmt: str = "xlsx") -> str:
    suffix = "" if fmt == "html" else f".{fmt}"
    res = Browser(app, username).get(f"/units/{WARD}/tracking-book{suffix}?from=2026-03-01&to=2026-03-31")
    assert res.status_code == 200, res.status_code
    if fmt != "xlsx":
        return res.get_data(as_text=True)
    sheet = load_workbook(io.BytesIO(res.data)).active
    return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


@pytest.fixture
def received(app, clock):
    from engine.dossier import lifecycle as dossiers
    from engine.models import HumanTask, User

    with app.extensions["motcua"]["sessions"]() as session:
        dossier = new_dossier(session, clock)
        task = session.scalar(select(HumanTask).where(HumanTask.dossier_id == dossier.id))
        desk = session.scalar(select(User).where(User.username == "desk1"))
        dossiers.complete_task(session, task.id, desk, {"intake_decision": "receive"}, clock())
        session.commit()
        return dossier.code


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
def test_officials_who_read_the_wards_dossiers_see_the_applicant(app, received, fmt):
    for username in ("desk1", "leader1", "supervisor1"):
        book = _book(app, username, fmt)
        assert received in book and APPLICANT["name"] in book and APPLICANT["phone"] in book


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
def test_city_analysts_and_admins_see_the_book_without_personal_data(app, received, fmt):
    for username in ("analyst1", "admin1"):
        book = _book(app, username, fmt)
        assert received in book, "the row itself stays: code, procedure, dates"
        assert APPLICANT["name"] not in book and APPLICANT["phone"] not in book
        assert APPLICANT["address"] not in book and "(không hiển thị)" in book
