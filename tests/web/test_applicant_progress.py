"""Hồ sơ của tôi after submitting: the timeline with dates, what is asked of the citizen now, and the end of a
dossier that stopped, with its reason and its notice (engine.applicants.progress)."""
from __future__ import annotations

from engine.dossier.lifecycle import get_dossier
from tests.applicant_helpers import Applicant
from tests.procedures.drive import step


def test_the_timeline_lists_the_steps_with_dates_and_marks_the_current_one(app, session, clock):
    applicant = Applicant(app, "tien-do@example.vn")
    code = applicant.submit_birth()
    page = applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    assert "Quá trình xử lý" in page and 'data-entry="dossier.submitted"' in page
    assert 'aria-current="step"' in page and "Đang xử lý" in page
    step(session, clock, get_dossier(session, code), "Task_Intake", "receive")
    page = applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    assert 'data-entry="dossier.received"' in page and "xong lúc" in page
    assert page.index('data-entry="dossier.submitted"') < page.index('data-entry="dossier.received"')
    # the decision comes before the step it opened, in words of its own (not the step's name again)
    assert page.index('data-entry="dossier.received"') < page.index("Thẩm định hồ sơ")
    assert "Hồ sơ được tiếp nhận; ngày hẹn trả kết quả đã được ấn định" in page
    assert 'data-field="todo"' not in page  # nothing is asked of the citizen while the unit handles it


def test_a_supplement_request_is_what_the_citizen_is_asked_to_do_with_the_link_and_the_notice(app, session, clock):
    applicant = Applicant(app, "bo-sung@example.vn")
    code = applicant.submit_birth()
    step(session, clock, get_dossier(session, code), "Task_Intake", "intake_supplement")
    page = applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    assert 'data-todo="supplement"' in page and 'href="#supplement"' in page
    assert 'data-notice="02"' in page
    notice = applicant.get(f"/cong-dan/ho-so/{code}/thong-bao/02")
    assert notice.status_code == 200 and code in notice.get_data(as_text=True)
    assert f'href="/dossiers/{code}' not in notice.get_data(as_text=True)
    assert applicant.get(f"/cong-dan/ho-so/{code}/thong-bao/01").status_code == 404
    assert applicant.get(f"/cong-dan/ho-so/{code}/thong-bao/05").status_code == 404  # not stopped


def test_a_returned_dossier_asks_for_a_rating_and_a_done_one_to_collect_the_result(app, session, clock):
    applicant = Applicant(app, "ket-qua@example.vn")
    code = applicant.submit_birth()
    dossier = get_dossier(session, code)
    for element, data in (("Task_Intake", "receive"), ("Task_Appraise", "propose_approve"),
                          ("Task_Approve", "approve")):
        step(session, clock, dossier, element, data)
    assert 'data-todo="collect"' in applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    step(session, clock, dossier, "Task_Return", "return")
    page = applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    assert 'data-todo="rate"' in page and 'data-entry="dossier.returned"' in page


def test_a_stopped_dossier_says_why_and_links_to_form_05(app, browser, session, clock):
    applicant = Applicant(app, "dung@example.vn")
    code = applicant.submit_birth()
    step(session, clock, get_dossier(session, code), "Task_Intake", "receive")
    applicant.post(f"/cong-dan/ho-so/{code}/rut", {"reason": "Gia đình chuyển nơi cư trú"})
    assert browser("leader1").post(f"/dossiers/{code}/stop", {"reason": ""}).status_code == 302
    page = applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    assert 'data-field="ending"' in page and "Hồ sơ đã dừng xử lý" in page
    assert "Lý do: Gia đình chuyển nơi cư trú" in page
    assert 'data-notice="05"' in page and 'data-todo' not in page
    notice = applicant.get(f"/cong-dan/ho-so/{code}/thong-bao/05").get_data(as_text=True)
    assert "Gia đình chuyển nơi cư trú" in notice


def test_another_applicant_cannot_open_the_notice(app, session, clock):
    owner = Applicant(app, "chu@example.vn")
    code = owner.submit_birth()
    step(session, clock, get_dossier(session, code), "Task_Intake", "intake_supplement")
    other = Applicant(app, "khac@example.vn")
    assert other.get(f"/cong-dan/ho-so/{code}/thong-bao/02").status_code == 404


def test_a_counter_dossiers_timeline_begins_with_its_submission_at_the_desk(session, clock):
    from engine.applicants import progress
    from tests.procedures.drive import new_dossier

    dossier = new_dossier(session, clock)
    entries = progress.timeline(session, dossier)
    assert entries[0].kind == progress.AT_THE_DESK and entries[0].at == dossier.submitted_at
    assert not any(e.kind == "dossier.submitted" for e in entries)
    assert any(e.name and e.current for e in entries)  # its first step, open
    assert progress.todo(session, dossier, None, None, False) == [] and progress.ending(session, dossier) is None


def test_a_fee_to_pay_is_what_the_citizen_is_asked_to_do(app, clock):
    from tests.web.test_payment_pages import permit_owned_by

    applicant = Applicant(app, "phi@example.vn")
    code = permit_owned_by(app, clock, applicant)
    page = applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    assert 'data-todo="pay"' in page and 'href="#payment"' in page and 'id="payment"' in page
    assert 'data-entry="dossier.payment_requested"' in page
