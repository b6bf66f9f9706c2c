"""The case file (issue 18 A): the declaration typed at the counter and shown at every step, scans per
checklist item and attachments at any step, the documents API, and reuse from the citizen's store."""
from __future__ import annotations

import hashlib
import io
import re

from sqlalchemy import select

from engine.models import Document, Dossier, Event
from tests.procedures.drive import APPLICANT
from tests.web.test_desk_pages import PDF, PNG, code_from, receive

DECLARED = {"data.child_full_name": "Nguyễn Thị Bình An", "data.child_birth_date": "2026-02-20",
            "data.child_gender": "nu", "data.child_ethnicity": "Kinh", "data.child_nationality": "Việt Nam",
            "data.child_birth_place": "Bệnh viện Phụ sản Hà Nội", "data.mother_full_name": "Trần Thị Mai",
            "data.requester_relationship": "me", "data.copies_requested": "2"}


def scans():
    return {"scan_0": (io.BytesIO(PDF), "to-khai.pdf"), "scan_1": (io.BytesIO(PNG), "giay-chung-sinh.png")}


def received(desk, **extra):
    res = receive(desk, **DECLARED, **scans(), **extra)
    assert res.status_code == 302, res.get_data(as_text=True)[:3000]
    return code_from(res)


def task_page(browser_user, code):
    page = browser_user.get("/worklist").get_data(as_text=True)
    task_id = re.search(rf'/tasks/(\d+)[^<]*</a>[^<]*</td>\s*<td[^>]*>[^<]*{re.escape(code)}', page)
    if task_id is None:
        task_id = re.search(r"/tasks/(\d+)", browser_user.get(f"/dossiers/{code}").get_data(as_text=True))
    return browser_user.get(f"/tasks/{task_id.group(1)}").get_data(as_text=True)


def test_the_desk_types_the_declaration_and_two_scans_and_every_official_reads_it(browser, api, app):
    desk = browser("desk1")
    form = desk.get("/desk/new/1.001193").get_data(as_text=True)
    assert 'name="data.child_full_name"' in form and 'name="scan_1"' in form and "tối đa 10 MB" in form
    code = received(desk)
    for who in ("desk1", "specialist1", "leader1"):
        page = browser(who).get(f"/dossiers/{code}").get_data(as_text=True)
        assert "Nguyễn Thị Bình An" in page and "20/02/2026" in page, who
        assert "Nữ" in page and "Mẹ" in page and "data-declaration" in page, who
    with app.app_context():
        from webapp.db import get_session

        dossier = get_session().scalar(select(Dossier).where(Dossier.code == code))
        docs = get_session().scalars(select(Document).where(Document.dossier_id == dossier.id)).all()
        assert sorted(d.checklist_index for d in docs) == [0, 1] and all(d.at_intake for d in docs)
        assert {d.filename for d in docs} == {hashlib.sha256(PDF).hexdigest()[:16] + ".pdf",
                                              hashlib.sha256(PNG).hexdigest()[:16] + ".png"}
        assert dossier.checklist[1]["received"]
    body = api.get(f"/dossiers/{code}", "specialist1").json
    assert body["data"]["child_full_name"] == "Nguyễn Thị Bình An" and body["data"]["copies_requested"] == 2
    listed = api.get(f"/dossiers/{code}/documents", "specialist1").json["items"]
    assert {d["kind"] for d in listed} == {"scan"} and {d["sha256"] for d in listed} == {
        hashlib.sha256(PDF).hexdigest(), hashlib.sha256(PNG).hexdigest()}
    assert all({"id", "kind", "title", "sha256", "size", "signed", "created_at", "by"} <= set(d) for d in listed)
    got = api.get(f"/documents/{listed[0]['id']}", "leader1")
    assert got.status_code == 200 and got.data in (PDF, PNG)


