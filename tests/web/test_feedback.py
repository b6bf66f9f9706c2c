"""Phản ánh, kiến nghị: the applicant writes on a dossier or a procedure, the unit answers, the applicant
reads the answer, and supervision counts both."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine.models import Feedback, Unit
from engine.supervision.ratings import feedback_counts
from tests.applicant_helpers import Applicant
from tests.conftest import Browser

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_feedback_on_a_dossier_is_answered_by_its_unit_and_the_answer_shown(app, session, clock):
    applicant = Applicant(app, "phan-anh@example.vn")
    code = applicant.submit_birth()
    page = applicant.get("/cong-dan/phan-anh-kien-nghi").get_data(as_text=True)
    assert "Gửi phản ánh, kiến nghị" in page and code in page
    empty = applicant.post("/cong-dan/phan-anh-kien-nghi", {"kind": "phan_anh", "dossier": code, "content": " "})
    assert empty.status_code == 422 and "Hãy nêu nội dung." in empty.get_data(as_text=True)
    foreign = applicant.post("/cong-dan/phan-anh-kien-nghi", {"kind": "kien_nghi", "dossier": "H26.70-999999-0001",
                                                              "content": "Thử"})
    assert foreign.status_code == 422
    res = applicant.post("/cong-dan/phan-anh-kien-nghi", {"kind": "phan_anh", "dossier": code,
                                                          "content": "Cán bộ hẹn sai ngày"})
    assert res.status_code == 302
    item = session.scalar(select(Feedback).where(Feedback.content == "Cán bộ hẹn sai ngày"))
    assert item.unit_id == session.scalar(select(Unit.id).where(Unit.code == "H26.70"))
    assert "Đang chờ trả lời" in applicant.get("/cong-dan/phan-anh-kien-nghi").get_data(as_text=True)

    other_ward = Browser(app, "desk2")
    assert "Cán bộ hẹn sai ngày" not in other_ward.get("/feedback").get_data(as_text=True)
    assert other_ward.post(f"/feedback/{item.id}/answer", data={"answer": "Không phải việc của tôi"}).status_code == 404
    desk = Browser(app, "desk1")
    assert "Cán bộ hẹn sai ngày" in desk.get("/feedback").get_data(as_text=True)
    assert desk.post(f"/feedback/{item.id}/answer", data={"answer": "Đã sửa ngày hẹn, xin lỗi Ông."}).status_code == 302
    again = desk.post(f"/feedback/{item.id}/answer", data={"answer": "Lần hai"}, follow_redirects=True)
    assert "đã được trả lời" in again.get_data(as_text=True)
    page = applicant.get("/cong-dan/phan-anh-kien-nghi").get_data(as_text=True)
    assert "Đã sửa ngày hẹn, xin lỗi Ông." in page and "Lần hai" not in page
    assert Browser(app, "specialist1").get("/feedback").status_code == 403

    session.expire_all()
    counts = feedback_counts(session, [item.unit_id], item.created_at.replace(year=2000), item.created_at.replace(year=2100))
    assert (counts.received, counts.answered) == (1, 1)
    local = item.created_at.astimezone(VN)
    quarter = f"{local.year}-Q{(local.month - 1) // 3 + 1}"
    page = Browser(app, "supervisor1").get(f"/supervision/evaluation?unit=H26.70&quarter={quarter}")
    assert "Tiếp nhận trong kỳ: 1; đã trả lời: 1." in page.get_data(as_text=True)


def test_feedback_on_a_procedure_names_the_unit_that_answers(app, session, clock):
    applicant = Applicant(app, "kien-nghi@example.vn")
    ward = session.scalar(select(Unit).where(Unit.code == "H26.73"))
    missing = applicant.post("/cong-dan/phan-anh-kien-nghi", {"kind": "kien_nghi", "procedure": "1.001193",
                                                              "content": "Nên bỏ bản sao"})
    assert missing.status_code == 422 and "Hãy chọn cơ quan" in missing.get_data(as_text=True)
    res = applicant.post("/cong-dan/phan-anh-kien-nghi", {"kind": "kien_nghi", "procedure": "1.001193",
                                                          "unit": str(ward.id), "content": "Nên bỏ bản sao"})
    assert res.status_code == 302
    assert "Nên bỏ bản sao" in Browser(app, "desk2").get("/feedback").get_data(as_text=True)
    assert "Nên bỏ bản sao" not in Browser(app, "desk1").get("/feedback").get_data(as_text=True)


def test_the_citizen_downloads_their_own_data_and_reads_the_privacy_notice(app, session, clock):
    import io
    import json
    import zipfile

    assert "Nghị định 13/2023" in app.test_client().get("/cong-dan/bao-ve-du-lieu-ca-nhan").get_data(as_text=True)
    applicant = Applicant(app, "du-lieu@example.vn")
    code = applicant.submit_birth()
    applicant.post("/cong-dan/phan-anh-kien-nghi", {"kind": "phan_anh", "dossier": code, "content": "Hỏi thêm"})
    Applicant(app, "nguoi-khac@example.vn", "Người Khác").submit_birth()
    res = applicant.get("/cong-dan/du-lieu-cua-toi")
    assert res.status_code == 200 and res.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(res.data))
    data = json.loads(archive.read("du-lieu.json"))
    assert data["tai_khoan"]["email"] == "du-lieu@example.vn" and "password_hash" not in data["tai_khoan"]
    assert [d["code"] for d in data["ho_so"]] == [code] and data["ho_so"][0]["declaration"]
    assert data["phan_anh_kien_nghi"][0]["content"] == "Hỏi thêm"
    files = [d["file"] for d in data["ho_so"][0]["documents"]]
    assert files and all(archive.read(f).startswith(b"%PDF") for f in files)


def test_registration_asks_for_consent_and_records_when_and_which_notice(app, session):
    from engine.applicants.my_data import CONSENT_VERSION
    from engine.models import ApplicantAccount

    citizen = Applicant(app, register=False)
    assert 'id="consent"' in citizen.get("/cong-dan/dang-ky").get_data(as_text=True)
    details = {"email": "dong-y@example.vn", "full_name": "Lê Văn Đồng", "password": "matkhau123"}
    res = citizen.post("/cong-dan/dang-ky", details)
    assert res.status_code == 422 and "Cần sự đồng ý của Ông/Bà." in res.get_data(as_text=True)
    assert session.scalar(select(ApplicantAccount).where(ApplicantAccount.email == "dong-y@example.vn")) is None
    assert citizen.post("/cong-dan/dang-ky", {**details, "consent": "yes"}).status_code == 302
    account = session.scalar(select(ApplicantAccount).where(ApplicantAccount.email == "dong-y@example.vn"))
    assert account.consent_at is not None and account.consent_version == CONSENT_VERSION
