"""The forms as officials open them: from the counter, the dossier page, the tracking book, the admin page."""
from __future__ import annotations

import io
import re

import pytest

from tests.pdfs import MOTTO, assert_fields, pdf_text
from tests.web.test_desk_pages import code_from, receive


def test_receiving_at_the_counter_opens_the_receipt_to_print_and_as_pdf(browser):
    desk = browser("desk1")
    res = receive(desk)
    code = code_from(res)
    page = desk.get(res.headers["Location"]).get_data(as_text=True)
    assert f'data-field="code" class="nowrap">{code}<' in page and "data-print" in page
    assert "17 giờ 00 phút, ngày 02/03/2026" in page and 'src="data:image/png;base64,' in page
    assert "/printing/fonts/NotoSerif_400Regular.ttf" in page and "Đã tiếp nhận hồ sơ" in page
    pdf_url = re.search(r'href="([^"]+\.pdf[^"]*)" data-pdf', page).group(1).replace("&amp;", "&")
    pdf = desk.get(pdf_url)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    text = pdf_text(pdf.data)
    assert_fields(text, *MOTTO, f"Mã hồ sơ: {code}", "Thời gian nhận hồ sơ: 09 giờ 00 phút")
    assert f"http://localhost/tra-cuu/{code}" in text.replace(" ", "")  # the address may wrap
    assert desk.get("/printing/fonts/NotoSerif_700Bold.ttf").status_code == 200


def test_a_refusal_at_the_counter_opens_form_03_and_the_dossier_page_lists_its_forms(browser):
    desk = browser("desk1")
    res = receive(desk, decision="refuse", docs=(), refuse_reason="Không thuộc thẩm quyền giải quyết")
    code = code_from(res)
    assert "/forms/03" in res.headers["Location"] and "print=1" in res.headers["Location"]
    slip = desk.get(res.headers["Location"]).get_data(as_text=True)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in slip and "1. Không thuộc thẩm quyền giải quyết" in slip
    page = desk.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ" in page and "Mẫu 01" not in page
    assert desk.get(f"/dossiers/{code}/forms/01").status_code == 404
    lookup = desk.get(f"/tra-cuu/{code}").get_data(as_text=True)  # the public lookup says it once, as what it was
    assert "Từ chối tiếp nhận" in lookup and "Từ chối giải quyết" not in lookup and "Kết quả giải quyết" not in lookup
    assert re.search(r'data-field="received_at">–<', lookup)


@pytest.mark.parametrize(("user", "status"), [("desk1", 200), ("specialist1", 200), ("leader1", 200),
                                              ("desk2", 403), ("consult1", 403), ("admin1", 403)])
def test_the_forms_follow_the_dossier_pages_access_rule(browser, user, status):
    code = code_from(receive(browser("desk1")))
    b = browser(user)
    assert b.get(f"/dossiers/{code}/forms/01").status_code == status
    assert b.get(f"/dossiers/{code}/forms/06").status_code == status


def test_unknown_forms_and_dossiers_are_not_found_and_strangers_must_log_in(browser, client):
    desk = browser("desk1")
    code = code_from(receive(desk))
    for path in (f"/dossiers/{code}/forms/07", f"/dossiers/{code}/forms/01.txt", f"/dossiers/{code}/forms/03",
                 "/dossiers/H26.70-260302-9999/forms/01"):
        assert desk.get(path).status_code == 404, path
    res = client.get(f"/dossiers/{code}/forms/01")
    assert res.status_code == 302 and "/login" in res.headers["Location"]


def test_the_tracking_book_opens_as_a_page_pdf_and_spreadsheet_for_the_units_officials(browser):
    desk = browser("desk1")
    code = code_from(receive(desk))
    assert desk.get("/tracking-book").headers["Location"].endswith("/units/H26.70/tracking-book")
    page = desk.get("/units/H26.70/tracking-book").get_data(as_text=True)
    assert "SỔ THEO DÕI HỒ SƠ" in page and code in page and "Từ ngày 01/03/2026 đến ngày 02/03/2026" in page
    pdf = desk.get("/units/H26.70/tracking-book.pdf?from=2026-03-01&to=2026-03-31")
    assert pdf.mimetype == "application/pdf" and code in pdf_text(pdf.data)
    xlsx = desk.get("/units/H26.70/tracking-book.xlsx?from=2026-03-01&to=2026-03-31")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [sheet.cell(6, 1).value, sheet.cell(6, 2).value] == [1, code]
    supervisor = browser("supervisor1")
    assert "/units/H26.70/tracking-book" in supervisor.get("/tracking-book").get_data(as_text=True)
    assert supervisor.get("/units/H26.70/tracking-book").status_code == 200
    assert browser("desk2").get("/units/H26.70/tracking-book.xlsx").status_code == 403
    bad = desk.get("/units/H26.70/tracking-book?from=2026-03-31&to=2026-03-01")
    assert bad.status_code == 302 and "Ngày cuối phải sau ngày đầu" in desk.get(bad.headers["Location"]).get_data(as_text=True)


def test_an_admin_sets_the_agency_that_the_forms_print(browser):
    admin = browser("admin1")
    page = admin.get("/admin/units/H26.70/documents").get_data(as_text=True)
    assert 'placeholder="Ủy ban nhân dân phường Hoàn Kiếm"' in page
    res = admin.post("/admin/units/H26.70/documents", {"agency_name": "Ủy ban nhân dân phường Hoàn Kiếm",
                                                       "address": "126 Hàng Trống", "place": "Hà Nội"})
    assert res.status_code == 302
    too_long = admin.post("/admin/units/H26.70/documents", {"address": "x" * 301})
    assert too_long.status_code == 422 and "Tối đa 300 ký tự" in too_long.get_data(as_text=True)
    assert browser("desk1").get("/admin/units/H26.70/documents").status_code == 403
    desk = browser("desk1")
    slip = desk.get(receive(desk).headers["Location"]).get_data(as_text=True)
    assert "ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM" in slip and "Hà Nội, ngày 02 tháng 3 năm 2026" in slip
    assert "126 Hàng Trống" in slip


def test_receiving_a_queued_dossier_from_its_step_opens_the_receipt_to_print(browser):
    desk = browser("desk1")
    code = code_from(receive(desk, decision="queue"))
    task_id = re.search(r"/tasks/(\d+)", desk.get("/worklist").get_data(as_text=True)).group(1)
    res = desk.post(f"/tasks/{task_id}", {"intake_decision": "receive"})
    assert res.status_code == 302 and res.headers["Location"].endswith(f"/dossiers/{code}/forms/01?print=1")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in desk.get(res.headers["Location"]).get_data(as_text=True)
