"""Giấy tờ kết quả: a birth registration approved into a numbered, signed certificate that the applicant
downloads and /xac-thuc verifies; and each way it can fail without leaving half of it behind."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from engine.integrations.certificates import make_demo_keys
from engine.integrations.pades import load_roots, verify_pdf
from engine.models import Document, Event, HumanTask, IssuedResult, OutboxMessage, ResultRegister, Unit
from tests.applicant_helpers import BIRTH_FORM, Applicant
from tests.issuance import sign_results
from tests.pdfs import pdf_text
from tests.procedures.drive import DATA
from tests.web.test_api import complete, my_task

APPROVE = {"approval_decision": "approve", "approval_note": "Đồng ý cấp Giấy khai sinh"}


def to_approval(app, api, citizen: Applicant | None = None) -> tuple[Applicant, str]:
    """An applicant's online birth registration, received and proposed for approval."""
    citizen = citizen or Applicant(app)
    code = citizen.submit_birth()
    assert complete(api, "desk1", code, "receive").status_code == 200
    assert complete(api, "specialist1", code, "propose_approve").status_code == 200
    return citizen, code


def issued(app, code):
    with app.extensions["motcua"]["sessions"]() as s:
        return list(s.scalars(select(IssuedResult).join(Document, Document.id == IssuedResult.document_id)
                              .where(Document.dossier_id.in_(select(HumanTask.dossier_id).join(
                                  HumanTask.dossier).where(HumanTask.dossier.has(code=code))))))


def count(app, model, *where) -> int:
    with app.extensions["motcua"]["sessions"]() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_approval_numbers_signs_and_stores_the_birth_certificate_for_the_applicant(app, api, browser, signing_keys):
    citizen, code = to_approval(app, api)
    draft = browser("specialist1").get(f"/dossiers/{code}/result-draft").get_data(as_text=True)
    assert "DỰ THẢO" in draft and "PHẠM MINH AN" in draft and "20/02/2026" in draft and "Nam" in draft

    res = api.post(f"/tasks/{my_task(api, 'leader1', code)['id']}/complete", "leader1", {"data": APPROVE})
    assert res.status_code == 200 and res.json["dossier"]["status"] == "done"
    assert issued(app, code) == []  # the approval took the number; the signature follows within seconds
    waiting = browser("desk1").get(f"/dossiers/{code}").get_data(as_text=True)
    assert 'data-pending-number="001/2026/KS"' in waiting and "Kết quả đang được ký số" in waiting
    assert "Kết quả đang được ký số" in citizen.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    check = Applicant(app, register=False).post("/xac-thuc", {"code": code, "sha256": "0" * 64})
    assert "Kết quả đang được ký số" in check.get_data(as_text=True)
    assert sign_results(app) == 1 and sign_results(app) == 0  # the scheduler's job, once
    [result] = issued(app, code)
    assert result.number == "001/2026/KS" and result.title == "Giấy khai sinh"

    page = citizen.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    link = re.search(r'href="(/cong-dan/ho-so/[^"]+/ket-qua/\d+)"', page).group(1)
    pdf = citizen.get(link).data
    check = verify_pdf(pdf, load_roots([signing_keys.ca_pem]))
    assert check.valid and check.signer == "Ủy ban nhân dân phường Hoàn Kiếm" and check.signed_at is not None
    assert check.sha256 == result.sha256
    text = pdf_text(pdf)
    assert "GIẤY KHAI SINH" in text and "001/2026/KS" in text and "PHẠM MINH AN" in text and "DỰ THẢO" not in text
    with app.extensions["motcua"]["sessions"]() as s:
        notice = s.scalar(select(OutboxMessage).where(OutboxMessage.subject.contains("giấy tờ kết quả được ký số")))
        assert notice is not None and "001/2026/KS" in notice.body
    dossier_page = browser("desk1").get(f"/dossiers/{code}").get_data(as_text=True)
    assert "001/2026/KS" in dossier_page and result.sha256 in dossier_page  # the desk prints it from here

    _citizen, second = to_approval(app, api, citizen)
    api.post(f"/tasks/{my_task(api, 'leader1', second)['id']}/complete", "leader1", {"data": APPROVE})
    sign_results(app)
    assert [r.number for r in issued(app, second)] == ["002/2026/KS"]


