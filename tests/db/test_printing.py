"""The standard forms 01 to 07 for real dossiers driven through their process, read back from the PDF."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from engine.dossier.counter import receive_at_counter
from engine.dossier.extension import APOLOGY, extend_due
from engine.ground import events
from engine.ground.errors import Forbidden, Invalid, NotFound
from engine.models import Event, Unit
from engine.printing import forms
from engine.printing.tracking_book import book_entry, parse_period, tracking_book_context
from engine.printing.unit_documents import document_settings, set_document_settings
from forms.printing import qr_data_uri, render_html, render_pdf, tracking_book_xlsx
from tests.pdfs import MOTTO, assert_fields, decode_qr, pdf_fonts, pdf_text, save_pngs
from tests.procedures.drive import APPLICANT, CODES, new_dossier, step, user

BASE = "https://motcua.example.vn"
AGENCY = ("ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM", "BỘ PHẬN MỘT CỬA")
OUR_FONT = {"MotCua-Serif", "MotCua-Serif-Bold", "MotCua-Serif-Italic", "MotCua-Serif-BoldItalic"}  # Noto Serif


@pytest.fixture
def backend(request) -> str:
    return request.node.callspec.params["db_url"]


def pdf_of(session, clock, dossier, form: str, **kwargs) -> tuple[dict, bytes]:
    context = forms.dossier_form(session, dossier, form, base_url=BASE, now=clock(), **kwargs)
    return context, render_pdf(render_html(context))


def at_the_counter(session, clock, tmp_path, procedure="birth", **applicant):
    """Received at the counter with the required documents ticked (one copy of the second)."""
    details = APPLICANT | applicant
    dossier = receive_at_counter(session, user(session, "desk1"), CODES[procedure], details, {0: 0, 1: 1, 5: 0}, [],
                                 {"intake_decision": "receive"}, tmp_path, clock())
    session.commit()
    return dossier


def test_the_receipt_prints_every_field_and_its_qr_code_opens_the_lookup(session, clock, tmp_path, backend):
    dossier = at_the_counter(session, clock, tmp_path, authorised_person="Phạm Thị Hoa")
    context, pdf = pdf_of(session, clock, dossier, "01")
    text = pdf_text(pdf)
    assert_fields(text, *MOTTO, *AGENCY, f"Số: {dossier.code}/01", "Hoàn Kiếm, ngày 02 tháng 3 năm 2026",
                  "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {dossier.code}", "Phạm Minh Đức",
                  "001088011223", "12 Hàng Bạc, Hoàn Kiếm, Hà Nội", "0901234567", "duc@example.vn",
                  "Người được ủy quyền (nếu có): Phạm Thị Hoa", "Đăng ký khai sinh (mã thủ tục 1.001193)",
                  "Tờ khai đăng ký khai sinh (theo mẫu)", "Số lượng hồ sơ: 01 (bộ)", "Trong ngày",
                  "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 02/03/2026",
                  "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 02/03/2026",
                  "Đăng ký nhận kết quả tại: Bộ phận Một cửa Ủy ban nhân dân phường Hoàn Kiếm",
                  "Quyển số: 2026, Số thứ tự: 1", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Nguyễn Thị Lan")
    assert "hẹn trả" in text and "Nguyễn" in text
    url = forms.lookup_url(dossier.code, BASE)
    assert url == f"{BASE}/tra-cuu/{dossier.code}" and url in text.replace(" ", "")
    assert context["qr"] == qr_data_uri(url)  # the embedded code is the lookup address, module for module
    assert "MotCua-Serif" in pdf_fonts(pdf) <= OUR_FONT  # no glyph fell back to a system font
    [page] = save_pngs(pdf, f"{backend}-01-receipt")
    assert decode_qr(page) == [url]


def test_the_receipt_numbers_dossiers_in_the_units_book_of_the_year(session, clock, tmp_path):
    first = at_the_counter(session, clock, tmp_path)
    clock.advance(minutes=5)
    second = at_the_counter(session, clock, tmp_path)
    assert book_entry(session, first) == ("2026", 1) and book_entry(session, second) == ("2026", 2)
    assert forms.dossier_form(session, second, "01", base_url=BASE, now=clock())["book_serial"] == 2


def test_each_supplementation_request_prints_what_to_add_why_and_whom_to_ask(session, clock, backend):
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "intake_supplement")
    clock.advance(days=1)
    step(session, clock, dossier, "Task_IntakeSupplement", "supplied")
    step(session, clock, dossier, "Task_Intake", "receive")
    clock.advance(hours=2)
    step(session, clock, dossier, "Task_Appraise", "appraisal_supplement")
    links = [(link.form, link.note) for link in forms.available_forms(session, dossier)]
    assert links == [("01", ""), ("02", "khi tiếp nhận"), ("02", "trong quá trình giải quyết"), ("06", "")]
    [at_intake, in_handling] = [link.event_id for link in forms.available_forms(session, dossier) if link.form == "02"]
    _, pdf = pdf_of(session, clock, dossier, "02", event_id=at_intake)
    assert_fields(pdf_text(pdf), *MOTTO, f"Số: {dossier.code}/02", "1. Bản sao Giấy chứng sinh",
                  "Hồ sơ chưa đầy đủ hoặc chưa hợp lệ", "Nguyễn Thị Lan")
    _, pdf = pdf_of(session, clock, dossier, "02", event_id=in_handling)
    text = pdf_text(pdf)
    assert_fields(text, *MOTTO, *AGENCY, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", f"Số: {dossier.code}/02-2",
                  f"Mã hồ sơ: {dossier.code}", "Hồ sơ của: Phạm Minh Đức", "001088011223", "0901234567",
                  "duc@example.vn", "12 Hàng Bạc, Hoàn Kiếm, Hà Nội", "Cấp giấy phép xây dựng", "1. Bản vẽ mặt bằng",
                  "Lý do: Cần bổ sung giấy tờ", "liên hệ Trần Văn Minh, Ủy ban nhân dân phường Hoàn Kiếm",
                  "NGƯỜI HƯỚNG DẪN", "Hoàn Kiếm, ngày 03 tháng 3 năm 2026")
    assert "liên hệ Trần Văn Minh, Bộ phận Một cửa" not in text  # the specialist who asked is not the desk's
    save_pngs(pdf, f"{backend}-02-supplement")


def test_a_refusal_at_intake_prints_its_reasons(session, clock, backend):
    dossier = new_dossier(session, clock, "birth")
    step(session, clock, dossier, "Task_Intake", "intake_refuse")
    assert [link.form for link in forms.available_forms(session, dossier)] == ["03"]
    with pytest.raises(NotFound):
        forms.dossier_form(session, dossier, "01", base_url=BASE, now=clock())
    _, pdf = pdf_of(session, clock, dossier, "03")
    assert_fields(pdf_text(pdf), *MOTTO, *AGENCY, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", f"Số: {dossier.code}/03",
                  f"Mã hồ sơ: {dossier.code}", "Phạm Minh Đức", "001088011223", "0901234567", "duc@example.vn",
                  "12 Hàng Bạc, Hoàn Kiếm, Hà Nội", "Đăng ký khai sinh", "1. Không thuộc thẩm quyền giải quyết",
                  "NGƯỜI TIẾP NHẬN HỒ SƠ", "Nguyễn Thị Lan")
    save_pngs(pdf, f"{backend}-03-refusal")


def test_the_extension_prints_the_apology_and_the_new_due_time(session, clock, backend):
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")
    clock.set(2026, 3, 19, 9)
    extend_due(session, dossier, user(session, "leader1"), "Cần lấy ý kiến Sở Xây dựng", "2026-03-27T17:00:00+07:00",
               clock())
    session.commit()
    _, pdf = pdf_of(session, clock, dossier, "04")
    assert_fields(pdf_text(pdf), *MOTTO, "ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
                  f"Số: {dossier.code}/04", "Hoàn Kiếm, ngày 19 tháng 3 năm 2026", "Kính gửi: Phạm Minh Đức",
                  "09 giờ 00 phút, ngày 02/03/2026", "Cấp giấy phép xây dựng", f"Mã hồ sơ: {dossier.code}",
                  "Thời hạn trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 23/03/2026",
                  "Lý do: Cần lấy ý kiến Sở Xây dựng", APOLOGY,
                  "Thời gian hẹn trả kết quả mới: 17 giờ 00 phút, ngày 27/03/2026",
                  "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH", "Lê Hoàng Nam")
    save_pngs(pdf, f"{backend}-04-apology")


def test_a_stop_at_the_applicants_request_prints_the_stop_notice(session, clock, tmp_path, backend):
    # No stop action exists yet: the events it will record are written here as it will write them.
    dossier = at_the_counter(session, clock, tmp_path)
    asked_at = clock.advance(hours=1)
    events.record(session, "dossier.withdrawal_asked", asked_at, dossier=dossier, reason="Gia đình chuyển nơi cư trú")
    dossier.status = "stopped"
    events.record(session, "dossier.stopped", clock.advance(hours=1), dossier=dossier, user=user(session, "leader1"))
    session.commit()
    assert "05" in [link.form for link in forms.available_forms(session, dossier)]
    _, pdf = pdf_of(session, clock, dossier, "05")
    assert_fields(pdf_text(pdf), *MOTTO, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", f"Số: {dossier.code}/05",
                  "Kính gửi: Phạm Minh Đức", f"Mã hồ sơ: {dossier.code}", "001088011223", "Đăng ký khai sinh",
                  "Vào lúc 10 giờ 00 phút, ngày 02/03/2026, Ông/Bà đề nghị dừng giải quyết",
                  "Gia đình chuyển nơi cư trú", "kể từ 11 giờ 00 phút, ngày 02/03/2026", "Lê Hoàng Nam")
    save_pngs(pdf, f"{backend}-05-stop")


def returned_permit(session, clock):
    """A building permit: received Monday 2 March, appraised late, consulted, approved, returned."""
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")
    clock.set(2026, 3, 16, 10)  # ten working days for a seven-day step
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    clock.advance(hours=2)
    step(session, clock, dossier, "Task_Consult", "consult")
    step(session, clock, dossier, "Task_Approve", "approve")
    step(session, clock, dossier, "Task_Return", "return")
    return dossier


def test_the_control_slip_has_a_row_per_hand_off_with_its_result(session, clock, backend):
    dossier = returned_permit(session, clock)
    context, pdf = pdf_of(session, clock, dossier, "06")
    # the fee step (paid at the desk at once) has no budget of its own, so no result
    assert [row["result"] for row in context["rows"]] == ["Trước hạn", "Quá hạn", "", "Trước hạn", "Trước hạn",
                                                          "Trước hạn"]
    text = pdf_text(pdf)
    assert_fields(text, *MOTTO, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", f"Mã hồ sơ: {dossier.code}",
                  "Kèm theo hồ sơ của: Phạm Minh Đức", "Cơ quan (bộ phận) chủ trì giải quyết: UBND Phường Hoàn Kiếm",
                  "Cơ quan phối hợp giải quyết: Sở Xây dựng Hà Nội", "09:00 02/03/2026", "10:00 16/03/2026",
                  "Tiếp nhận hồ sơ", "Thẩm định hồ sơ", "Lấy ý kiến cơ quan phối hợp", "Phê duyệt kết quả", "Trả kết quả",
                  "Nguyễn Thị Lan", "Trần Văn Minh", "Bùi Đức Thắng", "Lê Hoàng Nam", "Quá hạn", "Trước hạn")
    save_pngs(pdf, f"{backend}-06-control-slip")


def test_the_tracking_book_lists_the_units_dossiers_as_pdf_and_xlsx(session, clock, tmp_path, backend):
    permit = returned_permit(session, clock)
    birth = at_the_counter(session, clock, tmp_path)
    unit = session.scalar(select(Unit).where(Unit.code == "H26.70"))
    start, end = parse_period("2026-03-01", "2026-03-31", clock().date())
    context = tracking_book_context(session, unit, start, end, clock())
    assert [(row["serial"], row["code"]) for row in context["rows"]] == [(1, permit.code), (2, birth.code)]
    text = pdf_text(render_pdf(render_html(context)))
    assert_fields(text, *MOTTO, "SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/03/2026 đến ngày 31/03/2026", "Mã hồ sơ",
                  "Ký nhận", permit.code, birth.code, "Cấp giấy phép xây dựng", "Đăng ký khai sinh", "Phạm Minh Đức",
                  "12 Hàng Bạc, Hoàn Kiếm, Hà Nội, 0901234567", "09:00 02/03/2026", "12:00 16/03/2026",
                  "Trực tiếp tại Bộ phận Một cửa", "Trước hạn", "Tổng số hồ sơ: 2")
    save_pngs(render_pdf(render_html(context)), f"{backend}-07-tracking-book")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(tracking_book_xlsx(context))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    assert rows[0][:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"] and "Ký nhận" in rows[0]
    assert rows[1][:2] == [1, permit.code] and rows[1][11] == "Trực tiếp tại Bộ phận Một cửa"
    assert rows[1][12] == "Phạm Minh Đức" and rows[2][:2] == [2, birth.code]


def test_after_an_extension_form_01_keeps_the_issued_appointment_and_form_07_shows_both(session, clock, backend):
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")
    clock.set(2026, 3, 19, 9)
    extend_due(session, dossier, user(session, "leader1"), "Cần lấy ý kiến Sở Xây dựng", "2026-03-27T17:00:00+07:00",
               clock())
    session.commit()
    text = pdf_text(pdf_of(session, clock, dossier, "01")[1])
    assert "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 23/03/2026" in " ".join(text.split())
    assert "27/03/2026" not in text  # the new time is on form 04 and in the history, not on the receipt
    unit = session.scalar(select(Unit).where(Unit.code == "H26.70"))
    context = tracking_book_context(session, unit, *parse_period("2026-03-01", "2026-03-31", clock().date()), clock())
    [row] = [r for r in context["rows"] if r["code"] == dossier.code]
    assert (row["due_at"], row["extended_due_at"]) == ("09:00 23/03/2026", "17:00 27/03/2026")
    assert "Ngày, giờ hẹn trả lại (gia hạn)" in [heading for _key, heading in context["columns"]]
    assert_fields(pdf_text(render_pdf(render_html(context))), "09:00 23/03/2026", "17:00 27/03/2026")


@pytest.mark.parametrize(("start", "end", "field"), [("2026-13-01", "", "from"), ("2026-03-10", "2026-03-01", "to"),
                                                     ("2025-01-01", "2026-03-01", "to")])
def test_a_bad_tracking_book_period_names_the_bad_date(start, end, field):
    from datetime import date

    with pytest.raises(Invalid) as err:
        parse_period(start, end, date(2026, 3, 2))
    assert field in err.value.fields


def test_an_admin_sets_what_a_unit_prints_and_only_an_admin_may(session, clock, tmp_path):
    unit = session.scalar(select(Unit).where(Unit.code == "H26.70"))
    assert document_settings(unit)["place"] == "Hoàn Kiếm"
    with pytest.raises(Forbidden):
        set_document_settings(session, unit, {"agency_name": "X"}, user(session, "desk1"), clock())
    with pytest.raises(Invalid) as err:
        set_document_settings(session, unit, {"motto": "X"}, user(session, "admin1"), clock())
    assert "motto" in err.value.fields
    set_document_settings(session, unit, {"agency_name": "Ủy ban nhân dân phường Hoàn Kiếm", "phone": "024 3825 1234",
                                          "address": "126 Hàng Trống"}, user(session, "admin1"), clock())
    session.commit()
    event = session.scalar(select(Event).where(Event.kind == "unit.documents_updated"))
    assert event.payload["after"]["phone"] == "024 3825 1234" and event.unit_id == unit.id
    dossier = new_dossier(session, clock, "birth")
    step(session, clock, dossier, "Task_Intake", "intake_supplement")
    context = forms.dossier_form(session, dossier, "02", base_url=BASE, now=clock())
    assert context["header"]["agency"] == "ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM"
    assert "126 Hàng Trống" in context["contact"] and "024 3825 1234" in context["contact"]


def test_a_serving_process_has_the_blank_forms_rendered_before_the_first_download(session):
    from engine.catalogue import templates
    from engine.catalogue.procedures import get_procedure

    templates._rendered.cache_clear()
    assert templates.warm_blank_forms(session) >= 1  # the demo's Tờ khai đăng ký khai sinh at least
    rendered = templates._rendered.cache_info().misses
    version = get_procedure(session, "1.001193").current_version
    assert templates.template_pdf(version, "to-khai-dang-ky-khai-sinh.html").startswith(b"%PDF")
    assert templates._rendered.cache_info().misses == rendered  # the download rendered nothing itself
