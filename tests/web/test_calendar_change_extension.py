"""A day off declared after appointments were issued: by default they are kept; the admin may choose to
apply it to them too, and then each gets an extension with an apology slip (form 04), printable."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from engine.calendar.working import TZ
from engine.dossier.lifecycle import get_dossier
from engine.models import Event
from tests.procedures.drive import new_dossier, step


def _received(session, clock):
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")  # received Monday 2/3 09:00, due 23/03/2026 09:00
    return dossier


def test_by_default_the_issued_appointment_is_kept_and_no_form_04_is_made(browser, session, clock):
    dossier = _received(session, clock)
    admin = browser("admin1")
    res = admin.post("/admin/calendar/days", {"day": "2026-03-16", "kind": "off", "year": "2026", "unit": "H26.70"},
                     follow_redirects=True)
    assert "hạn đã hẹn trên giấy tiếp nhận không đổi" in res.get_data(as_text=True)
    session.expire_all()
    assert get_dossier(session, dossier.code).due_at == datetime(2026, 3, 23, 9, tzinfo=TZ)
    assert browser("desk1").get(f"/dossiers/{dossier.code}/forms/04").status_code == 404


def test_applied_to_issued_dossiers_each_gets_an_extension_with_a_printable_form_04(browser, session, clock):
    dossier, twice = _received(session, clock), _received(session, clock)
    leader = browser("leader1")
    clock.advance(days=1)
    from tests.conftest import Api

    api = Api(leader.client)
    assert api.post(f"/dossiers/{twice.code}/extension", "leader1",
                    {"reason": "Cần xác minh thêm", "new_due_at": "2026-03-25"}).status_code == 200
    admin = browser("admin1")
    res = admin.post("/admin/calendar/days", {"day": "2026-03-16", "kind": "off", "year": "2026", "unit": "H26.70",
                                              "note": "Nghỉ bù theo thông báo", "issued": "extend"},
                     follow_redirects=True)
    page = res.get_data(as_text=True)
    assert "Đã gia hạn 1 hồ sơ" in page and dossier.code in page and "in phiếu từ trang hồ sơ" in page
    assert f"Hồ sơ {twice.code} giữ ngày hẹn cũ" in page and "lần thứ hai" in page
    session.expire_all()
    moved = get_dossier(session, dossier.code)
    assert moved.due_at == datetime(2026, 3, 24, 9, tzinfo=TZ)  # one working day later
    assert moved.original_due_at == datetime(2026, 3, 23, 9, tzinfo=TZ) and moved.extended_at is not None
    event = session.scalar(select(Event).where(Event.dossier_id == moved.id, Event.kind == "dossier.extended"))
    assert event.payload["cause"] == "calendar" and event.payload["calendar_day"] == "2026-03-16"
    assert "16/03/2026" in event.payload["reason"] and "xin lỗi" in event.payload["apology"]
    form = browser("desk1").get(f"/dossiers/{moved.code}/forms/04").get_data(as_text=True)
    assert "PHIẾU XIN LỖI" in form.upper() and "24/03/2026" in form and "23/03/2026" in form
    assert get_dossier(session, twice.code).due_at == datetime(2026, 3, 25, 17, tzinfo=TZ)  # its own extension


def test_a_make_up_working_day_never_brings_an_appointment_forward(browser, session, clock):
    dossier = _received(session, clock)
    res = browser("admin1").post("/admin/calendar/days", {"day": "2026-03-14", "kind": "working", "year": "2026",
                                                          "unit": "H26.70", "issued": "extend"}, follow_redirects=True)
    assert res.status_code == 200
    session.expire_all()
    assert get_dossier(session, dossier.code).due_at == datetime(2026, 3, 23, 9, tzinfo=TZ)
    assert get_dossier(session, dossier.code).extended_at is None