def test_xac_thuc_accepts_the_issued_file_and_flags_an_altered_one_without_personal_data(app, api):
    citizen, code = to_approval(app, api)
    api.post(f"/tasks/{my_task(api, 'leader1', code)['id']}/complete", "leader1", {"data": APPROVE})
    sign_results(app)
    [result] = issued(app, code)
    link = re.search(r'href="(/cong-dan/ho-so/[^"]+/ket-qua/\d+)"',
                     citizen.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)).group(1)
    pdf = citizen.get(link).data
    public = Applicant(app, register=False)

    def check(data, **kw):
        res = public.post("/xac-thuc", data, **kw)
        return res.status_code, res.get_data(as_text=True)

    status, page = check({"file": (io.BytesIO(pdf), "khai-sinh.pdf")}, content_type="multipart/form-data")
    assert status == 200 and 'data-outcome="valid"' in page and "001/2026/KS" in page
    assert "Ủy ban nhân dân phường Hoàn Kiếm" in page
    for private in ("Phạm Minh An", BIRTH_FORM["mother_full_name"], "001088011223", "Phạm Minh Đức"):
        assert private not in page
    altered = appended_revision(pdf)  # edited in a PDF tool after signing: a new revision, unsigned
    status, page = check({"file": (io.BytesIO(altered), "khai-sinh.pdf")}, content_type="multipart/form-data")
    assert 'data-outcome="altered"' in page and "bị sửa" in page
    flipped = pdf.replace(b"/Producer", b"/Produxer", 1)  # a byte changed inside the signed range
    assert flipped != pdf
    assert 'data-outcome="altered"' in check({"file": (io.BytesIO(flipped), "x.pdf")},
                                             content_type="multipart/form-data")[1]
    assert 'data-outcome="valid"' in check({"code": code.lower(), "sha256": result.sha256})[1]
    assert 'data-outcome="altered"' in check({"code": code, "sha256": "0" * 64})[1]
    status, page = check({"code": "", "sha256": "abc"})
    assert status == 422 and "64 ký tự" in page and "Nhập mã hồ sơ" in page
    assert count(app, Event, Event.kind == "result.verification_failed") == 3


