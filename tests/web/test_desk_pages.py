"""Officials' pages in the Flask test client: login, the counter, the worklist, a step, a dossier."""
from __future__ import annotations

import io
import re
from pathlib import Path

from bpmn.folder import read_folder
from tests.procedures.drive import APPLICANT

ROOT = Path(__file__).resolve().parents[2] / "procedures"


def required_documents(code: str) -> tuple[int, ...]:
    catalogue = read_folder(next(ROOT.glob(f"{code}-*"))).catalogue
    return tuple(i for i, doc in enumerate(catalogue["documents"]) if doc.get("required", True))


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def receive(desk, decision="receive", docs=None, files=None, code="1.001193", **extra):
    docs = required_documents(code) if docs is None else docs
    # the same applicant again and again: the open-dossier warning is confirmed unless a test says otherwise
    data = {k: v for k, v in APPLICANT.items()} | {"decision": decision, "channel": "in_person",
                                                   "confirm_duplicate": "1"} | extra
    for i in docs:
        data[f"doc_{i}"] = "1"
        data[f"copies_{i}"] = "1"
    if files is not None:
        data["scans"] = files
    return desk.post(f"/desk/new/{code}", data, content_type="multipart/form-data")


def code_from(res) -> str:
    return re.search(r"H26\.70-\d{6}-\d{4}", res.headers.get("Location", "") + res.get_data(as_text=True)).group(0)


def test_pages_need_a_login(client):
    for path in ("/worklist", "/desk/new", "/tasks/1", "/dossiers/H26.70-260302-0001"):
        res = client.get(path)
        assert res.status_code == 302 and "/login" in res.headers["Location"], path


def test_a_wrong_password_says_so_and_repeated_failures_pause_the_account(browser, clock):
    b = browser()
    res = b.login("desk1", "sai")
    assert res.status_code == 401 and "không đúng" in res.get_data(as_text=True)
    for _ in range(4):
        b.login("desk1", "sai")
    res = b.login("desk1", "demo1234")
    assert res.status_code == 401 and "thử lại sau" in res.get_data(as_text=True)
    clock.advance(seconds=61)
    assert b.login("desk1", "demo1234").status_code == 302


def test_a_form_posted_without_its_csrf_token_is_refused(browser):
    b = browser("desk1")
    res = b.client.post("/logout")
    assert res.status_code == 400
    assert b.post("/logout").status_code == 302


def test_the_desk_receives_a_dossier_with_a_scan_and_the_receipt_opens_for_printing(browser):
    desk = browser("desk1")
    assert "Đăng ký khai sinh" in desk.get("/desk/new").get_data(as_text=True)
    form = desk.get("/desk/new/1.001193").get_data(as_text=True)
    assert "Tờ khai đăng ký khai sinh" in form and 'type="file"' in form
    res = receive(desk, files=[(io.BytesIO(PDF), "giay-chung-sinh.pdf")])
    assert res.status_code == 302 and "/desk/receipt/" in res.headers["Location"]
    code = code_from(res)
    slip = desk.get(res.headers["Location"]).get_data(as_text=True)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in slip and code in slip
    assert "17 giờ 00 phút, ngày 02/03/2026" in slip and "data-print" in slip
    page = desk.get(f"/dossiers/{code}").get_data(as_text=True)
    doc_id = re.search(r"/documents/(\d+)", page).group(1)
    pdf = desk.get(f"/documents/{doc_id}")
    assert pdf.status_code == 200 and pdf.data == PDF and pdf.mimetype == "application/pdf"


def test_a_file_that_is_not_a_pdf_or_image_by_content_is_refused_and_nothing_is_created(browser):
    desk = browser("desk1")
    res = receive(desk, files=[(io.BytesIO(b"MZ\x90\x00 not a pdf"), "scan.pdf")])
    assert res.status_code == 422 and "không phải PDF, JPEG hoặc PNG" in res.get_data(as_text=True)
    assert "Không có hồ sơ nào" in desk.get("/worklist").get_data(as_text=True)


def test_receiving_without_the_required_documents_asks_for_a_supplement_instead(browser):
    desk = browser("desk1")
    res = receive(desk, docs=())
    assert res.status_code == 422 and "Chưa nhận" in res.get_data(as_text=True)
    res = receive(desk, docs=(), id_number="12345", phone="abc")  # every problem at once, not one round each
    page = res.get_data(as_text=True)
    assert res.status_code == 422 and "Chưa nhận" in page
    assert "Số định danh cá nhân gồm đúng 12 chữ số." in page and "Số điện thoại không hợp lệ." in page
    res = receive(desk, decision="supplement", docs=(), supplement_items="1. Giấy chứng sinh")
    assert res.status_code == 302 and "/forms/02" in res.headers["Location"]  # form 02 opens for printing
    slip = desk.get(res.headers["Location"]).get_data(as_text=True)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in slip and "Giấy chứng sinh" in slip
    page = desk.get(f"/dossiers/{code_from(res)}").get_data(as_text=True)
    assert "Chờ bổ sung hồ sơ" in page and "Giấy chứng sinh" in page