def test_a_step_page_shows_the_declaration_beside_the_checklist_and_documents(browser):
    desk = browser("desk1")
    code = received(desk)
    page = task_page(browser("specialist1"), code)
    assert "Tờ khai" in page and "Nguyễn Thị Bình An" in page and "Thành phần hồ sơ đã nhận" in page
    assert page.index("data-card=\"declaration\"") < page.index("data-card=\"documents\"")


def test_a_declaration_missing_required_fields_is_refused_at_receipt_and_nothing_is_written(browser, app):
    desk = browser("desk1")
    before = _count(app)
    res = receive(desk, **{"data.child_full_name": "Bé Na", "data.child_birth_date": "20/02/2026"}, **scans())
    text = res.get_data(as_text=True)
    assert res.status_code == 422 and "Tờ khai có trường chưa hợp lệ" in text
    assert "Bé Na" in text and "invalid-feedback" in text  # the typed value stays, errors under the fields
    assert _count(app) == before


def _count(app):
    with app.app_context():
        from sqlalchemy import func

        from webapp.db import get_session

        return (get_session().scalar(select(func.count()).select_from(Dossier)),
                get_session().scalar(select(func.count()).select_from(Document)))


def test_a_lying_or_oversize_scan_is_refused_in_vietnamese_and_nothing_is_half_written(browser, app):
    desk = browser("desk1")
    before = _count(app)
    lying = {"scan_0": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "to-khai.pdf")}
    res = receive(desk, **DECLARED, **lying)
    assert res.status_code == 422 and "không phải PDF, JPEG hoặc PNG" in res.get_data(as_text=True)
    big = {"scan_1": (io.BytesIO(b"%PDF-" + b"0" * (10 * 1024 * 1024)), "lon.pdf")}
    res = receive(desk, **DECLARED, **big)
    assert res.status_code in (413, 422)
    assert _count(app) == before


def test_a_correction_after_receipt_is_an_event_with_who_when_old_and_new(browser, app):
    desk = browser("desk1")
    code = received(desk)
    page = desk.get(f"/dossiers/{code}/declaration").get_data(as_text=True)
    assert 'value="Nguyễn Thị Bình An"' in page
    res = desk.post(f"/dossiers/{code}/declaration", DECLARED | {"data.child_full_name": "Nguyễn Thị Bình Minh"})
    assert res.status_code == 302
    page = browser("specialist1").get(f"/dossiers/{code}").get_data(as_text=True)
    assert "Nguyễn Thị Bình Minh" in page and "Thay đổi tờ khai sau khi tiếp nhận" in page
    assert "<del>Nguyễn Thị Bình An</del>" in page
    with app.app_context():
        from webapp.db import get_session

        event = get_session().scalar(select(Event).where(Event.kind == "declaration.changed"))
        assert event.user_id is not None and event.at is not None
        assert event.payload["changes"] == [{"field": "child_full_name", "label": "Họ, chữ đệm và tên của trẻ",
                                             "old": "Nguyễn Thị Bình An", "new": "Nguyễn Thị Bình Minh",
                                             "old_text": "Nguyễn Thị Bình An", "new_text": "Nguyễn Thị Bình Minh"}]
    res = desk.post(f"/dossiers/{code}/declaration", DECLARED | {"data.child_gender": "khac"})
    assert res.status_code == 422
    assert browser("analyst1").get(f"/dossiers/{code}/declaration").status_code == 403


