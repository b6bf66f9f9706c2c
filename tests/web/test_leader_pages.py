"""The leader's day in the browser's pages: the proposal above the approval, sending back with a note,
extension with apology (form 04) and the stop (form 05) from the dossier page; steps offered only to
those who may open them."""
from __future__ import annotations

import re

from tests.web.test_desk_pages import code_from, receive

OPINION = "Hồ sơ đầy đủ, hợp lệ; đề nghị phê duyệt."


def first_task(user) -> str:
    return re.search(r"/tasks/(\d+)", user.get("/worklist").get_data(as_text=True)).group(1)


def to_approval(browser, code: str | None = None, **receive_args) -> tuple[str, str]:
    """Receive a dossier and appraise it; (code, the leader's approval step id)."""
    code = code or code_from(receive(browser("desk1"), **receive_args))
    specialist = browser("specialist1")
    task = first_task(specialist)
    res = specialist.post(f"/tasks/{task}", {"appraisal_decision": "propose_approve", "appraisal_opinion": OPINION})
    assert res.status_code == 302
    return code, first_task(browser("leader1"))


def test_the_approval_page_opens_with_the_specialists_proposal(browser):
    code, task = to_approval(browser)
    page = browser("leader1").get(f"/tasks/{task}").get_data(as_text=True)
    assert 'data-proposal="propose_approve"' in page and "Đề xuất của chuyên viên: Đề xuất phê duyệt" in page
    assert OPINION in page and "Trần Văn Minh" in page
    assert page.index("data-proposal") < page.index('name="approval_decision"')


def test_sending_back_needs_a_note_and_the_note_reaches_the_specialist(browser):
    code, task = to_approval(browser)
    leader = browser("leader1")
    res = leader.post(f"/tasks/{task}", {"approval_decision": "send_back", "approval_note": "  "})
    page = res.get_data(as_text=True)
    assert res.status_code == 422 and "Ghi ý kiến chỉ đạo" in page
    res = leader.post(f"/tasks/{task}", {"approval_decision": "send_back",
                                         "approval_note": "Bổ sung đối chiếu giấy chứng sinh"})
    assert res.status_code == 302
    specialist = browser("specialist1")
    history = specialist.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "Trả lại để thẩm định lại" in history and "Bổ sung đối chiếu giấy chứng sinh" in history
    again = specialist.get(f"/tasks/{first_task(specialist)}").get_data(as_text=True)  # the new appraisal opens with it
    banner = again[again.index("data-sent-back"):again.index("data-sent-back") + 600]
    assert "Lãnh đạo trả lại để thẩm định lại" in banner and "Bổ sung đối chiếu giấy chứng sinh" in banner
    assert again.index("data-sent-back") < again.index('name="appraisal_decision"')


def test_a_first_appraisal_has_no_send_back_banner(browser):
    code_from(receive(browser("desk1")))
    specialist = browser("specialist1")
    page = specialist.get(f"/tasks/{first_task(specialist)}").get_data(as_text=True)
    assert 'name="appraisal_decision"' in page and "data-sent-back" not in page


def test_the_api_sends_back_only_with_a_note_too(api, browser):
    code, task = to_approval(browser)
    res = api.post(f"/tasks/{task}/complete", "leader1", {"data": {"approval_decision": "send_back"}})
    assert res.status_code == 422 and "approval_note" in res.json["error"]["fields"]


def test_a_leader_extends_a_dossier_once_from_its_page_with_the_apis_rules(browser, clock):
    code = code_from(receive(browser("desk1"), code="1.013225"))
    leader = browser("leader1")
    page = leader.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "Gia hạn, xin lỗi và hẹn lại (mẫu 04)" in page and "Dừng xử lý hồ sơ (mẫu 05)" in page
    assert "Gia hạn, xin lỗi" not in browser("desk1").get(f"/dossiers/{code}").get_data(as_text=True)
    assert browser("desk1").get(f"/dossiers/{code}/extend").status_code == 403
    res = leader.post(f"/dossiers/{code}/extend", {"reason": "", "new_due_at": "2026-03-07"})
    page = res.get_data(as_text=True)
    assert res.status_code == 422 and "ngày nghỉ" in page and "Cần nêu lý do" in page  # a Saturday, and no reason
    res = leader.post(f"/dossiers/{code}/extend", {"reason": "", "new_due_at": "2026-06-30"})
    assert res.status_code == 422 and "Cần nêu lý do" in res.get_data(as_text=True)
    res = leader.post(f"/dossiers/{code}/extend", {"reason": "Chờ ý kiến Sở Xây dựng", "new_due_at": "2026-06-30"})
    assert res.status_code == 302 and "/forms/04" in res.headers["Location"]
    slip = leader.get(res.headers["Location"]).get_data(as_text=True)
    assert "Chờ ý kiến Sở Xây dựng" in slip and "30/06/2026" in slip
    page = leader.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "đã được gia hạn một lần; không được gia hạn lần thứ hai" in page and "/extend" not in page
    form = leader.get(f"/dossiers/{code}/extend").get_data(as_text=True)  # says so before anything is typed
    assert "data-extend-refused" in form and 'name="reason"' not in form
    again = leader.post(f"/dossiers/{code}/extend", {"reason": "Lần hai", "new_due_at": "2026-07-31"})
    assert again.status_code == 409 and "không được gia hạn lần thứ hai" in again.get_data(as_text=True)


def test_a_dossier_too_close_to_its_due_time_is_not_offered_an_extension(browser, clock):
    code = code_from(receive(browser("desk1")))  # a birth registration: due the same working day
    leader = browser("leader1")
    page = leader.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "Phải gia hạn trước hạn ít nhất 1 ngày làm việc" in page and f"/dossiers/{code}/extend" not in page


def test_a_leader_stops_a_dossier_received_at_the_counter(browser):
    code = code_from(receive(browser("desk1")))
    leader = browser("leader1")
    assert "Dừng xử lý hồ sơ (mẫu 05)" in leader.get(f"/dossiers/{code}").get_data(as_text=True)
    res = leader.post(f"/dossiers/{code}/stop", {"reason": "Người nộp đến quầy xin rút hồ sơ", "returned": "Tại quầy"})
    assert res.status_code == 302 and "/forms/05" in res.headers["Location"]
    page = leader.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "Dừng xử lý" in page and "data-leader-actions" not in page


def test_the_desk_is_not_offered_the_specialists_step(browser):
    code = code_from(receive(browser("desk1")))
    desk = browser("desk1").get(f"/dossiers/{code}").get_data(as_text=True)
    assert "Mở bước" not in desk
    assert "Mở bước: Thẩm định hồ sơ" in browser("specialist1").get(f"/dossiers/{code}").get_data(as_text=True)
