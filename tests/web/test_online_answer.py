"""The 8-working-hour rule: an online submission not answered at the desk within 8 working hours is flagged."""
from __future__ import annotations

from datetime import datetime

from engine.calendar.working import TZ
from engine.clock.online_answer import online_answer
from engine.dossier.lifecycle import get_dossier
from tests.applicant_helpers import BIRTH, BIRTH_FORM, CODE, Applicant
from tests.procedures.drive import step


def test_an_online_submission_unanswered_for_8_working_hours_is_flagged_at_the_desk(app, browser, session, clock):
    clock.set(2026, 3, 6, 14)  # a Friday afternoon: 3 working hours today, 4 on Monday morning, 1 after lunch
    code = Applicant(app).submit_birth()
    dossier = get_dossier(session, code)
    assert online_answer(dossier, clock()).due_at == datetime(2026, 3, 9, 14, tzinfo=TZ)
    desk = browser("desk1")
    clock.set(2026, 3, 9, 14)
    page = desk.get("/worklist?kind=intake").get_data(as_text=True)
    assert "Trả lời trước 14:00 09/03/2026" in page and "data-online-overdue" not in page
    clock.set(2026, 3, 9, 14, 1)
    page = desk.get("/worklist?kind=intake").get_data(as_text=True)
    assert "Quá 8 giờ làm việc chưa trả lời" in page
    step(session, clock, dossier, "Task_Intake", "receive")
    assert online_answer(dossier, clock()) is None  # answered: no longer measured


def test_a_submission_over_the_new_year_2026_swap_counts_from_monday(app, session, clock):
    clock.set(2025, 12, 31, 16)  # 1/1 and the swapped 2/1 are days off, 3–4/1 the weekend
    applicant = Applicant(app)
    born_before_today = {**BIRTH_FORM, "child_birth_date": "2025-12-20"}  # a birth date after today is refused
    assert applicant.review(form=born_before_today).status_code == 200
    res = applicant.post(f"/cong-dan/nop/{BIRTH}/gui")
    assert res.status_code == 302, res.get_data(as_text=True)
    dossier = get_dossier(session, CODE.search(res.headers["Location"]).group(0))
    assert online_answer(dossier, clock()).due_at == datetime(2026, 1, 5, 16, tzinfo=TZ)


def test_the_dossier_page_shows_the_processing_end_that_classifies_and_the_hand_over_apart(browser, session, clock):
    from tests.procedures.drive import new_dossier

    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")            # due 23/03/2026 09:00
    clock.set(2026, 3, 20, 10)
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    step(session, clock, dossier, "Task_Consult", "consult")
    step(session, clock, dossier, "Task_Approve", "approve")           # processing ends: before the due time
    clock.set(2026, 3, 25, 9)
    step(session, clock, dossier, "Task_Return", "return")             # collected two days after the due time
    session.refresh(dossier)
    assert dossier.lateness == "early"
    page = browser("desk1").get(f"/dossiers/{dossier.code}").get_data(as_text=True)
    assert 'data-field="completed_at">10:00 20/03/2026' in page
    assert "căn cứ xếp loại trước hạn, đúng hạn, quá hạn" in page and "NgayKetThucXuLy" not in page  # no field names
    assert 'data-field="returned_at">09:00 25/03/2026' in page