def test_the_api_uploads_an_agency_letter_and_refuses_bad_files_naming_the_field(api):
    code = api.post("/dossiers", "desk1", {"procedure_code": "1.001193", "channel": "in_person",
                                           "applicant": APPLICANT, "data": {}}).json["code"]
    headers = {"Authorization": f"Bearer {api.token('desk1')}"}
    post = lambda data: api.client.post(f"/api/v1/dossiers/{code}/documents", data=data, headers=headers,  # noqa: E731
                                        content_type="multipart/form-data")
    res = post({"file": (io.BytesIO(PDF), "cv.pdf"), "kind": "attachment", "title": "Văn bản của Phòng Tư pháp",
                "reference_number": "123/PTP", "reference_date": "2026-03-01"})
    assert res.status_code == 201, res.json
    assert res.json["reference_number"] == "123/PTP" and res.json["reference_date"] == "2026-03-01"
    assert res.json["signed"] is False and res.json["by"] is not None
    res = post({"file": (io.BytesIO(b"GIF89a..."), "anh.png"), "kind": "scan", "checklist_item": "1"})
    assert res.status_code == 422 and "file" in res.json["error"]["fields"]
    res = post({"file": (io.BytesIO(PDF), "x.pdf"), "kind": "ảnh"})
    assert res.status_code == 422 and "kind" in res.json["error"]["fields"]
    res = post({"file": (io.BytesIO(PDF), "x.pdf"), "checklist_item": "99"})
    assert res.status_code == 422 and "checklist_item" in res.json["error"]["fields"]
    res = post({"kind": "scan", "checklist_item": "1"})
    assert res.status_code == 422 and res.json["error"]["fields"]["file"]
    assert len(api.get(f"/dossiers/{code}/documents", "desk1").json["items"]) == 1
    other = api.client.post(f"/api/v1/dossiers/{code}/documents", data={"file": (io.BytesIO(PDF), "a.pdf"), "title": "x"},
                            headers={"Authorization": f"Bearer {api.token('analyst1')}"},
                            content_type="multipart/form-data")
    assert other.status_code == 403
    spec = api.client.get("/api/v1/openapi.json").json
    assert {"/dossiers/{code}/documents", "/documents/{id}"} <= set(spec["paths"])
    assert "post" in spec["paths"]["/dossiers/{code}/documents"]


def test_a_later_dossier_of_the_same_citizen_reuses_the_store_instead_of_a_new_upload(browser, app):
    desk = browser("desk1")
    first = received(desk)
    fragment = desk.post("/desk/store", {"id_number": APPLICANT["id_number"], "procedure": "1.001193"})
    text = fragment.get_data(as_text=True)
    ids = re.findall(r'name="reuse_(\d+)"', text)
    assert fragment.status_code == 200 and len(ids) == 2 and "Giấy chứng sinh" in text
    res = receive(desk, **DECLARED, **{f"reuse_{ids[0]}": "1"})
    assert res.status_code == 302
    second = code_from(res)
    assert second != first
    page = desk.get(f"/dossiers/{second}").get_data(as_text=True)
    assert "dùng lại từ kho dữ liệu" in page
    with app.app_context():
        from webapp.db import get_session

        s = get_session()
        dossier = s.scalar(select(Dossier).where(Dossier.code == second))
        reused = s.scalars(select(Document).where(Document.dossier_id == dossier.id)).all()
        assert len(reused) == 1 and reused[0].reused_from_id == int(ids[0]) and reused[0].checklist_index == 1
        assert dossier.checklist[1]["received"]
    stranger = desk.post("/desk/store", {"id_number": "001099000111", "procedure": "1.001193"})
    assert "Chưa có giấy tờ nào" in stranger.get_data(as_text=True)


def test_a_consultation_step_attaches_the_other_agencys_letter_on_the_step_page(browser, app):
    desk = browser("desk1")
    code = received(desk)
    specialist = browser("specialist1")
    page = task_page(specialist, code)
    assert "Thêm bản quét hoặc tài liệu" in page and "Số văn bản" in page
    res = specialist.post(f"/dossiers/{code}/files", {"kind": "attachment", "title": "Văn bản xác minh của Công an phường",
                                                     "reference_number": "45/CAP", "reference_date": "2026-03-02",
                                                     "file": (io.BytesIO(PDF), "cv.pdf"), "next": f"/dossiers/{code}"},
                          content_type="multipart/form-data")
    assert res.status_code == 302
    page = specialist.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "Văn bản xác minh của Công an phường" in page and "45/CAP" in page and "02/03/2026" in page
    res = specialist.post(f"/dossiers/{code}/files", {"kind": "attachment", "title": "x",
                                                     "file": (io.BytesIO(b"<html>"), "cv.pdf")},
                          content_type="multipart/form-data", follow_redirects=True)
    assert "không phải PDF, JPEG hoặc PNG" in res.get_data(as_text=True)


