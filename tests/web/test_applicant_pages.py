"""Applicants on the public portal: catalogue, lookup, accounts, online submission and "Hồ sơ của tôi"."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from engine.dossier import documents
from engine.dossier.documents import Upload
from engine.dossier.lifecycle import get_dossier
from engine.models import ApplicantDossier, DossierRating, Event, HumanTask
from tests.applicant_helpers import PDF, Applicant
from tests.procedures.drive import step


def test_the_catalogue_searches_by_name_or_code_and_filters_by_field_and_level(client):
    page = client.get("/thu-tuc").get_data(as_text=True)
    assert "Đăng ký khai sinh" in page and "Đăng ký thành lập hộ kinh doanh" in page
    assert "Đăng ký khai sinh" in client.get("/thu-tuc?q=khai sinh").get_data(as_text=True)
    found = client.get("/thu-tuc?q=1.001612").get_data(as_text=True)
    assert "Đăng ký thành lập hộ kinh doanh" in found and "Đăng ký khai sinh" not in found
    by_field = client.get("/thu-tuc?field=Hộ tịch&authority=commune").get_data(as_text=True)
    assert "Đăng ký khai sinh" in by_field and "Đăng ký thành lập hộ kinh doanh" not in by_field
    assert "Không có thủ tục nào phù hợp" in client.get("/thu-tuc?authority=central").get_data(as_text=True)


def test_a_procedure_page_shows_documents_time_limit_fees_channels_and_online_level(client):
    page = client.get("/thu-tuc/1.001193").get_data(as_text=True)
    for text in ("Giấy chứng sinh", "Trong ngày", "Lệ phí đăng ký khai sinh", "Trực tuyến", "Toàn trình",
                 "Nộp hồ sơ trực tuyến", "Phường Hoàn Kiếm"):
        assert text in page, text
    assert client.get("/thu-tuc/9.999999").status_code == 404


def test_the_lookup_shows_progress_without_personal_data_and_says_when_a_code_is_unknown(app, client):
    applicant = Applicant(app)
    code = applicant.submit_birth()
    assert client.get(f"/tra-cuu?code={code}").headers["Location"].endswith(f"/tra-cuu/{code}")
    unit, day, seq = code.split("-")
    short = f"{unit.lower()}-{day}-{int(seq)}"  # as a person types it off the receipt
    assert client.get(f"/tra-cuu?code={short}").headers["Location"].endswith(f"/tra-cuu/{code}")
    typed = client.get(f"/tra-cuu/{code.lower()}")  # typed into the address: the page moves to the full code
    assert typed.status_code == 302 and typed.headers["Location"].endswith(f"/tra-cuu/{code}")
    page = client.get(f"/tra-cuu/{code}").get_data(as_text=True)
    assert code in page and "Chờ tiếp nhận" in page and "Tiếp nhận hồ sơ" in page
    assert "Phạm Minh Đức" not in page and "001088011223" not in page and "an@example.vn" not in page
    res = client.get("/tra-cuu/H26.70-000101-0009")
    assert res.status_code == 404 and "Không tìm thấy hồ sơ có mã H26.70-000101-0009" in res.get_data(as_text=True)


def test_lookups_are_limited_per_client_on_the_page_and_in_the_api(app, client, clock):
    app.config["LOOKUP_RATE_LIMIT"] = 3
    for _ in range(3):
        assert client.get("/tra-cuu/H26.70-000101-0009").status_code == 404
    res = client.get("/tra-cuu/H26.70-000101-0009")
    assert res.status_code == 429 and "quá nhiều lần" in res.get_data(as_text=True)
    assert client.get("/api/v1/public/dossiers/H26.70-000101-0009").json["error"]["code"] == "rate_limited"
    other = client.get("/tra-cuu/H26.70-000101-0009", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 404
    clock.advance(seconds=61)
    assert client.get("/tra-cuu/H26.70-000101-0009").status_code == 404


def test_registering_twice_with_one_email_is_refused_and_a_wrong_password_says_so(app):
    Applicant(app, "lan@example.vn")
    again = Applicant(app, register=False)
    res = again.post("/cong-dan/dang-ky", {"email": "LAN@example.vn", "full_name": "Lan", "password": "matkhau123"})
    assert res.status_code == 422 and "đã được đăng ký" in res.get_data(as_text=True)
    res = again.post("/cong-dan/dang-ky", {"email": "sai", "full_name": "", "password": "ngan"})
    page = res.get_data(as_text=True)
    assert "Địa chỉ email không hợp lệ" in page and "ít nhất 8 ký tự" in page
    res = again.post("/cong-dan/dang-nhap", {"email": "lan@example.vn", "password": "sai-mat-khau"})
    assert res.status_code == 401 and "không đúng" in res.get_data(as_text=True)
    res = again.post("/cong-dan/dang-nhap", {"email": "lan@example.vn", "password": "matkhau123"})
    assert res.status_code == 302 and res.headers["Location"].endswith("/cong-dan/ho-so")


@pytest.mark.parametrize("path", ["/worklist", "/desk/new", "/admin/units", "/dossiers/H26.70-260302-0001"])
def test_officials_pages_refuse_an_applicant(app, path):
    assert Applicant(app).get(path).status_code == 403


def test_applicants_pages_refuse_an_official_and_ask_anonymous_users_to_log_in(browser, client):
    assert browser("desk1").get("/cong-dan/ho-so").status_code == 403
    assert browser("desk1").get("/cong-dan/nop/1.001193").status_code == 403
    res = client.get("/cong-dan/ho-so")
    assert res.status_code == 302 and "/cong-dan/dang-nhap" in res.headers["Location"]


def test_an_online_submission_is_reviewed_then_waits_in_the_desks_intake_queue(app, browser, session):
    applicant = Applicant(app)
    form = applicant.get("/cong-dan/nop/1.001193").get_data(as_text=True)
    assert "Phường Hoàn Kiếm" in form and "Phường Cửa Nam" in form and 'name="child_full_name"' in form
    missing = applicant.review(docs=(0,))
    assert missing.status_code == 422 and "Cần tải lên giấy tờ này" in missing.get_data(as_text=True)
    nowhere = applicant.review(unit="", docs=()).get_data(as_text=True)  # each problem once, by its name
    assert "Nơi nộp hồ sơ" in nowhere and "Cần tải lên giấy tờ này" in nowhere
    assert "Dữ liệu chưa hợp lệ:" not in nowhere and "doc_1:" not in nowhere and "unit:" not in nowhere
    not_pdf = applicant.post("/cong-dan/nop/1.001193", {"unit": "H26.70", "doc_0": (io.BytesIO(b"MZ.."), "a.exe"),
                                                         "doc_1": (io.BytesIO(PDF), "b.pdf")},
                             content_type="multipart/form-data")
    assert not_pdf.status_code == 422 and "không phải PDF, JPEG hoặc PNG" in not_pdf.get_data(as_text=True)
    review = applicant.review()
    assert review.status_code == 200 and "Xem lại hồ sơ" in review.get_data(as_text=True)
    assert "Phạm Minh An" in review.get_data(as_text=True)
    res = applicant.post("/cong-dan/nop/1.001193/gui")
    page = applicant.get(res.headers["Location"]).get_data(as_text=True)
    dossier = session.scalars(select(HumanTask)).all()[-1].dossier
    assert dossier.channel == "online" and dossier.status == "submitted" and dossier.unit.code == "H26.70"
    assert dossier.code in page and "Hãy ghi lại mã này" in page and dossier.data["child_full_name"] == "Phạm Minh An"
    assert len(documents.documents_of(session, dossier)) == 2
    worklist = browser("desk1").get("/worklist?kind=intake").get_data(as_text=True)
    assert dossier.code in worklist
    mine = applicant.get("/cong-dan/ho-so").get_data(as_text=True)
    assert dossier.code in mine and "Chờ tiếp nhận" in mine


def test_an_applicant_never_sees_another_applicants_dossier(app, session, clock, tmp_path):
    owner, other = Applicant(app, "chu@example.vn"), Applicant(app, "khac@example.vn")
    code = owner.submit_birth()
    dossier = get_dossier(session, code)
    step(session, clock, dossier, "Task_Intake", "receive")
    result = documents.attach(session, app.config["STORAGE_DIR"], dossier, Upload("kq.pdf", PDF), "Giấy khai sinh",
                              None, clock(), kind="result")
    session.commit()
    for path in (f"/cong-dan/ho-so/{code}", f"/cong-dan/ho-so/{code}/giay-tiep-nhan",
                 f"/cong-dan/ho-so/{code}/ket-qua/{result.id}"):
        assert other.get(path).status_code == 404, path
        assert owner.get(path).status_code == 200, path
    assert other.post(f"/cong-dan/ho-so/{code}/rut", {"reason": "x"}).status_code == 404
    assert code not in other.get("/cong-dan/ho-so").get_data(as_text=True)
    assert owner.get(f"/cong-dan/ho-so/{code}/ket-qua/{result.id}").data == PDF


def test_a_supplement_uploaded_online_sends_the_dossier_back_to_the_desk(app, session, clock, browser):
    applicant = Applicant(app)
    code = applicant.submit_birth()
    dossier = get_dossier(session, code)
    step(session, clock, dossier, "Task_Intake", "intake_supplement")
    page = applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    assert "Nộp bổ sung hồ sơ" in page and "Bản sao Giấy chứng sinh" in page
    clock.advance(hours=1)
    refused = applicant.post(f"/cong-dan/ho-so/{code}/bo-sung",
                             {"files": [(io.BytesIO(PDF), "bo-sung.pdf"), (io.BytesIO(b"MZ not a scan"), "x.exe")],
                              "note": "Đã có"}, content_type="multipart/form-data")
    page = refused.get_data(as_text=True)  # the error by the form, the note as typed, nothing kept
    assert refused.status_code == 422 and "data-supplement-error" in page and ">Đã có</textarea>" in page
    assert get_dossier(session, code).status == "supplement_at_intake"
    res = applicant.post(f"/cong-dan/ho-so/{code}/bo-sung", {"files": (io.BytesIO(PDF), "bo-sung.pdf"), "note": "Đã có"},
                         content_type="multipart/form-data")
    assert res.status_code == 302
    session.expire_all()
    dossier = get_dossier(session, code)
    assert dossier.status == "submitted" and dossier.resubmitted_at == clock()
    ready = session.scalars(select(HumanTask).where(HumanTask.dossier_id == dossier.id, HumanTask.state == "ready"))
    assert [t.element_id for t in ready] == ["Task_Intake"]
    assert "Công dân nộp bổ sung trực tuyến: Đã có" in str(session.scalars(select(HumanTask.data).where(
        HumanTask.dossier_id == dossier.id, HumanTask.kind == "supplement")).one())
    page = browser("desk1").get(f"/dossiers/{code}").get_data(as_text=True)  # the file's badge, in words
    assert "Bổ sung của công dân</span>" in page and ">supplement</span>" not in page


def test_a_withdrawal_request_lets_the_leader_stop_the_dossier_with_form_05(app, browser, session, clock):
    applicant = Applicant(app)
    code = applicant.submit_birth()
    step(session, clock, get_dossier(session, code), "Task_Intake", "receive")
    applicant.post(f"/cong-dan/ho-so/{code}/rut", {"reason": "Gia đình chuyển nơi cư trú"})
    assert "đã xin rút hồ sơ" in applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    assert session.get(ApplicantDossier, get_dossier(session, code).id).withdrawal_reason == "Gia đình chuyển nơi cư trú"
    leader, desk = browser("leader1"), browser("desk1")
    assert "Người nộp xin rút hồ sơ" in leader.get(f"/dossiers/{code}").get_data(as_text=True)
    assert desk.post(f"/dossiers/{code}/stop", {"reason": "x"}).status_code == 403
    res = leader.post(f"/dossiers/{code}/stop", {"reason": "", "returned": "Bộ phận Một cửa phường Hoàn Kiếm"})
    assert res.status_code == 302 and "/forms/05" in res.headers["Location"]
    session.expire_all()
    dossier = get_dossier(session, code)
    assert dossier.status == "stopped"
    event = session.scalar(select(Event).where(Event.dossier_id == dossier.id, Event.kind == "dossier.stopped"))
    assert event.payload["reason"] == "Gia đình chuyển nơi cư trú" and event.payload["requested_at"]
    assert "Gia đình chuyển nơi cư trú" in leader.get(f"/dossiers/{code}/forms/05").get_data(as_text=True)
    assert not session.scalars(select(HumanTask).where(HumanTask.dossier_id == dossier.id,
                                                       HumanTask.state == "ready")).all()


def test_a_returned_dossier_is_rated_once(app, session, clock):
    applicant = Applicant(app)
    code = applicant.submit_birth()
    dossier = get_dossier(session, code)
    assert "Đánh giá mức độ hài lòng" not in applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    for element, data in (("Task_Intake", "receive"), ("Task_Appraise", "propose_approve"),
                          ("Task_Approve", "approve"), ("Task_Return", "return")):
        step(session, clock, dossier, element, data)
    applicant.post(f"/cong-dan/ho-so/{code}/danh-gia", {"satisfied": "no", "comment": "Chờ lâu"})
    res = applicant.post(f"/cong-dan/ho-so/{code}/danh-gia", {"satisfied": "yes", "comment": "Lần hai"})
    page = applicant.get(res.headers["Location"]).get_data(as_text=True)
    assert "đã được đánh giá" in page and "Không hài lòng" in page and "Chờ lâu" in page


def test_the_applicants_receipt_links_only_to_the_applicants_own_pages(app, session, clock):
    owner = Applicant(app, "bien-nhan@example.vn")
    code = owner.submit_birth()
    step(session, clock, get_dossier(session, code), "Task_Intake", "receive")
    page = owner.get(f"/cong-dan/ho-so/{code}/giay-tiep-nhan").get_data(as_text=True)
    assert code in page and f'href="/dossiers/{code}' not in page
    pdf_link = f"/cong-dan/ho-so/{code}/giay-tiep-nhan?pdf=1"
    assert pdf_link in page
    pdf = owner.get(pdf_link)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_rating_scores_the_national_portal_surveys_six_criteria(app, session, clock):
    applicant = Applicant(app, "khao-sat@example.vn")
    code = applicant.submit_birth()
    dossier = get_dossier(session, code)
    for element, data in (("Task_Intake", "receive"), ("Task_Appraise", "propose_approve"),
                          ("Task_Approve", "approve"), ("Task_Return", "return")):
        step(session, clock, dossier, element, data)
    page = applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    assert 'name="score_officials"' in page and "Tiếp cận dịch vụ" in page
    empty = applicant.post(f"/cong-dan/ho-so/{code}/danh-gia", {"comment": ""})  # nothing chosen: not "unhappy"
    assert "sáu tiêu chí" in applicant.get(empty.headers["Location"]).get_data(as_text=True)
    long = applicant.post(f"/cong-dan/ho-so/{code}/danh-gia", {**{f"score_{k}": "4" for k in (
        "access", "procedure", "officials", "time", "result", "feedback")}, "comment": "Dài " * 1000})
    assert "tối đa 2000 ký tự" in applicant.get(long.headers["Location"]).get_data(as_text=True)
    assert session.get(DossierRating, dossier.id) is None
    partial = applicant.post(f"/cong-dan/ho-so/{code}/danh-gia", {"score_access": "5", "comment": "Thiếu"})
    assert "sáu tiêu chí" in applicant.get(partial.headers["Location"]).get_data(as_text=True)
    scores = {"access": "5", "procedure": "4", "officials": "5", "time": "4", "result": "5", "feedback": "3"}
    res = applicant.post(f"/cong-dan/ho-so/{code}/danh-gia", {f"score_{k}": v for k, v in scores.items()})
    page = applicant.get(res.headers["Location"]).get_data(as_text=True)
    assert "Hài lòng" in page and "3/5 (Bình thường)" in page
    rating = session.get(DossierRating, dossier.id)
    session.refresh(rating)
    assert rating.satisfied is True and rating.scores == {k: int(v) for k, v in scores.items()}