def test_the_worklist_counts_searches_filters_and_marks_overdue_rows(browser, clock):
    desk = browser("desk1")
    codes = [code_from(receive(desk, decision="queue", name=name))
             for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường")]
    page = desk.get("/worklist").get_data(as_text=True)
    assert all(code in page for code in codes) and 'data-count="total">3<' in page
    assert 'data-count="new">3<' in page
    found = desk.get("/worklist?q=Bình").get_data(as_text=True)
    assert codes[1] in found and codes[0] not in found
    assert codes[2] in desk.get(f"/worklist?q={codes[2].lower()}").get_data(as_text=True)
    assert "Không có hồ sơ nào" in desk.get("/worklist?procedure=1.001612").get_data(as_text=True)
    clock.advance(days=3)
    late = desk.get("/worklist").get_data(as_text=True)
    assert 'data-count="overdue">3<' in late and "table-overdue" in late
    partial = desk.get("/worklist?q=An", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in partial and codes[0] in partial


def test_the_worklist_pages_through_many_dossiers(browser):
    desk = browser("desk1")
    for i in range(27):
        receive(desk, decision="queue", name=f"Người nộp {i:02d}")
    first, second = desk.get("/worklist").get_data(as_text=True), desk.get("/worklist?page=2").get_data(as_text=True)
    assert first.count('data-task="') == 25 and second.count('data-task="') == 2


def test_a_step_shows_its_form_and_bad_input_gets_per_field_errors(browser):
    desk = browser("desk1")
    code = code_from(receive(desk))
    specialist = browser("specialist1")
    task_id = re.search(r"/tasks/(\d+)", specialist.get("/worklist").get_data(as_text=True)).group(1)
    page = specialist.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "Thẩm định hồ sơ" in page and 'name="appraisal_decision"' in page and code in page
    assert "Tiếp nhận hồ sơ" in page  # the history
    res = specialist.post(f"/tasks/{task_id}", {"appraisal_decision": "propose_approve", "appraisal_opinion": "ok"})
    assert res.status_code == 422 and "is-invalid" in res.get_data(as_text=True)
    res = specialist.post(f"/tasks/{task_id}", {"appraisal_decision": "propose_approve",
                                                "appraisal_opinion": "Hồ sơ hợp lệ, đề nghị phê duyệt"})
    assert res.status_code == 302 and res.headers["Location"].endswith("/worklist")
    assert "Đã hoàn thành" in specialist.get("/worklist").get_data(as_text=True)
    assert specialist.post(f"/tasks/{task_id}", {"appraisal_decision": "propose_approve"}).status_code == 302


def test_claim_give_back_and_a_leader_reassigns(browser, app, clock):
    from engine.org.accounts import create_user, get_unit, grant_role

    with app.extensions["motcua"]["sessions"]() as s:
        grant_role(s, create_user(s, "specialist2", "Đặng Văn Khoa", "demo1234", clock()), get_unit(s, "H26.70"),
                   "chuyen_vien")
        s.commit()
    desk = browser("desk1")
    receive(desk)
    specialist = browser("specialist1")
    task_id = re.search(r"/tasks/(\d+)", specialist.get("/worklist").get_data(as_text=True)).group(1)
    specialist.post(f"/tasks/{task_id}/claim")
    assert "Trần Văn Minh" in browser("specialist2").get("/worklist").get_data(as_text=True)
    other = browser("specialist2").post(f"/tasks/{task_id}", {"appraisal_decision": "propose_approve",
                                                              "appraisal_opinion": "Đồng ý đề xuất"})
    assert other.status_code == 302  # refused with a warning, back to the worklist
    specialist.post(f"/tasks/{task_id}/unclaim")
    leader = browser("leader1")
    assert "Giao việc" in leader.get(f"/tasks/{task_id}").get_data(as_text=True)
    leader.post(f"/tasks/{task_id}/reassign", {"assignee": "specialist2"})
    assert "Đặng Văn Khoa" in specialist.get("/worklist").get_data(as_text=True)
    assert specialist.post(f"/tasks/{task_id}/reassign", {"assignee": "specialist1"}).status_code == 403  # not a leader
    assert "Đặng Văn Khoa" in specialist.get("/worklist").get_data(as_text=True)


def test_a_stored_scan_altered_on_disk_is_not_served_and_the_attempt_is_audited(browser, app, session):
    from sqlalchemy import select

    from engine.dossier.documents import blob_path
    from engine.models import Document, Event

    desk = browser("desk1")
    code = code_from(receive(desk, files=[(io.BytesIO(PDF), "giay-chung-sinh.pdf")]))
    doc = session.scalars(select(Document)).one()
    assert desk.get(f"/documents/{doc.id}").data == PDF
    blob_path(app.config["STORAGE_DIR"], doc.sha256).write_bytes(PDF.replace(b"1 0 obj", b"9 0 obj"))
    res = desk.get(f"/documents/{doc.id}")
    assert res.status_code == 409 and "không khớp mã băm" in res.get_data(as_text=True)
    kinds = session.scalars(select(Event.kind).where(Event.kind == "document.integrity_failed")).all()
    assert kinds == ["document.integrity_failed"] and code


def test_an_open_dossier_of_the_same_id_and_procedure_is_warned_before_receiving(browser, session):
    from sqlalchemy import func, select

    from engine.models import Dossier

    desk = browser("desk1")
    first = code_from(receive(desk))
    res = receive(desk, confirm_duplicate="")
    page = res.get_data(as_text=True)
    assert res.status_code == 409 and 'data-warning="duplicate"' in page and first in page
    assert session.scalar(select(func.count()).select_from(Dossier)) == 1  # nothing written
    assert receive(desk, confirm_duplicate="1").status_code == 302
    assert receive(desk, confirm_duplicate="", code="1.001612").status_code == 302  # another procedure


def test_a_postmark_older_than_the_time_limit_must_be_confirmed(browser, clock):
    desk = browser("desk1")
    late = {"channel": "post", "postmarked_at": "2026-02-20T10:00"}
    res = receive(desk, **late)
    assert res.status_code == 409 and 'data-warning="postmark"' in res.get_data(as_text=True)
    assert receive(desk, **late, confirm_postmark="1").status_code == 302
    assert receive(desk, channel="post", postmarked_at="2026-03-02T08:00").status_code == 302


def test_after_a_refusal_slip_the_desk_can_receive_another(browser):
    desk = browser("desk1")
    res = receive(desk, decision="refuse", docs=(), refuse_reason="Không thuộc thẩm quyền")
    slip = desk.get(res.headers["Location"]).get_data(as_text=True)
    assert "Tiếp nhận hồ sơ khác" in slip and "/desk/new" in slip


def test_papers_brought_after_a_supplement_at_intake_are_ticked_and_listed_on_the_receipt(browser):
    desk = browser("desk1")
    needed = required_documents("1.001193")
    res = receive(desk, decision="supplement", docs=needed[:1], supplement_items="Giấy chứng sinh")
    code = code_from(res)
    page = desk.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "<div class=\"card mb-3\" data-checklist-form>" in page and "&lt;div" not in page  # a form, not its markup
    assert "Chưa tiếp nhận: thời hạn giải quyết tính từ khi tiếp nhận" in page  # no due date before receipt
    assert "Chưa tiếp nhận</span>" in desk.get(f"/worklist?q={code}").get_data(as_text=True)
    assert "data-checklist-form" not in browser("specialist1").get(f"/dossiers/{code}").get_data(as_text=True)
    form = {f"doc_{i}": "1" for i in needed} | {f"copies_{i}": "1" for i in needed}
    assert desk.post(f"/desk/checklist/{code}", form).status_code == 302
    page = desk.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "Cập nhật thành phần hồ sơ đã nhận" in page and page.count("☑") == len(needed)
    assert page.count("1 bản sao") >= len(needed) and " bản)" not in page  # what was kept, in words
    assert browser("specialist1").post(f"/desk/checklist/{code}", form).status_code == 403


def test_papers_of_a_supplement_asked_during_handling_are_ticked_at_the_desk_while_the_clock_is_paused(browser):
    from tests.web.test_leader_pages import first_task

    needed = required_documents("1.001193")
    desk = browser("desk1")
    code = code_from(receive(desk, docs=needed))
    specialist = browser("specialist1")
    res = specialist.post(f"/tasks/{first_task(specialist)}", {"appraisal_decision": "supplement",
                                                                 "appraisal_opinion": "Thiếu giấy kết hôn",
                                                                 "supplement_items": "Giấy chứng nhận kết hôn"})
    assert res.status_code == 302
    page = desk.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "data-paused" in page and "Tạm dừng tính thời hạn" in page
    assert "data-checklist-form" in page and page.count("☑") == len(needed)
    assert "data-checklist-form" not in specialist.get(f"/dossiers/{code}").get_data(as_text=True)
    brought = (*needed, 6)  # the marriage certificate asked for (an optional paper of the catalogue)
    form = {f"doc_{i}": "1" for i in brought} | {f"copies_{i}": "1" for i in brought}
    assert desk.post(f"/desk/checklist/{code}", form).status_code == 302
    assert desk.get(f"/dossiers/{code}").get_data(as_text=True).count("☑") == len(brought)


def test_an_official_without_a_step_role_signs_in_to_their_own_page(browser):
    for who, page in (("supervisor1", "/supervision"), ("analyst1", "/studio/"), ("admin1", "/admin/"),
                      ("desk1", "/worklist")):
        res = browser().login(who, "demo1234")
        assert res.status_code == 302 and res.headers["Location"].endswith(page), (who, res.headers["Location"])
