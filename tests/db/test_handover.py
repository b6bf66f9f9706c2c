"""Bàn giao hồ sơ giấy: batches from the desk to the division and back, signed, printed, on the control slip."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.dossier import handover
from engine.ground.errors import Conflict, Forbidden, Invalid
from engine.models import Event, HandoverBatch
from engine.printing import forms
from engine.printing.handover import handover_context
from forms.printing import render_html, render_pdf
from tests.pdfs import MOTTO, assert_fields, pdf_text
from tests.procedures.drive import new_dossier, step, user


def received(session, clock, procedure="birth", channel="in_person"):
    dossier = new_dossier(session, clock, procedure, channel)
    step(session, clock, dossier, "Task_Intake", "receive")
    return dossier


def codes(found) -> list[str]:
    return [c.dossier.code for c in found]


def test_the_desk_hands_paper_dossiers_to_the_specialists_who_sign_for_them(session, clock):
    desk, specialist = user(session, "desk1"), user(session, "specialist1")
    first, second = received(session, clock), received(session, clock)
    online = received(session, clock, channel="online")  # no paper to hand over
    assert codes(handover.candidates(session, desk, handover.TO_DIVISION)) == [first.code, second.code]
    assert online.code not in codes(handover.candidates(session, desk, handover.TO_DIVISION))

    clock.advance(minutes=30)
    batch = handover.create_batch(session, desk, handover.TO_DIVISION, [first.code, second.code], clock(),
                                  "Giao buổi sáng", {first.code: "Kèm bản chính giấy chứng sinh"})
    session.commit()
    assert batch.number == "001/BG-2026" and batch.to_role == "chuyen_vien" and batch.received_at is None
    assert handover.candidates(session, desk, handover.TO_DIVISION) == []  # the papers are out
    [waiting], _recent = handover.batches_for(session, specialist)
    assert waiting.id == batch.id

    with pytest.raises(Forbidden):
        handover.confirm_receipt(session, desk, batch, clock())  # the desk cannot sign for the division
    clock.advance(minutes=15)
    handover.confirm_receipt(session, specialist, batch, clock())
    session.commit()
    with pytest.raises(Conflict):
        handover.confirm_receipt(session, specialist, batch, clock())
    kinds = session.scalars(select(Event.kind).where(Event.dossier_id == first.id, Event.kind.like("handover.%"))
                            .order_by(Event.id)).all()
    assert kinds == ["handover.created", "handover.received"]

    context = handover_context(session, batch)
    assert [row["code"] for row in context["rows"]] == [first.code, second.code]
    assert context["rows"][0]["note"] == "Kèm bản chính giấy chứng sinh"
    text = pdf_text(render_pdf(render_html(context)))
    assert_fields(text, *MOTTO, "DANH SÁCH BÀN GIAO HỒ SƠ", "Số: 001/BG-2026", first.code, second.code,
                  "Bên giao: Bộ phận Một cửa, UBND Phường Hoàn Kiếm", "Bên nhận: Chuyên viên thụ lý, UBND Phường Hoàn Kiếm",
                  "NGƯỜI GIAO", "NGƯỜI NHẬN", "Nguyễn Thị Lan", "Trần Văn Minh", "Giao buổi sáng",
                  "09 giờ 30 phút, ngày 02/03/2026", "09 giờ 45 phút, ngày 02/03/2026")


def test_each_handover_gives_the_dossier_a_control_slip_row_with_both_signatures(session, clock):
    desk, specialist, leader = user(session, "desk1"), user(session, "specialist1"), user(session, "leader1")
    dossier = received(session, clock)
    clock.advance(minutes=30)
    out = handover.create_batch(session, desk, handover.TO_DIVISION, [dossier.code], clock())
    clock.advance(minutes=10)
    handover.confirm_receipt(session, specialist, out, clock())
    session.commit()
    assert handover.candidates(session, specialist, handover.TO_DESK) == []  # not back at the desk yet
    clock.advance(hours=1)
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    step(session, clock, dossier, "Task_Approve", "approve")
    assert codes(handover.candidates(session, leader, handover.TO_DESK)) == []  # the leader did not sign for it
    assert codes(handover.candidates(session, specialist, handover.TO_DESK)) == [dossier.code]
    clock.advance(minutes=5)
    back = handover.create_batch(session, specialist, handover.TO_DESK, [dossier.code], clock())
    assert (back.from_role, back.to_role, back.number) == ("chuyen_vien", "mot_cua", "002/BG-2026")  # one register per unit
    session.commit()

    rows = forms.dossier_form(session, dossier, "06", base_url="http://x", now=clock())["rows"]
    steps = [row["step"] for row in rows]
    assert steps[:2] == ["Tiếp nhận hồ sơ", "Bàn giao hồ sơ giấy theo danh sách số 001/BG-2026"]
    out_row, back_row = [row for row in rows if row["step"].startswith("Bàn giao")]
    assert (out_row["handed_by"], out_row["received_by"]) == ("Nguyễn Thị Lan", "Trần Văn Minh")
    assert (out_row["handed_over_at"], out_row["received_at"]) == ("09:30 02/03/2026", "09:40 02/03/2026")
    assert (back_row["handed_by"], back_row["received_by"], back_row["note"]) == (
        "Trần Văn Minh", "", "Bên nhận chưa xác nhận đã nhận")
    assert steps.index(back_row["step"]) > steps.index("Phê duyệt kết quả")


def test_a_batch_that_cannot_be_made_says_why_and_writes_nothing(session, clock):
    desk = user(session, "desk1")
    dossier, refused = received(session, clock), new_dossier(session, clock)
    step(session, clock, refused, "Task_Intake", "intake_refuse")
    with pytest.raises(Invalid) as err:
        handover.create_batch(session, desk, handover.TO_DIVISION, [], clock())
    assert "ít nhất một hồ sơ" in err.value.fields["codes"]
    with pytest.raises(Invalid) as err:
        handover.create_batch(session, desk, handover.TO_DIVISION, [dossier.code, refused.code, "H26.70-XYZ"], clock())
    assert refused.code in err.value.fields["codes"] and "H26.70-XYZ" in err.value.fields["codes"]
    with pytest.raises(Invalid) as err:
        handover.create_batch(session, desk, handover.TO_DIVISION, [dossier.code], clock(), "x" * 501)
    assert "500 ký tự" in err.value.fields["note"]
    session.rollback()
    assert session.scalar(select(func.count()).select_from(HandoverBatch)) == 0
    assert handover.candidates(session, user(session, "desk2"), handover.TO_DIVISION) == []  # another ward's desk