def appended_revision(pdf: bytes) -> bytes:
    """The signed PDF with one more revision written after the signature (what an editor saves)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.root["/SuaDoi"] = generic.TextStringObject("Họ tên đã sửa")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_altered_stored_result_is_refused_on_download(app, api):
    citizen, code = to_approval(app, api)
    api.post(f"/tasks/{my_task(api, 'leader1', code)['id']}/complete", "leader1", {"data": APPROVE})
    sign_results(app)
    [result] = issued(app, code)
    from engine.dossier.documents import blob_path

    path = blob_path(app.config["STORAGE_DIR"], result.sha256)
    path.write_bytes(path.read_bytes().replace(b"GIAY", b"GIAX") + b"%")
    link = re.search(r'href="(/cong-dan/ho-so/[^"]+/ket-qua/\d+)"',
                     citizen.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)).group(1)
    res = citizen.get(link)
    assert res.status_code == 409 and "không khớp mã băm" in res.get_data(as_text=True)


def leader_approves(app, browser, code):
    leader = browser("leader1")
    task = my_task_id(app, code)
    return leader.post(f"/tasks/{task}", APPROVE), task


def my_task_id(app, code) -> int:
    with app.extensions["motcua"]["sessions"]() as s:
        return s.scalar(select(HumanTask.id).where(HumanTask.state == "ready", HumanTask.element_id == "Task_Approve",
                                                   HumanTask.dossier.has(code=code)))


def assert_nothing_issued(app, code, task) -> None:
    with app.extensions["motcua"]["sessions"]() as s:
        assert s.get(HumanTask, task).state == "ready"  # the step stays open
        assert s.scalar(select(func.count()).select_from(Document).where(Document.kind == "result")) == 0
        assert s.scalar(select(func.count()).select_from(IssuedResult)) == 0
        assert s.scalar(select(func.count()).select_from(ResultRegister)) == 0  # no number was used up
        assert s.scalar(select(func.count()).select_from(Event).where(Event.kind == "dossier.done")) == 0


@pytest.mark.parametrize("problem", ["missing", "expired", "wrong_password"])
def test_a_missing_or_expired_signing_key_keeps_the_approval_open_with_a_clear_message(
        app, api, browser, tmp_path, clock, problem):
    if problem == "missing":
        app.config["SIGNING_PKCS12"] = str(tmp_path / "khong-co.p12")
        expected = "Không tìm thấy tệp khóa ký số khong-co.p12"
    elif problem == "expired":
        keys = make_demo_keys(tmp_path, "Ủy ban nhân dân phường Hoàn Kiếm", clock(), valid_days=-20)
        app.config.update(SIGNING_PKCS12=str(keys.pkcs12), SIGNING_PKCS12_PASSWORD=keys.passphrase)
        expected = "cần gia hạn hoặc cài chứng thư số mới"
    else:
        app.config["SIGNING_PKCS12_PASSWORD"] = "sai-mat-khau"
        expected = "sai mật khẩu hoặc tệp hỏng"
    _citizen, code = to_approval(app, api)
    res, task = leader_approves(app, browser, code)
    assert res.status_code == 409 and expected in res.get_data(as_text=True)
    assert_nothing_issued(app, code, task)
    with app.extensions["motcua"]["sessions"]() as s:
        failed = s.scalar(select(Event).where(Event.kind == "result.signing_failed"))
        assert failed is not None and failed.user_id is not None and expected in failed.message


def test_a_signing_service_that_is_down_leaves_the_approval_standing_and_the_return_waits_for_the_signature(
        app, api, browser, live_server, signing_keys):
    import urllib.request

    app.config.update(SIGNING_URL=live_server + "/simulators/signing", SIGNING_TIMEOUT=5)

    def mode(value):
        request = urllib.request.Request(live_server + "/simulators/signing/mode", method="POST",
                                         data=f'{{"mode": "{value}"}}'.encode(),
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=5).read()

    mode("error")
    _citizen, code = to_approval(app, api)
    res, _task = leader_approves(app, browser, code)
    assert res.status_code == 302  # the decision is the leader's; the signature comes after it
    assert sign_results(app) == 0 and issued(app, code) == []  # the job failed: retried later
    with app.extensions["motcua"]["sessions"]() as s:
        queued = s.scalar(select(OutboxMessage).where(OutboxMessage.kind == "result_issuance"))
        assert queued.state == "pending" and queued.attempts == 1 and "không phản hồi" in queued.last_error
        assert queued.payload["number"] == "001/2026/KS"
    desk_task = my_task(api, "desk1", code)["id"]
    answer = api.post(f"/tasks/{desk_task}/complete", "desk1", {"data": DATA["return"]})
    assert answer.status_code == 503 and answer.json["error"]["code"] == "signing_unavailable"
    assert count(app, Event, Event.kind == "result.signing_failed") == 1
    with app.extensions["motcua"]["sessions"]() as s:
        assert s.get(HumanTask, desk_task).state == "ready"  # no result handed over without its signature

    mode("ok")
    answer = api.post(f"/tasks/{desk_task}/complete", "desk1", {"data": DATA["return"]})
    assert answer.status_code == 200, answer.json  # signed on demand, in the return step, with the approval's number
    [result] = issued(app, code)
    with app.extensions["motcua"]["sessions"]() as s:
        document = s.get(Document, result.document_id)
    from engine.dossier.documents import read_verified

    signed = read_verified(app.config["STORAGE_DIR"], document)
    assert result.number == "001/2026/KS" and verify_pdf(signed, load_roots([signing_keys.ca_pem])).valid
    assert sign_results(app) == 0 and len(issued(app, code)) == 1  # and never signed twice


def test_a_register_without_a_number_pattern_refuses_the_approval(app, api, browser):
    with app.extensions["motcua"]["sessions"]() as s:
        ward = s.scalar(select(Unit).where(Unit.code == "H26.70"))
        ward.settings = {**(ward.settings or {}), "result_registers": {"1.001193": "KS-không-số"}}
        s.commit()
    _citizen, code = to_approval(app, api)
    res, task = leader_approves(app, browser, code)
    assert res.status_code == 422
    assert "kết quả không thể phê duyệt khi chưa có số đăng ký" in res.get_data(as_text=True)
    assert_nothing_issued(app, code, task)


def test_other_decisions_issue_nothing(app, api):
    _citizen, code = to_approval(app, api)
    assert complete(api, "leader1", code, "send_back").status_code == 200
    assert count(app, IssuedResult) == 0 and DATA["send_back"]["approval_decision"] == "send_back"


def test_a_result_returned_by_post_goes_with_the_shipment(app, api):
    _citizen, code = to_approval(app, api)
    api.post(f"/tasks/{my_task(api, 'leader1', code)['id']}/complete", "leader1", {"data": APPROVE})
    res = api.post(f"/tasks/{my_task(api, 'desk1', code)['id']}/complete", "desk1",
                   {"data": {"return_method": "post", "receiver_name": "Phạm Minh Đức",
                             "postal_address": "12 Hàng Bạc, Hoàn Kiếm, Hà Nội"}})
    assert res.status_code == 200, res.json
    with app.extensions["motcua"]["sessions"]() as s:
        booking = s.scalar(select(OutboxMessage).where(OutboxMessage.kind == "postal", OutboxMessage.dossier_id.is_not(None)))
        assert "Giấy khai sinh số 001/2026/KS" in booking.payload["request"]["contents"]


def test_demo_load_makes_a_demo_ca_and_the_wards_signing_key_and_says_so(app, tmp_path, clock):
    from pathlib import Path

    from webapp.adapters import adapters_of
    from webapp.cli import demo_load

    app.instance_path = str(tmp_path / "instance")
    for key in ("SIGNING_PKCS12", "SIGNING_PKCS12_PASSWORD", "SIGNING_TRUST_ROOTS"):
        app.config.pop(key)
    out = app.test_cli_runner().invoke(demo_load)
    assert out.exit_code == 0, out.output
    assert "Đã tạo CA mô phỏng và chứng thư số ký kết quả cho phường mẫu (chỉ dùng thử" in out.output
    folder = Path(app.instance_path) / "signing"
    assert (folder / "demo-ca.pem").is_file() and (folder / "demo-signer.p12").is_file()
    again = app.test_cli_runner().invoke(demo_load)
    assert "Giữ nguyên CA mô phỏng" in again.output  # loading twice keeps the keys

    with app.app_context():
        adapters = adapters_of(app)
        from weasyprint import HTML

        signed = adapters.signer.sign_pdf(HTML(string="<p>Thử</p>").write_pdf(), reason="Thử", location="Hà Nội",
                                          reference="demo", now=clock())
        check = verify_pdf(signed.pdf, load_roots(list(adapters.trust_roots)))
    assert check.valid and check.signer == "Ủy ban nhân dân phường Hoàn Kiếm"


def test_the_result_is_titled_by_its_name_and_code_in_the_draft_and_the_signed_pdf(app, api, browser):
    from pypdf import PdfReader

    citizen, code = to_approval(app, api)
    draft = browser("specialist1").get(f"/dossiers/{code}/result-draft").get_data(as_text=True)
    assert f"<title>Giấy khai sinh · {code}</title>" in draft and "Mẫu số KQ" not in draft
    api.post(f"/tasks/{my_task(api, 'leader1', code)['id']}/complete", "leader1", {"data": APPROVE})
    assert sign_results(app) == 1
    page = citizen.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    pdf = citizen.get(re.search(r'href="(/cong-dan/ho-so/[^"]+/ket-qua/\d+)"', page).group(1)).data
    assert PdfReader(io.BytesIO(pdf)).metadata.title == f"Giấy khai sinh · {code}"
