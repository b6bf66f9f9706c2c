"""The handover pages: the desk ticks paper dossiers, prints the list, the specialist signs for it;
bad input says what is wrong and writes nothing; only the receiving side may sign."""
from __future__ import annotations

import re

from tests.web.test_desk_pages import code_from, receive


def batch_id(res) -> int:
    return int(re.search(r"/handover/(\d+)", res.headers["Location"]).group(1))


def test_the_desk_hands_over_a_batch_and_the_specialist_signs_for_it(browser):
    desk = browser("desk1")
    first, second = code_from(receive(desk)), code_from(receive(desk))
    assert "Bàn giao hồ sơ" in desk.get("/worklist").get_data(as_text=True)  # in the menu
    page = desk.get("/handover/new").get_data(as_text=True)
    assert f'value="{first}"' in page and f'value="{second}"' in page
    assert "Bên nhận: Chuyên viên thụ lý, UBND Phường Hoàn Kiếm" in page

    res = desk.post("/handover/new?direction=to_division", {"codes": [first], f"note_{first}": "Thiếu bản gốc tờ khai"})
    assert res.status_code == 302 and "print=1" in res.headers["Location"]
    number = batch_id(res)
    sheet = desk.get(f"/handover/{number}").get_data(as_text=True)
    assert "DANH SÁCH BÀN GIAO HỒ SƠ" in sheet and "001/BG-2026" in sheet and first in sheet and second not in sheet
    assert "Thiếu bản gốc tờ khai" in sheet and "Chờ bên nhận xác nhận" in sheet and "data-confirm-receipt" not in sheet
    assert desk.post(f"/handover/{number}/receive").status_code == 403  # the desk cannot sign for the division
    assert desk.get(f"/handover/{number}.pdf").headers["Content-Type"] == "application/pdf"

    specialist = browser("specialist1")
    waiting = specialist.get("/handover").get_data(as_text=True)
    assert 'data-waiting-count>1<' in waiting and "001/BG-2026" in waiting
    assert "data-confirm-receipt" in specialist.get(f"/handover/{number}").get_data(as_text=True)
    res = specialist.post(f"/handover/{number}/receive")
    assert res.status_code == 303
    signed = specialist.get(f"/handover/{number}").get_data(as_text=True)
    assert "Đã xác nhận nhận đủ 1 hồ sơ theo danh sách số 001/BG-2026" in signed and "Trần Văn Minh" in signed
    again = specialist.post(f"/handover/{number}/receive", follow_redirects=True).get_data(as_text=True)
    assert "đã được xác nhận lúc" in again
    history = desk.get(f"/dossiers/{first}").get_data(as_text=True)
    assert "Bàn giao hồ sơ giấy theo danh sách" in history and "Bên nhận xác nhận đã nhận hồ sơ giấy" in history
    slip = desk.get(f"/dossiers/{first}/forms/06").get_data(as_text=True)
    assert "Bàn giao hồ sơ giấy theo danh sách số 001/BG-2026" in slip and "Trần Văn Minh" in slip


def test_a_batch_that_cannot_be_made_says_why_in_vietnamese(browser):
    desk = browser("desk1")
    code = code_from(receive(desk))
    empty = desk.post("/handover/new?direction=to_division", {})
    assert empty.status_code == 422 and "Hãy chọn ít nhất một hồ sơ" in empty.get_data(as_text=True)
    wrong = desk.post("/handover/new?direction=to_division", {"codes": [code, "H26.70-000000-0000"]})
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "H26.70-000000-0000" in text and "không ở trong danh sách" in text
    assert f'value="{code}" id="pick_{code}" checked' in text  # the choice is kept
    assert "Không có danh sách nào" in desk.get("/handover").get_data(as_text=True)  # nothing written
    assert browser("supervisor1").get("/handover").status_code == 403
    assert browser("specialist1").get("/handover/new?direction=to_division").status_code == 403
    assert desk.get("/handover/new?direction=sideways").status_code == 404