def test_online_the_applicant_reuses_an_accepted_scan_and_sees_the_declaration(app, browser):
    from tests.applicant_helpers import PDF as APP_PDF
    from tests.applicant_helpers import Applicant

    citizen = Applicant(app)
    first = citizen.submit_birth()
    desk = browser("desk1")
    intake = re.search(r"/tasks/(\d+)", desk.get(f"/dossiers/{first}").get_data(as_text=True)).group(1)
    assert desk.post(f"/tasks/{intake}", {"intake_decision": "receive"}).status_code == 302
    form = citizen.get("/cong-dan/nop/1.001193").get_data(as_text=True)
    stored = re.findall(r'<option value="(\d+)">', form[form.index('name="reuse_1"'):])
    assert stored, "the store offers the accepted scans"
    res = citizen.post(
        "/cong-dan/nop/1.001193", {"unit": "H26.70", **_birth_form(), "doc_0": (io.BytesIO(APP_PDF + b"2"), "a.pdf"),
                                   "reuse_1": stored[0]}, content_type="multipart/form-data")
    assert res.status_code == 200, res.get_data(as_text=True)[:2000]
    res = citizen.post("/cong-dan/nop/1.001193/gui")
    second = re.search(r"H26\.\d+-\d{6}-\d{4}", res.headers["Location"]).group(0)
    page = citizen.get(f"/cong-dan/ho-so/{second}").get_data(as_text=True)
    assert "dùng lại từ kho dữ liệu" in page and "Phạm Minh An" in page and "20/02/2026" in page
    doc_id = re.search(r"/api/v1/documents/(\d+)", page).group(1)
    assert citizen.get(f"/api/v1/documents/{doc_id}").status_code == 200
    stranger = Applicant(app, "binh@example.vn", "Trần Thị Bình")
    assert stranger.get(f"/api/v1/documents/{doc_id}").status_code == 403
    res = stranger.post("/cong-dan/nop/1.001193", {"unit": "H26.70", **_birth_form(),
                                                   "doc_0": (io.BytesIO(APP_PDF), "a.pdf"), "reuse_1": stored[0]},
                        content_type="multipart/form-data")
    assert res.status_code == 422 and "không có trong kho dữ liệu" in res.get_data(as_text=True)


def _birth_form():
    from tests.applicant_helpers import BIRTH_FORM

    return BIRTH_FORM


def test_a_declaration_left_at_its_defaults_is_a_paper_form_and_the_dossier_is_received(browser):
    res = receive(browser("desk1"), **{"data.child_ethnicity": "Kinh", "data.child_nationality": "Việt Nam"})
    assert res.status_code == 302 and "/desk/receipt/" in res.headers["Location"]


def test_once_the_leader_decides_the_declaration_can_no_longer_be_corrected(browser, app):
    from tests.web.test_leader_pages import to_approval

    desk = browser("desk1")
    code = received(desk)
    code, task = to_approval(browser, code)
    assert browser("leader1").post(f"/tasks/{task}", {"approval_decision": "approve"}).status_code == 302
    page = desk.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "Sửa tờ khai" not in page
    offered = desk.get(f"/dossiers/{code}/declaration")
    assert offered.status_code == 302 and "đã có quyết định" in desk.get(offered.headers["Location"]).get_data(as_text=True)
    res = desk.post(f"/dossiers/{code}/declaration", DECLARED | {"data.child_full_name": "Tên Khác Hẳn"})
    assert res.status_code == 302
    with app.extensions["motcua"]["sessions"]() as session:
        assert session.scalar(select(Dossier).where(Dossier.code == code)).data["child_full_name"] == "Nguyễn Thị Bình An"
